import { DataSource } from 'typeorm';
import { IdempotencyKeyExpiry } from '../src/common/idempotency.interceptor.js';
import { createIncident, leaderOf, squadsByCode, type SquadSummary } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { serverUrl } from './helpers/test-database.js';

// Claim, act and store in one transaction. The concurrency cases matter on a server (the embedded
// database runs one transaction at a time), so CI runs this file on both.
describe(`Idempotency-Key inside the action's transaction (e2e${serverUrl() ? ', server' : ''})`, () => {
  let t: TestApp;
  let ds: DataSource;
  let commander: string;
  let squads: Map<string, SquadSummary>;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startTestApp({ SWEEP_INTERVAL_MS: '60000' });
    ds = t.app.get(DataSource);
    commander = await t.login('commander');
    squads = await squadsByCode(t, commander);
  });
  afterAll(async () => {
    await t.close();
  });

  async function pendingDispatch(code: string): Promise<{ id: string; leader: string }> {
    const incident = await createIncident(t, commander);
    const res = await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [squads.get(code)!.id] });
    expect(res.status).toBe(201);
    return { id: res.body[0].id, leader: await t.login(leaderOf(code)) };
  }
  const count = async (sql: string, params: unknown[]) => (await ds.query(sql, params))[0].n as number;
  const accepted = (dispatchId: string) => count(`SELECT count(*)::int AS n FROM events WHERE type = 'dispatch.accepted' AND dispatch_id = $1`, [dispatchId]);
  const keyRows = (key: string) => count('SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1', [key]);

  it('applies two identical acknowledgements sent at once exactly once, and both get the same answer', async () => {
    const d = await pendingDispatch('SQ-060');
    const ack = () => t.http().post(`/api/dispatches/${d.id}/ack`).set(auth(d.leader)).set('idempotency-key', 'same-time-ack').send({ accept: true });
    const answers = await Promise.all([ack(), ack(), ack()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    for (const a of answers) expect(a.body).toEqual(answers[0].body);
    expect(answers[0].body).toMatchObject({ id: d.id, status: 'accepted' });
    expect(answers.filter((a) => a.headers['idempotent-replay'] === 'true')).toHaveLength(2);
    expect(await accepted(d.id)).toBe(1);
    expect(await keyRows('same-time-ack')).toBe(1);
  });

  it('applies two identical squad status changes sent at once exactly once', async () => {
    const sq = squads.get('SQ-061')!;
    const leader = await t.login(leaderOf('SQ-061'));
    const set = () => t.http().post(`/api/squads/${sq.id}/status`).set(auth(leader)).set('idempotency-key', 'same-time-status').send({ status: 'unavailable' });
    const answers = await Promise.all([set(), set()]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(answers[1].body).toEqual(answers[0].body);
    const changes = await count(`SELECT count(*)::int AS n FROM events WHERE type = 'squad.status_changed' AND squad_id = $1 AND payload->>'to' = 'unavailable'`, [sq.id]);
    expect(changes).toBe(1);
  });

  it('leaves nothing behind when the answer cannot be stored: the action is rolled back with the key, and the retry applies it once', async () => {
    const d = await pendingDispatch('SQ-062');
    // The store step fails (as a crash between act and store would): nothing of the request may remain.
    await ds.query(`CREATE FUNCTION fail_idempotency_store() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'store failed'; END $$`);
    await ds.query('CREATE TRIGGER fail_idempotency_store BEFORE UPDATE ON idempotency_keys FOR EACH ROW EXECUTE FUNCTION fail_idempotency_store()');
    const ack = () => t.http().post(`/api/dispatches/${d.id}/ack`).set(auth(d.leader)).set('idempotency-key', 'lost-answer').send({ accept: true });
    try {
      expect((await ack()).status).toBe(500);
    } finally {
      await ds.query('DROP TRIGGER fail_idempotency_store ON idempotency_keys');
      await ds.query('DROP FUNCTION fail_idempotency_store');
    }
    expect(await keyRows('lost-answer')).toBe(0);
    expect(await accepted(d.id)).toBe(0);
    expect((await t.http().get(`/api/dispatches/${d.id}`).set(auth(commander))).body.status).toBe('pending');
    // The phone retries with the same key: applied now, once.
    const retry = await ack();
    expect(retry.status).toBe(200);
    expect(retry.headers['idempotent-replay']).toBeUndefined();
    expect(retry.body.status).toBe('accepted');
    expect((await ack()).headers['idempotent-replay']).toBe('true');
    expect(await accepted(d.id)).toBe(1);
  });

  it('keeps a refused action unclaimed: the same key may be retried once the action can succeed', async () => {
    const d = await pendingDispatch('SQ-063');
    const progress = () => t.http().post(`/api/dispatches/${d.id}/progress`).set(auth(d.leader)).set('idempotency-key', 'too-early').send({ status: 'en_route' });
    expect((await progress()).status).toBe(409); // not accepted yet
    expect(await keyRows('too-early')).toBe(0);
    expect((await t.http().post(`/api/dispatches/${d.id}/ack`).set(auth(d.leader)).send({ accept: true })).status).toBe(200);
    const now = await progress();
    expect(now.status).toBe(200);
    expect(now.body.status).toBe('en_route');
  });

  it('answers a retried position report with the first answer, writing nothing again', async () => {
    const sq = squads.get('SQ-064')!;
    const leader = await t.login(leaderOf('SQ-064'));
    const report = (key: string) => t.http().post(`/api/squads/${sq.id}/position`).set(auth(leader)).set('idempotency-key', key).send({ lat: 24.7, lng: 118.6, accuracy: 5 });
    const first = await report('pos-1');
    expect(first.status).toBe(200);
    const [{ at }] = await ds.query('SELECT position_at AS at FROM squads WHERE id = $1', [sq.id]);
    expect(new Date(at).toISOString()).toBe(first.body.at);
    const again = await Promise.all([report('pos-1'), report('pos-1')]);
    for (const a of again) {
      expect(a.body).toEqual(first.body);
      expect(a.headers['idempotent-replay']).toBe('true');
    }
    const [{ at: still }] = await ds.query('SELECT position_at AS at FROM squads WHERE id = $1', [sq.id]);
    expect(new Date(still).toISOString()).toBe(first.body.at);
  });

  it('forgets keys after 24 hours: an old key runs the request afresh, and the hourly cleanup deletes old keys only', async () => {
    const sq = squads.get('SQ-065')!;
    const leader = await t.login(leaderOf('SQ-065'));
    const report = () => t.http().post(`/api/squads/${sq.id}/position`).set(auth(leader)).set('idempotency-key', 'old-key').send({ lat: 24.71, lng: 118.61 });
    const first = await report();
    await ds.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'`);
    const fresh = await report();
    expect(fresh.status).toBe(200);
    expect(fresh.headers['idempotent-replay']).toBeUndefined();
    expect(fresh.body.at).not.toBe(first.body.at);
    const [{ age }] = await ds.query(`SELECT extract(epoch FROM now() - created_at)::int AS age FROM idempotency_keys WHERE key = 'old-key'`);
    expect(age).toBeLessThan(60);

    await ds.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'`);
    const kept = await count(`SELECT count(*)::int AS n FROM idempotency_keys WHERE created_at > now() - interval '24 hours'`, []);
    expect(kept).toBeGreaterThan(0);
    expect(await t.app.get(IdempotencyKeyExpiry).expireNow()).toBe(true);
    expect(await keyRows('old-key')).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM idempotency_keys`, [])).toBe(kept);
  });
});
