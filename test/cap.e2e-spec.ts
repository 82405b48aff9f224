import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { StockAlerts } from '../src/supplies/stock-alerts.js';
import { ATOM_NS, CAP_NS, childText, children, parseXml, textsOf, validateCap, wellFormed, type XmlElement } from './helpers/cap-schema.js';
import { createIncident, squadsByCode } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const PUBLIC_URL = 'https://pingji.example.org';
const SENDER = 'alerts@shishi.gov.cn.example';
const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const identifier = (eventId: string) => `urn:pingji:${SENDER}:event:${eventId}`;

describe('CAP 1.2 export, the Atom feed and read-only API tokens (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let commander: string;

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL, CAP_SENDER: SENDER, SWEEP_INTERVAL_MS: '200', STOCK_CHECK_INTERVAL_MS: '86400000' });
    ds = t.app.get(DataSource);
    commander = await t.login('commander');
  });
  afterAll(async () => {
    await t.close();
  });

  /** GET as text whatever the content type (supertest only buffers text/* and JSON by itself). */
  const getText = (path: string, token: string) =>
    t
      .http()
      .get(path)
      .set(auth(token))
      .buffer(true)
      .parse((res, cb) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => cb(null, data));
      });
  const body = (res: Response) => (typeof res.body === 'string' ? res.body : JSON.parse(res.text ?? '{}'));
  const errorOf = (res: Response) => (typeof res.body === 'string' ? JSON.parse(res.body) : res.body);

  /** The CAP document of an event: 200, the CAP media type, valid against the schema. */
  async function capOf(eventId: string, token = commander): Promise<{ xml: string; root: XmlElement }> {
    const res = await getText(`/api/alerts/${eventId}/cap`, token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/cap+xml; charset=utf-8');
    const xml = body(res) as string;
    const result = await validateCap(xml);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
    const root = parseXml(xml);
    expect(root.localName).toBe('alert');
    expect(root.namespaceURI).toBe(CAP_NS);
    expect(childText(root, 'identifier')).toBe(identifier(eventId));
    return { xml, root };
  }
  const capField = (root: XmlElement, name: string) => childText(root, name);
  const infoField = (root: XmlElement, name: string) => children(root, 'info').map((i) => childText(i, name));

  async function eventId(type: string, where: string, params: unknown[]): Promise<string> {
    const rows: { id: string }[] = await ds.query(`SELECT id::text AS id FROM events WHERE type = $1 AND ${where} ORDER BY events.id DESC LIMIT 1`, [type, ...params]);
    if (!rows.length) throw new Error(`no ${type} event where ${where} ${JSON.stringify(params)}`);
    return rows[0].id;
  }
  const incidentEvent = (type: 'incident.created' | 'incident.updated', incidentId: string) => eventId(type, 'incident_id = $2', [incidentId]);

  async function waitForEvent(type: string, where: string, params: unknown[], ms = 10_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      try {
        return await eventId(type, where, params);
      } catch (e) {
        if (Date.now() > until) throw e;
        await sleep(100);
      }
    }
  }

  describe('every kind of alert is a valid CAP 1.2 message', () => {
    it.each([
      ['extreme', 'typhoon', 'Extreme', 'Met'],
      ['severe', 'fire', 'Severe', 'Fire'],
      ['moderate', 'public_health', 'Moderate', 'Health'],
      ['minor', 'rescue', 'Minor', 'Rescue'],
    ])('incident.created, severity %s (%s)', async (severity, kind, capSeverity, category) => {
      const id = await createIncident(t, commander, { severity, kind, title: `测试事件 ${severity}`, description: '码头附近，注意安全' });
      const { root } = await capOf(await incidentEvent('incident.created', id));
      expect([capField(root, 'status'), capField(root, 'msgType'), capField(root, 'scope'), capField(root, 'incidents')]).toEqual(['Actual', 'Alert', 'Public', id]);
      expect(capField(root, 'sender')).toBe(SENDER);
      expect(capField(root, 'sent')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
      expect(infoField(root, 'language')).toEqual(['zh-CN', 'en-US']);
      expect(infoField(root, 'severity')).toEqual([capSeverity, capSeverity]);
      expect(infoField(root, 'category')).toEqual([category, category]);
      expect(infoField(root, 'web')).toEqual([`${PUBLIC_URL}/`, `${PUBLIC_URL}/`]);
      expect(textsOf(root, 'circle')).toEqual(['24.78100,118.76200 2', '24.78100,118.76200 2']);
      expect(textsOf(root, 'areaDesc')[0]).toContain('祥芝镇');
      expect(textsOf(root, 'description')[0]).toContain('码头附近，注意安全');
    });

    it('incident.updated: resolved updates and cancelled cancels the incident.created message, naming it in references', async () => {
      for (const [status, msgType, responseType] of [['resolved', 'Update', 'AllClear'], ['cancelled', 'Cancel', 'None']]) {
        const id = await createIncident(t, commander, { title: `结束测试 ${status}` });
        const createdId = await incidentEvent('incident.created', id);
        const created = await capOf(createdId);
        expect((await t.http().patch(`/api/incidents/${id}`).set(auth(commander)).send({ status })).status).toBe(200);
        const { root } = await capOf(await incidentEvent('incident.updated', id));
        expect(capField(root, 'msgType')).toBe(msgType);
        expect(capField(root, 'references')).toBe(`${SENDER},${identifier(createdId)},${capField(created.root, 'sent')}`);
        expect(infoField(root, 'responseType')).toEqual([responseType, responseType]);
      }
    });

    it('switchover.completed: to emergency is an Alert around the switched sites; back to normal updates it with AllClear', async () => {
      const reason = '台风“海葵”橙色预警，祥芝转入应急状态';
      const on = await t.http().post('/api/switchovers').set(auth(commander)).send({ mode: 'emergency', reason, scope: { areas: ['xiangzhi'] } });
      expect(on.status).toBe(201);
      const onId = await eventId('switchover.completed', `payload->>'switchoverId' = $2`, [on.body.id]);
      const emergency = await capOf(onId);
      expect([capField(emergency.root, 'msgType'), capField(emergency.root, 'scope')]).toEqual(['Alert', 'Public']);
      expect(infoField(emergency.root, 'category')).toEqual(['Safety', 'Safety']);
      expect(textsOf(emergency.root, 'description')[0]).toContain(reason);
      // A circle around the Xiangzhi sites (all within 3 km of the town centre).
      const [center, radius] = textsOf(emergency.root, 'circle')[0].split(' ');
      const [lat, lng] = center.split(',').map(Number);
      expect(Math.abs(lat - 24.78)).toBeLessThan(0.03);
      expect(Math.abs(lng - 118.76)).toBeLessThan(0.03);
      expect(Number(radius)).toBeGreaterThan(0.5);
      expect(Number(radius)).toBeLessThan(5);

      const off = await t.http().post('/api/switchovers').set(auth(commander)).send({ mode: 'normal', reason: '台风过境，恢复平时状态', scope: { areas: ['xiangzhi'] } });
      expect(off.status).toBe(201);
      const normal = await capOf(await eventId('switchover.completed', `payload->>'switchoverId' = $2`, [off.body.id]));
      expect(capField(normal.root, 'msgType')).toBe('Update');
      expect(capField(normal.root, 'references')).toBe(`${SENDER},${identifier(onId)},${capField(emergency.root, 'sent')}`);
      expect(infoField(normal.root, 'responseType')).toEqual(['AllClear', 'AllClear']);
    });

    it('dispatch.declined and dispatch.expired, restricted to staff and the squad', async () => {
      const squads = await squadsByCode(t, commander);
      const incident = await createIncident(t, commander, { title: '渔港落水' });
      const dispatch = async (code: string) => {
        const res = await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [squads.get(code)!.id] });
        expect(res.status).toBe(201);
        return res.body[0].id as string;
      };
      const declinedDispatch = await dispatch('SQ-090');
      const leader = await t.login('leader-090');
      expect((await t.http().post(`/api/dispatches/${declinedDispatch}/ack`).set(auth(leader)).send({ accept: false, reason: '队员<外出>&培训' })).status).toBe(200);
      const declined = await capOf(await eventId('dispatch.declined', 'dispatch_id = $2', [declinedDispatch]));
      expect([capField(declined.root, 'scope'), capField(declined.root, 'restriction')]).toEqual(['Restricted', expect.stringContaining('SQ-090')]);
      expect(textsOf(declined.root, 'description')[0]).toContain('队员<外出>&培训');
      expect(declined.xml).toContain('队员&lt;外出&gt;&amp;培训');

      // The deadline passes (moved into the past rather than waited for); the sweeper expires it.
      const expiring = await dispatch('SQ-091');
      await ds.query(`UPDATE dispatches SET ack_deadline = now() - interval '1 second' WHERE id = $1`, [expiring]);
      const expired = await capOf(await waitForEvent('dispatch.expired', 'dispatch_id = $2', [expiring]));
      expect(infoField(expired.root, 'severity')).toEqual(['Severe', 'Severe']);
      expect(infoField(expired.root, 'urgency')).toEqual(['Immediate', 'Immediate']);
      expect(infoField(expired.root, 'headline')[0]).toContain('SQ-091');
    });

    it('stock.low and stock.expiring, at the site, for staff only', async () => {
      await ds.transaction((m) => t.app.get(StockAlerts).check(m, new Date()));
      for (const type of ['stock.low', 'stock.expiring']) {
        const id = await eventId(type, 'true', []);
        const [site] = await ds.query(
          `SELECT f.code, f.lat, f.lng FROM events e JOIN facilities f ON f.id = e.facility_id WHERE e.id = $1`,
          [id],
        );
        const { root } = await capOf(id);
        expect([capField(root, 'scope'), capField(root, 'restriction')]).toEqual(['Restricted', expect.stringContaining('staff only')]);
        expect(infoField(root, 'category')).toEqual(['Infra', 'Infra']);
        expect(textsOf(root, 'circle')[0]).toBe(`${site.lat.toFixed(5)},${site.lng.toFixed(5)} 0.5`);
        expect(textsOf(root, 'areaDesc')[0]).toContain(site.code);
      }
    });

    it.each(['warning', 'critical'])('notice.posted (%s), for everyone', async (severity) => {
      const res = await t.http().post('/api/notices').set(auth(commander)).send({ title: `台风“海葵”${severity}`, body: '各点位进入待命状态', severity });
      expect(res.status).toBe(201);
      const { root } = await capOf(res.body.id);
      expect([capField(root, 'scope'), capField(root, 'msgType')]).toEqual(['Public', 'Alert']);
      expect(infoField(root, 'severity')).toEqual(severity === 'critical' ? ['Severe', 'Severe'] : ['Moderate', 'Moderate']);
      expect(textsOf(root, 'description')).toEqual(['各点位进入待命状态', '各点位进入待命状态']);
    });
  });

  it('marks a drill incident as Exercise with a note', async () => {
    const coordinator = await t.login('coordinator');
    const squads = await squadsByCode(t, commander);
    const hour = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
    const plan = await t.http().post('/api/drills').set(auth(coordinator)).send({
      title: '渔港转移演练', kind: 'drill', areas: ['xiangzhi'], plannedStart: hour(1), plannedEnd: hour(2), squadIds: [squads.get('SQ-095')!.id],
    });
    expect(plan.status).toBe(201);
    expect((await t.http().post(`/api/drills/${plan.body.id}/start`).set(auth(coordinator))).status).toBe(200);
    const sent = await t.http().post(`/api/drills/${plan.body.id}/dispatches`).set(auth(coordinator)).send({ squadIds: [squads.get('SQ-095')!.id], title: '渔港转移', lat: 24.78, lng: 118.76 });
    expect(sent.status).toBe(201);
    // Acknowledged, so its deadline cannot add an alert while later tests compare the feed with the log.
    expect((await t.http().post(`/api/dispatches/${sent.body[0].id}/ack`).set(auth(await t.login('leader-095'))).send({ accept: true })).status).toBe(200);
    const { root } = await capOf(await incidentEvent('incident.created', sent.body[0].incidentId));
    expect(capField(root, 'status')).toBe('Exercise');
    expect(capField(root, 'note')).toMatch(/演练.*DRILL/);
    expect(infoField(root, 'headline').every((h) => /演练|DRILL/.test(h ?? ''))).toBe(true);
  });

  it('escapes XML-hostile titles: the document stays valid and the title parses back unchanged', async () => {
    const title = `<script>alert("x")</script> & 'quotes' 台风“海葵” 🌀`;
    const id = await createIncident(t, commander, { title, description: 'a < b && c > d ]]> e' });
    const { xml, root } = await capOf(await incidentEvent('incident.created', id));
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('&lt;script&gt;');
    expect(infoField(root, 'headline')[0]).toBe(`救援（严重）：${title}`);
    expect(textsOf(root, 'description')[0]).toContain(`事件：${title}`);
    expect(textsOf(root, 'description')[1]).toContain('Details: a < b && c > d ]]> e');
  });

  it('keeps entity-like text (&nbsp;, R&D;) as text: the message and the whole feed stay valid XML', async () => {
    const title = '停电&nbsp;通知 R&D; 中心 &amp;';
    const id = await createIncident(t, commander, { title, description: '&lt;b&gt; &copy; 2026 & co; &#65;' });
    const { xml, root } = await capOf(await incidentEvent('incident.created', id));
    expect(xml).toContain('&amp;#65;');
    expect(infoField(root, 'headline')[0]).toBe(`救援（严重）：${title}`);
    expect(textsOf(root, 'description')[1]).toContain('Details: &lt;b&gt; &copy; 2026 & co;');
    const feed = body(await getText('/api/cap/feed', commander)) as string;
    expect((await wellFormed(feed)).errors).toEqual([]);
    const titles = children(parseXml(feed), 'entry', ATOM_NS).map((e) => childText(e, 'title', ATOM_NS));
    expect(titles).toContain(`救援（严重）：${title}`);
  });

  it('serves an Atom feed of the newest CAP messages, newest first, each linking to its CAP document', async () => {
    const res = await getText('/api/cap/feed?limit=5', commander);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const feed = parseXml(body(res));
    expect([feed.localName, feed.namespaceURI]).toEqual(['feed', ATOM_NS]);
    expect(childText(feed, 'id', ATOM_NS)).toBe(`urn:pingji:${SENDER}:cap-feed`);
    expect(children(feed, 'link', ATOM_NS).find((l) => l.getAttribute('rel') === 'self')?.getAttribute('href')).toBe(`${PUBLIC_URL}/api/cap/feed`);
    expect(childText(children(feed, 'author', ATOM_NS)[0], 'name', ATOM_NS)).toContain('石狮市平急指挥中心');
    const entries = children(feed, 'entry', ATOM_NS);
    expect(entries).toHaveLength(5);
    const expected: { id: string; type: string }[] = await ds.query(
      `SELECT id::text AS id, type FROM events WHERE severity <> 'info' OR type IN ('incident.created', 'incident.updated', 'switchover.completed') ORDER BY events.id DESC LIMIT 5`,
    );
    expect(entries.map((e) => childText(e, 'id', ATOM_NS))).toEqual(expected.map((e) => identifier(e.id)));
    expect(childText(feed, 'updated', ATOM_NS)).toBe(childText(entries[0], 'updated', ATOM_NS));
    for (const [i, entry] of entries.entries()) {
      expect(children(entry, 'category', ATOM_NS)[0].getAttribute('term')).toBe(expected[i].type);
      expect(childText(entry, 'title', ATOM_NS)).not.toBe('');
      const link = children(entry, 'link', ATOM_NS)[0];
      expect([link.getAttribute('rel'), link.getAttribute('type'), link.getAttribute('href')]).toEqual(['alternate', 'application/cap+xml', `${PUBLIC_URL}/api/alerts/${expected[i].id}/cap`]);
    }
    // The link leads to the message the entry names.
    const first = await capOf(expected[0].id);
    expect(infoField(first.root, 'headline')[0]).toBe(childText(entries[0], 'title', ATOM_NS));

    const all = parseXml(body(await getText('/api/cap/feed', commander)));
    expect(children(all, 'entry', ATOM_NS)).toHaveLength(50);
    for (const limit of ['0', '501', 'ten']) expect((await getText(`/api/cap/feed?limit=${limit}`, commander)).status).toBe(400);
  });

  it('shows a squad leader only what they may see, in the feed and by id', async () => {
    const squads = await squadsByCode(t, commander);
    const incident = await createIncident(t, commander, { title: '两队调度' });
    const ids: Record<string, string> = {};
    for (const code of ['SQ-100', 'SQ-101']) {
      const [d] = (await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [squads.get(code)!.id] })).body;
      expect((await t.http().post(`/api/dispatches/${d.id}/ack`).set(auth(await t.login(`leader-${code.slice(3)}`))).send({ accept: false })).status).toBe(200);
      ids[code] = await eventId('dispatch.declined', 'dispatch_id = $2', [d.id]);
    }
    const leader = await t.login('leader-100');
    await capOf(ids['SQ-100'], leader);
    await capOf(await incidentEvent('incident.created', incident), leader);
    const other = await getText(`/api/alerts/${ids['SQ-101']}/cap`, leader);
    expect(other.status).toBe(404);
    expect(errorOf(other).code).toBe('CAP.NOT_FOUND');
    const staffOnly = await eventId('stock.low', 'true', []);
    expect((await getText(`/api/alerts/${staffOnly}/cap`, leader)).status).toBe(404);
    const feed = parseXml(body(await getText('/api/cap/feed?limit=500', leader)));
    const seen = children(feed, 'entry', ATOM_NS).map((e) => childText(e, 'id', ATOM_NS));
    expect(seen).toContain(identifier(ids['SQ-100']));
    expect(seen).not.toContain(identifier(ids['SQ-101']));
    expect(seen).not.toContain(identifier(staffOnly));
  });

  it('answers bad and unknown ids with 400 and 404, never 500', async () => {
    const [notAlert] = await ds.query(`SELECT id::text AS id FROM events WHERE type = 'dispatch.created' LIMIT 1`);
    for (const [id, status, code] of [
      ['abc', 400, 'REQUEST.BAD_ID'],
      ['-1', 400, 'REQUEST.BAD_ID'],
      ['1'.repeat(19), 400, 'REQUEST.BAD_ID'],
      ['999999999999', 404, 'CAP.NOT_FOUND'],
      [notAlert.id, 404, 'CAP.NOT_FOUND'],
    ] as const) {
      const res = await getText(`/api/alerts/${id}/cap`, commander);
      expect([id, res.status, errorOf(res).code]).toEqual([id, status, code]);
    }
    expect((await t.http().get('/api/cap/feed')).status).toBe(401);
  });

  describe('read-only API tokens', () => {
    it('are made by a commander, read the CAP routes as a viewer would, nothing else, and stop at revocation', async () => {
      const made = await t.http().post('/api/api-tokens').set(auth(commander)).send({ name: '  泉州市预警信息发布平台  ' });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({ id: expect.any(String), name: '泉州市预警信息发布平台', createdAt: expect.any(String) });
      expect(made.body.token).toMatch(/^pjt_[A-Za-z0-9_-]{43}$/);
      const token = made.body.token as string;
      const [stored] = await ds.query('SELECT token_hash FROM api_tokens WHERE id = $1', [made.body.id]);
      expect(stored.token_hash).not.toContain(token.slice(4));

      const feed = await getText('/api/cap/feed?limit=3', token);
      expect(feed.status).toBe(200);
      expect(children(parseXml(body(feed)), 'entry', ATOM_NS)).toHaveLength(3);
      await capOf(await eventId('stock.low', 'true', []), token); // staff-only: a viewer may read it

      const elsewhere = await t.http().get('/api/facilities').set(auth(token));
      expect(elsewhere.status).toBe(401);
      expect(elsewhere.body).toMatchObject({ code: 'AUTH.API_TOKEN_NOT_ALLOWED', message: expect.stringContaining('API tokens can only read the CAP feed and CAP alerts') });
      expect((await t.http().post('/api/api-tokens').set(auth(token)).send({ name: 'more' })).status).toBe(401);

      const list = await t.http().get('/api/api-tokens').set(auth(commander));
      expect(list.status).toBe(200);
      const listed = list.body.find((x: { id: string }) => x.id === made.body.id);
      expect(listed).toMatchObject({ name: '泉州市预警信息发布平台', createdBy: 'commander', revokedAt: null, lastUsedAt: expect.any(String) });
      expect(JSON.stringify(list.body)).not.toContain(token);

      expect((await t.http().delete(`/api/api-tokens/${made.body.id}`).set(auth(commander))).status).toBe(204);
      const revoked = await getText('/api/cap/feed', token);
      expect(revoked.status).toBe(401);
      expect(errorOf(revoked).code).toBe('AUTH.INVALID_API_TOKEN');
      expect((await t.http().get('/api/api-tokens').set(auth(commander))).body.find((x: { id: string }) => x.id === made.body.id).revokedAt).toEqual(expect.any(String));
      const audit = await ds.query(`SELECT type FROM events WHERE payload->>'tokenId' = $1 ORDER BY events.id`, [made.body.id]);
      expect(audit.map((a: { type: string }) => a.type)).toEqual(['api_token.created', 'api_token.revoked']);
    });

    it('refuse made-up tokens, and only commanders manage them', async () => {
      expect((await getText('/api/cap/feed', `pjt_${'x'.repeat(43)}`)).status).toBe(401);
      expect((await getText('/api/cap/feed', 'pjt_short')).status).toBe(401);
      for (const who of ['viewer', 'coordinator', 'leader-001']) {
        const token = await t.login(who);
        expect((await t.http().post('/api/api-tokens').set(auth(token)).send({ name: 'x' })).status).toBe(403);
        expect((await t.http().get('/api/api-tokens').set(auth(token))).status).toBe(403);
      }
      for (const name of ['', '   ', 'x'.repeat(101), 42]) {
        const res = await t.http().post('/api/api-tokens').set(auth(commander)).send({ name });
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('REQUEST.VALIDATION');
      }
      expect((await t.http().post('/api/api-tokens').set(auth(commander)).send({ name: 'ok', extra: 1 })).status).toBe(400);
      expect((await t.http().delete('/api/api-tokens/not-a-uuid').set(auth(commander))).status).toBe(400);
      const unknown = await t.http().delete('/api/api-tokens/00000000-0000-4000-8000-000000000000').set(auth(commander));
      expect([unknown.status, unknown.body.code]).toEqual([404, 'API_TOKEN.NOT_FOUND']);
    });
  });
});
