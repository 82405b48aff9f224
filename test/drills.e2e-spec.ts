import { DataSource } from 'typeorm';
import { parseCsv } from '../src/common/csv.js';
import { connectClient } from './helpers/sockets.js';
import { squadsByCode } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { asText } from './helpers/text-body.js';

describe('drills and trainings (e2e)', () => {
  let t: TestApp;
  let coordinator: string;
  let commander: string;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const hourFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

  beforeAll(async () => {
    t = await startTestApp();
    coordinator = await t.login('coordinator');
    commander = await t.login('commander');
  });
  afterAll(async () => {
    await t.close();
  });

  const plan = async (squadIds: string[], title = '祥芝渔港台风转移演练') => {
    const res = await t.http().post('/api/drills').set(auth(coordinator)).send({
      title, kind: 'drill', scenario: '台风登陆前渔港人员转移', areas: ['xiangzhi'], plannedStart: hourFromNow(1), plannedEnd: hourFromNow(3), squadIds,
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };

  it('seeds a year of 220+ drills and trainings, counted by kind, squads, people, hours, area and month', async () => {
    const year = new Date().getUTCFullYear();
    const stats = (await t.http().get(`/api/drills/stats?year=${year}`).set(auth(commander))).body;
    const lastYear = (await t.http().get(`/api/drills/stats?year=${year - 1}`).set(auth(commander))).body;
    expect(stats.drills + lastYear.drills).toBeGreaterThanOrEqual(220);
    expect(Object.keys(stats.byKind).sort()).toEqual(['drill', 'training']);
    expect(stats.squads).toBeGreaterThan(50);
    expect(stats.people).toBeGreaterThan(stats.squads * 4);
    expect(stats.hours).toBeGreaterThan(stats.drills);
    expect(Object.values(stats.byArea as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(stats.drills);
  });

  it('runs the lifecycle with its rules: no dispatch before start, no log after finish', async () => {
    const squads = await squadsByCode(t, commander);
    const id = await plan([squads.get('SQ-080')!.id]);
    const send = () => t.http().post(`/api/drills/${id}/dispatches`).set(auth(coordinator)).send({ squadIds: [squads.get('SQ-080')!.id], title: '转移', lat: 24.78, lng: 118.76 });
    expect((await send()).status).toBe(409);
    expect((await t.http().post(`/api/drills/${id}/log`).set(auth(coordinator)).send({ text: '太早' })).status).toBe(409);
    expect((await t.http().post(`/api/drills/${id}/start`).set(auth(coordinator))).body.status).toBe('running');
    expect((await t.http().post(`/api/drills/${id}/start`).set(auth(coordinator))).status).toBe(409);
    expect((await t.http().post(`/api/drills/${id}/log`).set(auth(coordinator)).send({ text: '第一批群众到达安置点' })).status).toBe(201);
    expect((await t.http().post(`/api/drills/${id}/finish`).set(auth(coordinator)).send({ summary: '顺利' })).body.status).toBe('finished');
    const late = await t.http().post(`/api/drills/${id}/log`).set(auth(coordinator)).send({ text: '太迟' });
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('DRILL.INVALID_STATE');
    expect((await t.http().post('/api/drills').set(auth(await t.login('viewer'))).send({})).status).toBe(403);
    const bad = await t.http().post('/api/drills').set(auth(coordinator)).send({ title: 'x', kind: 'party', plannedStart: 'soon', plannedEnd: hourFromNow(1), squadIds: [] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'plannedStart', 'squadIds', 'title']);
  });

  it("keeps exercise traffic apart: the squad's real status is untouched, every event says exercise, the phone gets it marked", async () => {
    const squads = await squadsByCode(t, commander);
    const sq = squads.get('SQ-081')!;
    const id = await plan([sq.id]);
    await t.http().post(`/api/drills/${id}/start`).set(auth(coordinator));
    const leader = await t.login('leader-081');
    const phone = await connectClient(t.url, leader);
    await phone.replayDone;
    const sent = await t.http().post(`/api/drills/${id}/dispatches`).set(auth(coordinator)).send({ squadIds: [sq.id], title: '渔港转移', lat: 24.78, lng: 118.76 });
    expect(sent.status).toBe(201);
    const dispatchId = sent.body[0].id;
    expect(sent.body[0]).toMatchObject({ exercise: true, drillId: id, status: 'pending' });
    await phone.until((e) => e.some((x) => x.dispatchId === dispatchId));
    expect(phone.events.find((x) => x.dispatchId === dispatchId)).toMatchObject({ exercise: true, drillId: id });
    // The leader's message beyond the app says it is a drill.
    const messages = (await t.http().get(`/api/outbox?topic=dispatch&refId=${dispatchId}`).set(auth(commander))).body as { body: string; exercise: boolean }[];
    expect(messages).toEqual([expect.objectContaining({ exercise: true, body: expect.stringMatching(/^【演练】【调度】SQ-081：/) })]);

    // The same routine as a real dispatch…
    expect((await t.http().post(`/api/dispatches/${dispatchId}/ack`).set(auth(leader)).send({ accept: true })).body.status).toBe('accepted');
    expect((await t.http().post(`/api/dispatches/${dispatchId}/progress`).set(auth(leader)).send({ status: 'en_route' })).status).toBe(200);
    expect((await t.http().post(`/api/dispatches/${dispatchId}/progress`).set(auth(leader)).send({ status: 'on_scene' })).status).toBe(200);
    // …but the squad stays really available, and a real dispatch can still take it.
    expect((await t.http().get(`/api/squads/${sq.id}`).set(auth(commander))).body.status).toBe('available');
    const ds = t.app.get(DataSource);
    const notExercise = await ds.query('SELECT type FROM events WHERE drill_id = $1 AND NOT exercise', [id]);
    expect(notExercise).toEqual([]);
    const statusEvents = await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'squad.status_changed' AND squad_id = $1`, [sq.id]);
    expect(statusEvents[0].n).toBe(0);
    phone.close();

    const report = (await t.http().get(`/api/drills/${id}/report`).set(auth(commander))).body;
    expect(report.squads[0]).toMatchObject({ code: 'SQ-081', secondsToAcknowledge: expect.any(Number), secondsToArrive: expect.any(Number) });
    expect(report.acknowledge).toMatchObject({ count: 1, median: report.squads[0].secondsToAcknowledge, worst: report.squads[0].secondsToAcknowledge });
    const log = (await t.http().get(`/api/drills/${id}/log`).set(auth(commander))).body;
    expect(log.map((e: { type: string | null }) => e.type)).toEqual(expect.arrayContaining(['drill.started', 'dispatch.created', 'dispatch.accepted', 'dispatch.progress']));
  });

  it('exports the year as CSV (UTF-8 with BOM) that parses back to the same rows, Chinese, commas and quotes included', async () => {
    const squads = await squadsByCode(t, commander);
    const title = '石湖"码头", 联合演练';
    const id = await plan([squads.get('SQ-082')!.id], title);
    const year = new Date(hourFromNow(1)).getUTCFullYear();
    const res = await t.http().get(`/api/drills/export.csv?year=${year}`).set(auth(commander)).buffer(true).parse(asText);
    expect(res.headers['content-type']).toContain('text/csv');
    const text = res.body as string;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows[0].slice(0, 3)).toEqual(['id', 'title', 'kind']);
    const drills = (await t.http().get(`/api/drills?year=${year}`).set(auth(commander))).body;
    expect(rows.length - 1).toBe(drills.length);
    expect(rows.find((r) => r[0] === id)!.slice(1, 5)).toEqual([title, 'drill', '台风登陆前渔港人员转移', 'xiangzhi']);
  });

  it('exports times in the asked time zone with their offset, refuses an unknown zone, and lists the seeded years', async () => {
    const squads = await squadsByCode(t, commander);
    const start = '2026-12-01T01:00:00.000Z';
    const res0 = await t.http().post('/api/drills').set(auth(coordinator)).send({
      title: '十二月防台演练', kind: 'drill', areas: ['xiangzhi'], plannedStart: start, plannedEnd: '2026-12-01T03:30:00.000Z', squadIds: [squads.get('SQ-083')!.id],
    });
    expect(res0.status).toBe(201);
    const csv = async (tz?: string) => {
      const res = await t.http().get(`/api/drills/export.csv?year=2026${tz ? `&tz=${encodeURIComponent(tz)}` : ''}`).set(auth(commander)).buffer(true).parse(asText);
      return { status: res.status, rows: res.status === 200 ? parseCsv((res.body as string).slice(1)) : [], body: res.body };
    };
    const local = (await csv('Asia/Shanghai')).rows;
    const head = local[0];
    const row = local.find((r) => r[0] === res0.body.id)!;
    expect(row[head.indexOf('plannedStart')]).toBe('2026-12-01T09:00:00+08:00');
    expect(row[head.indexOf('plannedEnd')]).toBe('2026-12-01T11:30:00+08:00');
    expect(row[head.indexOf('actualStart')]).toBe('');
    const utc = (await csv()).rows.find((r) => r[0] === res0.body.id)!;
    expect(utc[head.indexOf('plannedStart')]).toBe('2026-12-01T01:00:00+00:00');
    const bad = await t.http().get('/api/drills/export.csv?year=2026&tz=Mars%2FOlympus').set(auth(commander));
    expect(bad.status).toBe(400);

    const years = (await t.http().get('/api/drills/years').set(auth(commander))).body as number[];
    const thisYear = new Date().getUTCFullYear();
    expect(years).toContain(thisYear);
    expect(years).toContain(2026);
    expect(years.length).toBeGreaterThanOrEqual(2);
    expect([...years].sort((a, b) => b - a)).toEqual(years);
  });
});
