import { ATOM_NS, CAP_NS, childText, children, parseXml, textsOf, validateCap, wellFormed } from '../../test/helpers/cap-schema.js';
import { capIdentifier, type CapContext, toCapAlert } from './cap-alert.js';
import { capCircle, enclosingCircle } from './cap-area.js';
import { capTime, truncate, xmlSafe } from './cap-text.js';
import { renderCapFeed } from './cap-feed.js';
import { renderCapXml } from './cap-xml.js';
import type { LoggedEvent } from '../events/event-row.js';
import { distanceM } from '../common/geo.js';

const settings = { sender: 'pingji@shishi.gov.cn.example', senderName: '石狮市平急指挥中心 (Shishi Pingji Command Center)', publicUrl: 'https://pingji.example.org' };
const areas: CapContext['areas'] = [
  { code: 'xiangzhi', name: '祥芝镇', nameEn: 'Xiangzhi', lat: 24.78, lng: 118.76 },
  { code: 'hubin', name: '湖滨街道', nameEn: 'Hubin', lat: 24.735, lng: 118.655 },
];
const ctx: CapContext = { areas };
const event = (over: Partial<LoggedEvent>): LoggedEvent => ({
  id: '42',
  type: 'incident.created',
  at: '2026-11-26T15:05:09.123Z',
  exercise: false,
  severity: 'critical',
  audience: 'everyone',
  payload: {},
  ...over,
});
const incident = (over: Partial<LoggedEvent> = {}, payload: Record<string, unknown> = {}) =>
  event({ incidentId: '7b0c2f6e-0000-4000-8000-000000000001', ...over, payload: { title: '渔船进水，3人被困', kind: 'rescue', severity: 'extreme', lat: 24.781, lng: 118.762, ...payload } });

describe('CAP text rules', () => {
  it('writes times with +08:00 and whole seconds, never Z or fractions', () => {
    expect(capTime('2026-11-26T15:05:09.999Z')).toBe('2026-11-26T23:05:09+08:00');
    expect(capTime('2026-12-31T17:30:00Z')).toBe('2027-01-01T01:30:00+08:00');
    expect(capTime(new Date('2026-06-01T00:00:00Z'))).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
  });

  it('removes what XML 1.0 cannot carry and keeps the rest, Chinese and emoji included', () => {
    expect(xmlSafe('a\u0000b\u0001c\u001fd\uFFFEe\uD800f')).toBe('abcdef');
    expect(xmlSafe('台风 🌀\t<&>"\'\n')).toBe('台风 🌀\t<&>"\'\n');
  });

  it('cuts long headlines to the limit with an ellipsis, never inside an emoji', () => {
    const long = '🌀'.repeat(200);
    const cut = truncate(long, 160);
    expect([...cut]).toHaveLength(160);
    expect(cut.endsWith('🌀…')).toBe(true);
    expect(truncate('short\nline', 160)).toBe('short line');
  });
});

describe('CAP areas', () => {
  it('draws a circle around every switched site', () => {
    const sites = [{ lat: 24.7, lng: 118.64 }, { lat: 24.8, lng: 118.68 }, { lat: 24.745, lng: 118.75 }];
    const circle = enclosingCircle(sites)!;
    for (const s of sites) expect(distanceM(circle.center, s) / 1000).toBeLessThanOrEqual(circle.radiusKm);
    expect(enclosingCircle([])).toBeUndefined();
    expect(capCircle({ lat: 24.781, lng: 118.762 }, 2)).toBe('24.78100,118.76200 2');
  });
});

describe('toCapAlert', () => {
  it('makes an alert from a new incident: identifier, sender, Actual, Public, two languages, an area around it', async () => {
    const alert = toCapAlert(incident(), settings, ctx);
    expect(alert).toMatchObject({
      identifier: 'urn:pingji:pingji@shishi.gov.cn.example:event:42',
      sender: settings.sender,
      sent: '2026-11-26T23:05:09+08:00',
      status: 'Actual',
      msgType: 'Alert',
      scope: 'Public',
      incidents: '7b0c2f6e-0000-4000-8000-000000000001',
    });
    expect(alert.identifier).not.toMatch(/[\s,<&]/);
    expect(alert.info.map((i) => i.language)).toEqual(['zh-CN', 'en-US']);
    expect(alert.info[0]).toMatchObject({ category: 'Rescue', severity: 'Extreme', urgency: 'Immediate', certainty: 'Observed', event: '救援' });
    expect(alert.info[0].area).toEqual({ areaDesc: '事件地点周边 2 公里（石狮市祥芝镇附近）', circle: '24.78100,118.76200 2' });
    expect(alert.info[1].area.areaDesc).toBe('Within 2 km of the incident, near Xiangzhi, Shishi');
    expect(alert.info[1].headline).toBe('Rescue (extreme): 渔船进水，3人被困');
    expect((await validateCap(renderCapXml(alert))).errors).toEqual([]);
  });

  it.each([
    ['typhoon', 'Met', 'Prepare'],
    ['storm_surge', 'Met', 'Prepare'],
    ['flood', 'Met', 'Avoid'],
    ['fire', 'Fire', 'Avoid'],
    ['medical', 'Health', 'Monitor'],
    ['public_health', 'Health', 'Monitor'],
    ['other', 'Other', 'Monitor'],
  ])('maps incident kind %s to category %s, response %s', (kind, category, responseType) => {
    expect(toCapAlert(incident({}, { kind }), settings, ctx).info[1]).toMatchObject({ category, responseType });
  });

  it('cancels or updates the incident.created message when the incident ends, with its reference', () => {
    const created = { id: '40', at: '2026-11-26T15:00:00.500Z' };
    const cancelled = toCapAlert(incident({ type: 'incident.updated', severity: 'info' }, { status: 'cancelled' }), settings, ctx, created);
    expect(cancelled).toMatchObject({ msgType: 'Cancel', references: `${settings.sender},${capIdentifier(settings.sender, '40')},2026-11-26T23:00:00+08:00` });
    expect(cancelled.info[0].responseType).toBe('None');
    const resolved = toCapAlert(incident({ type: 'incident.updated', severity: 'info' }, { status: 'resolved' }), settings, ctx, created);
    expect(resolved).toMatchObject({ msgType: 'Update', references: cancelled.references });
    expect(resolved.info.map((i) => [i.responseType, i.urgency])).toEqual([['AllClear', 'Past'], ['AllClear', 'Past']]);
    // Nothing to point at: a new message, still all clear.
    const orphan = toCapAlert(incident({ type: 'incident.updated', severity: 'info' }, { status: 'resolved' }), settings, ctx);
    expect(orphan.msgType).toBe('Alert');
    expect(orphan.references).toBeUndefined();
  });

  it('updates the last switchover to emergency on the return to normal mode, with AllClear', async () => {
    const payload = { switchoverId: 's1', mode: 'normal', reason: '台风过境', scope: { all: true }, switchedCount: 250, unchangedCount: 3 };
    const back = toCapAlert(event({ type: 'switchover.completed', severity: 'info', payload }), settings, ctx, { id: '30', at: '2026-11-25T00:00:00Z' });
    expect(back).toMatchObject({ msgType: 'Update', references: `${settings.sender},${capIdentifier(settings.sender, '30')},2026-11-25T08:00:00+08:00` });
    expect(back.info[0]).toMatchObject({ category: 'Safety', responseType: 'AllClear', area: { areaDesc: '石狮市全市', circle: '24.73000,118.65000 15' } });
    expect(toCapAlert(event({ type: 'switchover.completed', severity: 'info', payload }), settings, ctx).msgType).toBe('Alert');
    const toEmergency = toCapAlert(
      event({ type: 'switchover.completed', severity: 'warning', payload: { ...payload, mode: 'emergency', scope: { areas: ['xiangzhi'] }, switchedCount: 2 } }),
      settings,
      { areas, switchedSites: [{ lat: 24.78, lng: 118.75 }, { lat: 24.79, lng: 118.77 }] },
    );
    expect(toEmergency).toMatchObject({ msgType: 'Alert' });
    expect(toEmergency.info[0]).toMatchObject({ responseType: 'Prepare', severity: 'Moderate', urgency: 'Expected' });
    expect(toEmergency.info[0].area.areaDesc).toBe('石狮市：祥芝镇（2 个阵地）');
    expect(toEmergency.info[0].area.circle).toMatch(/^24\.78500,118\.76000 1\.\d+$/);
    expect((await validateCap(renderCapXml(toEmergency))).valid).toBe(true);
  });

  it('marks drills as Exercise with a note, and their headlines as drills once', () => {
    const drill = toCapAlert(incident({ exercise: true }, { title: '【演练 DRILL】渔港转移', severity: 'minor' }), settings, ctx);
    expect(drill.status).toBe('Exercise');
    expect(drill.note).toContain('DRILL');
    expect(drill.info[0].headline).toBe('救援（一般）：【演练 DRILL】渔港转移');
    const unmarked = toCapAlert(incident({ exercise: true }, { title: '转移' }), settings, ctx);
    expect(unmarked.info.map((i) => i.headline)).toEqual(['【演练】救援（特别严重）：转移', '[DRILL] Rescue (extreme): 转移']);
  });

  it('restricts staff and squad messages, naming who may read them', () => {
    const staff = toCapAlert(event({ type: 'stock.low', severity: 'warning', audience: 'staff', facilityId: 'f1', payload: { code: 'XZ-NC-01', name: '祥芝渔港邻里中心', itemCode: 'life_jacket', required: 40, available: 12 } }), settings, {
      areas,
      facility: { code: 'XZ-NC-01', name: '祥芝渔港邻里中心', nameEn: 'Xiangzhi Fishing Port Center 1', lat: 24.781, lng: 118.761 },
      item: { name: '救生衣', nameEn: 'Life jackets', unit: '件' },
    });
    expect(staff).toMatchObject({ scope: 'Restricted', restriction: expect.stringContaining('command center staff only') });
    expect(staff.info[0]).toMatchObject({ category: 'Infra', area: { areaDesc: '祥芝渔港邻里中心（XZ-NC-01）', circle: '24.78100,118.76100 0.5' } });
    expect(staff.info[0].description).toContain('缺 28件');
    expect(staff.info[1].headline).toBe('Xiangzhi Fishing Port Center 1 (XZ-NC-01): Life jackets below the reserve requirement (12 of 40)');
    const squad = toCapAlert(
      event({ type: 'dispatch.expired', audience: 'squad', squadId: 'q1', payload: { squadCode: 'SQ-070', ackDeadline: '2026-11-26T15:06:09Z', incident: { title: '落水', lat: 24.7, lng: 118.64 }, nextRecommended: { code: 'SQ-071', etaMinutes: 9 } } }),
      settings,
      ctx,
    );
    expect(squad).toMatchObject({ scope: 'Restricted', restriction: expect.stringContaining('SQ-070') });
    expect(squad.info[0]).toMatchObject({ category: 'Rescue', severity: 'Severe', urgency: 'Immediate' });
    expect(squad.info[1].description).toContain('Next recommended: SQ-071 (about 9 min away)');
  });

  it('escapes XML-hostile text and strips control characters, and the title parses back unchanged', async () => {
    const title = '<script>alert("x")</script> & \'台风\' 🌀\u0007';
    const xml = renderCapXml(toCapAlert(event({ type: 'notice.posted', severity: 'warning', payload: { title, body: 'a]]>b & <c>' } }), settings, ctx));
    expect(xml).not.toContain('<script>');
    expect((await validateCap(xml)).errors).toEqual([]);
    const root = parseXml(xml);
    expect(textsOf(root, 'headline')).toEqual([title.slice(0, -1), title.slice(0, -1)]);
    expect(textsOf(root, 'description')[0]).toBe('a]]>b & <c>');
    expect(childText(root, 'scope')).toBe('Public');
    expect(children(root, 'info', CAP_NS)).toHaveLength(2);
  });

  it.each([
    ['an HTML entity', '停电&nbsp;通知'],
    ['an entity-like abbreviation', 'R&D; 中心 & Co;'],
    ['escaped-looking text', '&amp; &lt;b&gt; &quot; &apos;'],
    ['a bare ampersand at the end', '风 & 雨 &'],
  ])('keeps %s as text: CAP and Atom stay valid XML and read back unchanged', async (_, title) => {
    const alert = toCapAlert(event({ type: 'notice.posted', severity: 'warning', payload: { title, body: `${title} — ${title}` } }), settings, ctx);
    const xml = renderCapXml(alert);
    expect((await validateCap(xml)).errors).toEqual([]);
    expect(textsOf(parseXml(xml), 'headline')).toEqual([title, title]);
    expect(textsOf(parseXml(xml), 'description')[0]).toBe(`${title} — ${title}`);
    expect(xml).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;)/);
    const feed = renderCapFeed({ ...settings, senderName: `${title} 中心` }, [{ eventId: '42', eventType: 'notice.posted', alert }], alert.sent);
    expect((await wellFormed(feed)).errors).toEqual([]);
    const root = parseXml(feed);
    expect(childText(children(root, 'entry', ATOM_NS)[0], 'title', ATOM_NS)).toBe(title);
    expect(childText(children(root, 'author', ATOM_NS)[0], 'name', ATOM_NS)).toBe(`${title} 中心`);
  });

  it('writes character references typed as text escaped, not as references', async () => {
    const xml = renderCapXml(toCapAlert(event({ type: 'notice.posted', severity: 'warning', payload: { title: '&#65; &#x41;' } }), settings, ctx));
    expect((await validateCap(xml)).errors).toEqual([]);
    // (The test's DOM parser would decode these twice; the text on the wire is what matters.)
    expect(xml).toContain('<headline>&amp;#65; &amp;#x41;</headline>');
  });

  it('is checked by a validator that does refuse what CAP forbids (a Z time, an unknown msgType)', async () => {
    const xml = renderCapXml(toCapAlert(incident(), settings, ctx));
    expect((await validateCap(xml.replace(/<sent>[^<]+<\/sent>/, '<sent>2026-11-26T15:05:09Z</sent>'))).valid).toBe(false);
    expect((await validateCap(xml.replace('<msgType>Alert</msgType>', '<msgType>Warning</msgType>'))).valid).toBe(false);
  });
});
