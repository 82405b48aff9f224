import { DataSource } from 'typeorm';
import { createIncident, squadsByCode } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SECRET = 'gateway-secret-0123456789';

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await sleep(150);
  }
}

interface Site { id: string; code: string; type: string; areaCode: string; capacity: number | null }
interface Entry { userId: string; username: string; answeredAt?: string; escalatedAt?: string; resentAt?: string; answeredVia?: string }

describe('site managers, 叫应, capacity and check-ins (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let commander: string;
  let manager: string;
  let sites: Site[];
  const managerSites = async (username: string): Promise<string[]> =>
    (await ds.query(
      `SELECT f.code FROM user_facilities uf JOIN users u ON u.id = uf.user_id JOIN facilities f ON f.id = uf.facility_id WHERE u.username = $1 ORDER BY f.code`,
      [username],
    )).map((r: { code: string }) => r.code);
  const byCode = (code: string) => sites.find((s) => s.code === code)!;
  const get = (path: string, token = commander) => t.http().get(path).set(auth(token));
  const post = (path: string, body: object, token = commander) => t.http().post(path).set(auth(token)).send(body);

  beforeAll(async () => {
    t = await startTestApp({ SWEEP_INTERVAL_MS: '200', PAR_INTERVAL_MINUTES: '0.05', OUTBOUND_REPLY_SECRET: SECRET, STOCK_CHECK_INTERVAL_MS: '86400000' });
    ds = t.app.get(DataSource);
    commander = await t.login('commander');
    manager = await t.login('mgr-xz-nc-01');
    sites = (await get('/api/facilities')).body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('seeds one manager per neighborhood center, bound to the center and the smaller sites of its grid zone', async () => {
    const centers = sites.filter((s) => s.type === 'neighborhood_center');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM users WHERE role = 'site_manager' AND is_demo`);
    expect(n).toBe(centers.length);
    const mine = (await get('/api/me/sites', manager)).body as { code: string; type: string }[];
    expect(mine[0].code).toBe('XZ-NC-01');
    expect(mine.filter((s) => s.type === 'neighborhood_center').map((s) => s.code)).toEqual(['XZ-NC-01']);
    const [zone] = await ds.query(`SELECT grid_zone_code AS z FROM facilities WHERE code = 'XZ-NC-01'`);
    const expected = await ds.query(
      `SELECT code FROM facilities WHERE code = 'XZ-NC-01' OR (grid_zone_code = $1 AND type <> 'neighborhood_center') ORDER BY code`,
      [zone.z],
    );
    expect(mine.map((s) => s.code).sort()).toEqual(expected.map((r: { code: string }) => r.code));
    expect(mine.length).toBeGreaterThan(1);
    expect((await get('/api/auth/me', manager)).body).toMatchObject({ username: 'mgr-xz-nc-01', role: 'site_manager' });
  });

  it('lets a manager act on their own sites only: 403 elsewhere and on every commander route', async () => {
    const own = (await managerSites('mgr-xz-nc-01'))[0];
    const other = byCode('HB-NC-01');
    expect((await post(`/api/facilities/${byCode(own).id}/reports`, { status: 'open' }, manager)).status).toBe(201);
    const elsewhere = await post(`/api/facilities/${other.id}/reports`, { status: 'open' }, manager);
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.code).toBe('SITE.NOT_YOUR_SITE');
    // A squad leader is no site's manager.
    expect((await post(`/api/facilities/${byCode(own).id}/reports`, { status: 'open' }, await t.login('leader-001'))).status).toBe(403);
    const forbidden: [string, object][] = [
      ['/api/switchovers', { mode: 'emergency', reason: 'x', scope: { facilityIds: [byCode(own).id] } }],
      ['/api/stock-movements', { facilityId: byCode(own).id, itemCode: 'water', kind: 'receive', quantity: 1 }],
      ['/api/stock-transfers', { fromFacilityId: other.id, toFacilityId: byCode(own).id, itemCode: 'water', quantity: 1 }],
      ['/api/roll-calls', { message: 'x', audience: { areas: ['xiangzhi'] }, answerWithinMinutes: 5 }],
      ['/api/users', { username: 'someone-new', password: 'long-enough-password', role: 'viewer' }],
      ['/api/incidents', { kind: 'rescue', severity: 'severe', title: 't', lat: 24.78, lng: 118.76 }],
      [`/api/supply-requests/${other.id}/transfer`, { fromFacilityId: other.id }],
      [`/api/dispatches/${other.id}/check-in`, {}],
    ];
    for (const [path, body] of forbidden) {
      const res = await post(path, body, manager);
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
    }
    // Reads are open to them, without volunteers' personal data.
    const squads = await squadsByCode(t, commander);
    const squad = (await get(`/api/squads/${squads.get('SQ-001')!.id}`, manager)).body;
    expect(squad.personalData).toBe(false);
    expect(JSON.stringify(squad)).not.toMatch(/"phone"/);
    expect((await get(`/api/facilities/${byCode(own).id}/stock`, manager)).status).toBe(200);
    expect((await get('/api/outbox', manager)).status).toBe(403);
  });

  it('creates site managers bound to sites (commander only), and refuses a mismatch', async () => {
    const site = byCode('YN-NC-01');
    const made = await post('/api/users', { username: 'mgr-custom', password: 'long-enough-password', role: 'site_manager', facilityIds: [site.id] });
    expect(made.status).toBe(201);
    expect(made.body.facilityIds).toEqual([site.id]);
    const none = await post('/api/users', { username: 'mgr-none', password: 'long-enough-password', role: 'site_manager' });
    expect(none.status).toBe(400);
    expect(none.body.code).toBe('USER.FACILITIES_MISMATCH');
    const viewer = await post('/api/users', { username: 'viewer-sites', password: 'long-enough-password', role: 'viewer', facilityIds: [site.id] });
    expect(viewer.body.code).toBe('USER.FACILITIES_MISMATCH');
    const unknown = await post('/api/users', { username: 'mgr-ghost', password: 'long-enough-password', role: 'site_manager', facilityIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.status).toBe(404);
    const custom = await t.login('mgr-custom', 'long-enough-password');
    expect((await post(`/api/facilities/${site.id}/reports`, { status: 'limited', occupancy: 3 }, custom)).status).toBe(201);
    expect((await post(`/api/facilities/${byCode('YN-NC-02').id}/reports`, { status: 'open' }, custom)).status).toBe(403);
  });

  it('adds up capacity from known reports, per area and for the city; needs become supply requests the commander fulfils with a transfer', async () => {
    const jin = sites.filter((s) => s.areaCode === 'jinshang');
    const [a, b, c] = jin;
    expect((await post(`/api/facilities/${a.id}/reports`, { status: 'open', capacity: 60, occupancy: 40, needs: [{ itemCode: 'blanket', quantity: 20 }, { itemCode: 'blanket', quantity: 5 }] })).status).toBe(201);
    expect((await post(`/api/facilities/${b.id}/reports`, { status: 'full', capacity: 30, occupancy: 30 })).status).toBe(201);
    expect((await post(`/api/facilities/${c.id}/reports`, { status: 'closed', capacity: 100, occupancy: 0 })).status).toBe(201);
    const cap = (await get('/api/capacity?area=jinshang')).body;
    expect(cap.areas).toEqual([{ code: 'jinshang', openSites: 2, capacity: 90, occupancy: 70, free: 20 }]);
    const all = (await get('/api/capacity')).body as { areas: { openSites: number; capacity: number; occupancy: number; free: number }[]; city: Record<string, number> };
    const sum = (k: 'openSites' | 'capacity' | 'occupancy' | 'free') => all.areas.reduce((n, r) => n + r[k], 0);
    expect(all.city).toEqual({ openSites: sum('openSites'), capacity: sum('capacity'), occupancy: sum('occupancy'), free: sum('free') });
    expect((await post(`/api/facilities/${a.id}/reports`, { status: 'open', occupancy: 999999999 })).status).toBe(400);
    expect((await post(`/api/facilities/${a.id}/reports`, { status: 'half' })).status).toBe(400);
    expect((await post(`/api/facilities/${a.id}/reports`, { status: 'open', needs: [{ itemCode: 'unicorns', quantity: 1 }] })).status).toBe(404);

    const history = (await get(`/api/facilities/${a.id}/reports`)).body;
    expect(history[0]).toMatchObject({ status: 'open', capacity: 60, occupancy: 40, needs: [{ itemCode: 'blanket', quantity: 25 }] });
    const [requestId] = history[0].supplyRequestIds;
    const requests = (await get(`/api/supply-requests?status=open&facilityId=${a.id}`)).body;
    expect(requests).toEqual([expect.objectContaining({ id: requestId, itemCode: 'blanket', quantity: 25, status: 'open' })]);
    const store = sites.find((s) => s.areaCode === 'hubin' && s.type === 'neighborhood_center')!;
    expect((await post('/api/stock-movements', { facilityId: store.id, itemCode: 'blanket', kind: 'receive', quantity: 100 })).status).toBe(201);
    const done = await post(`/api/supply-requests/${requestId}/transfer`, { fromFacilityId: store.id });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'fulfilled' });
    expect(done.body.transferId).toBeTruthy();
    expect((await post(`/api/supply-requests/${requestId}/transfer`, { fromFacilityId: store.id })).status).toBe(409);
    const [moved] = await ds.query(`SELECT count(*)::int AS n FROM stock_movements WHERE transfer_id = $1`, [done.body.transferId]);
    expect(moved.n).toBeGreaterThanOrEqual(2);
    const events = await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'site.reported' AND facility_id = $1`, [a.id]);
    expect(events[0].n).toBe(1);
  });

  it('sends a 叫应 to an area to exactly the managers of its sites; answers are idempotent; the outbox has one message each; the deadline escalates once', async () => {
    const expected = (await ds.query(
      `SELECT DISTINCT u.username FROM user_facilities uf JOIN users u ON u.id = uf.user_id JOIN facilities f ON f.id = uf.facility_id
       WHERE f.area_code = 'xiangzhi' AND u.disabled_at IS NULL ORDER BY u.username`,
    )).map((r: { username: string }) => r.username);
    expect(expected.length).toBeGreaterThan(2);
    expect(expected.every((u: string) => u.startsWith('mgr-xz-'))).toBe(true);
    const res = await post('/api/roll-calls', { message: '台风红色预警：请确认阵地已开放', audience: { areas: ['xiangzhi'] }, answerWithinMinutes: 5 });
    expect(res.status).toBe(201);
    const round = res.body;
    expect(round.entries.map((e: Entry) => e.username).sort()).toEqual(expected);
    expect(round.exercise).toBe(false);

    const outbox = (await get(`/api/outbox?refId=${round.id}&topic=roll_call`)).body as { recipient: string; replyCode: string; body: string }[];
    expect(outbox.map((o) => o.recipient).sort()).toEqual(expected.map((u: string) => `user:${u}`));
    expect(outbox.every((o) => /^[0-9A-F]{8}$/.test(o.replyCode) && o.body.includes(o.replyCode))).toBe(true);
    await waitFor(async () => (await get(`/api/outbox?refId=${round.id}`)).body as { sentAt: string | null }[], (rows) => rows.every((r) => r.sentAt));
    expect(((await get(`/api/outbox?refId=${round.id}`)).body as { driver: string }[]).every((r) => r.driver === 'log')).toBe(true);

    // The manager sees the round, with their own entry only, and answers twice.
    const mine = (await get('/api/roll-calls?open=true', manager)).body as { id: string; entries: Entry[] }[];
    const seen = mine.find((r) => r.id === round.id)!;
    expect(seen.entries.map((e) => e.username)).toEqual(['mgr-xz-nc-01']);
    const first = await post(`/api/roll-calls/${round.id}/answer`, { note: '已开放' }, manager);
    const again = await post(`/api/roll-calls/${round.id}/answer`, {}, manager);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.body.entries[0].answeredAt).toBe(first.body.entries[0].answeredAt);
    expect((await get('/api/roll-calls?open=true', manager)).body.some((r: { id: string }) => r.id === round.id)).toBe(false);
    // Someone not asked.
    const outsider = await post(`/api/roll-calls/${round.id}/answer`, {}, await t.login('mgr-hb-nc-01'));
    expect(outsider.status).toBe(403);
    expect((await get(`/api/roll-calls/${round.id}`, await t.login('mgr-hb-nc-01'))).status).toBe(404);

    // A reply code through the gateway hook counts like an app answer.
    const second = outbox.find((o) => o.recipient === `user:${expected.find((u: string) => u !== 'mgr-xz-nc-01')}`)!;
    const badSecret = await t.http().post('/api/outbox/replies').set('x-gateway-secret', 'wrong').send({ replyCode: second.replyCode });
    expect(badSecret.status).toBe(401);
    const replied = await t.http().post('/api/outbox/replies').set('x-gateway-secret', SECRET).send({ replyCode: second.replyCode.toLowerCase(), note: '收到' });
    expect(replied.status).toBe(200);
    expect(replied.body.rollCallId).toBe(round.id);
    const unknownCode = await t.http().post('/api/outbox/replies').set('x-gateway-secret', SECRET).send({ replyCode: 'ZZZZZZZZ' });
    expect(unknownCode.status).toBe(404);

    const now = (await get(`/api/roll-calls/${round.id}`)).body;
    expect(now.answered).toBe(2);
    expect(now.entries.find((e: Entry) => e.username === second.recipient.slice(5)).answeredVia).toBe('reply');
    const answeredEvents = await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'roll_call.answered' AND payload->>'rollCallId' = $1`, [round.id]);
    expect(answeredEvents[0].n).toBe(2);

    // The deadline passes (brought forward: logins are slow on purpose): every unanswered entry is escalated once, and asked once more.
    expect((await get(`/api/roll-calls/${round.id}`)).body.entries.every((e: Entry) => !e.escalatedAt)).toBe(true);
    await ds.query(`UPDATE roll_calls SET deadline = now() - interval '1 second' WHERE id = $1`, [round.id]);
    const escalated = await waitFor(
      async () => (await get(`/api/roll-calls/${round.id}`)).body,
      (r: { entries: Entry[] }) => r.entries.filter((e) => !e.answeredAt).every((e) => e.escalatedAt),
    );
    const unanswered = (escalated.entries as Entry[]).filter((e) => !e.answeredAt);
    expect(unanswered.length).toBe(expected.length - 2);
    expect(unanswered.every((e) => e.escalatedAt && e.resentAt)).toBe(true);
    expect((escalated.entries as Entry[]).filter((e) => e.answeredAt).every((e) => !e.escalatedAt)).toBe(true);
    await sleep(800); // more sweeps
    const alerts = await ds.query(`SELECT severity, audience, payload FROM events WHERE type = 'roll_call.escalated' AND payload->>'rollCallId' = $1`, [round.id]);
    expect(alerts.length).toBe(1);
    expect(alerts[0].severity).toBe('warning');
    expect(alerts[0].payload.unanswered.map((u: { username: string }) => u.username).sort()).toEqual(unanswered.map((e) => e.username).sort());
    expect(alerts[0].payload.unanswered.every((u: { sites: unknown[] }) => u.sites.length > 0)).toBe(true);
    const resent = (await get(`/api/outbox?refId=${round.id}&topic=roll_call.resend`)).body as { recipient: string }[];
    expect(resent.map((o) => o.recipient).sort()).toEqual(unanswered.map((e) => `user:${e.username}`).sort());
    const open = (await get('/api/alerts?open=true')).body as { type: string; payload: { rollCallId?: string } }[];
    expect(open.some((a) => a.type === 'roll_call.escalated' && a.payload.rollCallId === round.id)).toBe(true);
    // Staff-only: a manager's alerts are the city-wide ones.
    const managerAlerts = (await get('/api/alerts?open=true', manager)).body as { type: string }[];
    expect(managerAlerts.some((a) => a.type === 'roll_call.escalated')).toBe(false);
  }, 60_000);

  it('lets a coordinator start exercise rounds only, marked exercise', async () => {
    const coordinator = await t.login('coordinator');
    const real = await post('/api/roll-calls', { message: '演练', audience: { roles: ['coordinator'] }, answerWithinMinutes: 5 }, coordinator);
    expect(real.status).toBe(403);
    expect(real.body.code).toBe('ROLL_CALL.EXERCISE_ONLY');
    const drill = await post('/api/roll-calls', { message: '演练叫应', audience: { areas: ['hanjiang'] }, answerWithinMinutes: 5, exercise: true }, coordinator);
    expect(drill.status).toBe(201);
    expect(drill.body.exercise).toBe(true);
    const [ev] = await ds.query(`SELECT exercise FROM events WHERE type = 'roll_call.started' AND payload->>'rollCallId' = $1`, [drill.body.id]);
    expect(ev.exercise).toBe(true);
    const out = (await get(`/api/outbox?refId=${drill.body.id}`)).body as { exercise: boolean; body: string }[];
    expect(out.length).toBe(drill.body.entries.length);
    expect(out.every((o) => o.exercise && o.body.startsWith('【演练】'))).toBe(true);
    expect((await post('/api/roll-calls', { message: 'x', audience: {}, answerWithinMinutes: 5 })).body.code).toBe('ROLL_CALL.EMPTY_AUDIENCE');
    expect((await post('/api/roll-calls', { message: 'x', audience: { areas: ['atlantis'] }, answerWithinMinutes: 5 })).body.code).toBe('ROLL_CALL.UNKNOWN_AREA');
    expect((await post('/api/roll-calls', { message: 'x', audience: { areas: ['hubin'] }, answerWithinMinutes: 0 })).status).toBe(400);
  });

  it('starts a round for the managers of the sites an emergency switchover converts, in the switchover', async () => {
    const res = await post('/api/switchovers', { mode: 'emergency', reason: '风暴潮', scope: { areas: ['hongshan'] } });
    expect(res.status).toBe(201);
    expect(res.body.rollCallId).toBeTruthy();
    const round = (await get(`/api/roll-calls/${res.body.rollCallId}`)).body;
    expect(round).toMatchObject({ source: 'switchover', switchoverId: res.body.id, exercise: false });
    const expected = (await ds.query(
      `SELECT DISTINCT u.username FROM user_facilities uf JOIN users u ON u.id = uf.user_id WHERE uf.facility_id = ANY($1::uuid[]) ORDER BY u.username`,
      [res.body.switched],
    )).map((r: { username: string }) => r.username);
    expect(round.entries.map((e: Entry) => e.username).sort()).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    // Back to normal: no round.
    const back = await post('/api/switchovers', { mode: 'normal', reason: '解除', scope: { areas: ['hongshan'] } });
    expect(back.body.rollCallId).toBeUndefined();
  });

  it('times check-ins of a squad on scene: own leader, idempotent, a missed one a warning then critical', async () => {
    const squads = await squadsByCode(t, commander);
    const sq = squads.get('SQ-090')!;
    const incident = await createIncident(t, commander);
    const [d] = (await post(`/api/incidents/${incident}/dispatches`, { squadIds: [sq.id] })).body;
    const dispatchMessages = (await get(`/api/outbox?topic=dispatch&refId=${d.id}`)).body;
    expect(dispatchMessages).toEqual([expect.objectContaining({ recipient: 'user:leader-090', topic: 'dispatch' })]);
    const leader = await t.login('leader-090');
    const early = await post(`/api/dispatches/${d.id}/check-in`, {}, leader);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('CHECK_IN.NOT_ON_SCENE');
    expect((await post(`/api/dispatches/${d.id}/ack`, { accept: true }, leader)).status).toBe(200);
    expect((await post(`/api/dispatches/${d.id}/progress`, { status: 'en_route' }, leader)).status).toBe(200);
    expect((await post(`/api/dispatches/${d.id}/progress`, { status: 'on_scene' }, leader)).status).toBe(200);
    const one = await post(`/api/dispatches/${d.id}/check-in`, { note: '3人获救', lat: 24.781, lng: 118.762 }, leader);
    expect(one.status).toBe(200);
    expect(new Date(one.body.nextDueAt).getTime()).toBeGreaterThan(Date.now());
    const two = await post(`/api/dispatches/${d.id}/check-in`, {}, leader);
    expect(two.status).toBe(200);
    // The board and the phone read the timer from the dispatch.
    expect((await get(`/api/dispatches/${d.id}`)).body).toMatchObject({ checkInDueAt: two.body.nextDueAt, lastCheckInAt: two.body.checkedInAt, checkInMisses: 0 });
    expect((await post(`/api/dispatches/${d.id}/check-in`, {}, await t.login('leader-091'))).status).toBe(403);
    expect((await post(`/api/dispatches/${d.id}/check-in`, { lat: 91 }, leader)).status).toBe(400);

    const missed = async () =>
      (await ds.query(`SELECT severity, payload FROM events WHERE type = 'dispatch.check_in_missed' AND dispatch_id = $1 ORDER BY id`, [d.id])) as {
        severity: string;
        payload: { misses: number };
      }[];
    const both = await waitFor(missed, (rows) => rows.length >= 2, 20_000);
    expect(both.map((r) => [r.severity, r.payload.misses])).toEqual([['warning', 1], ['critical', 2]]);
    await sleep(4000); // the timer stops after the second miss until the next check-in
    expect((await missed()).length).toBe(2);
    const alerts = (await get('/api/alerts?open=true')).body as { type: string; dispatchId?: string; severity: string }[];
    expect(alerts.filter((a) => a.type === 'dispatch.check_in_missed' && a.dispatchId === d.id).map((a) => a.severity).sort()).toEqual(['critical', 'warning']);
    // Checking in restarts it; completing stops it.
    expect((await post(`/api/dispatches/${d.id}/check-in`, {}, leader)).status).toBe(200);
    expect((await post(`/api/dispatches/${d.id}/progress`, { status: 'completed' }, leader)).status).toBe(200);
    const [row] = await ds.query('SELECT check_in_due_at FROM dispatches WHERE id = $1', [d.id]);
    expect(row.check_in_due_at).toBeNull();
  }, 60_000);
});
