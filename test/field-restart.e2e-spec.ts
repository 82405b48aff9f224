import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('叫应 escalation across a restart (e2e)', () => {
  let dir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pingji-rollcall-'));
    // On disk (or one server database) so the round outlives the app.
    db = serverUrl() ? await createTestDatabase() : { env: { PGLITE_DIR: dir }, drop: async () => {} };
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = () => startTestApp({ SWEEP_INTERVAL_MS: '200' }, db);

  it('escalates an unanswered round once, after the app was down when its deadline passed', async () => {
    let t: TestApp = await start();
    const commander = await t.login('commander');
    const res = await t.http().post('/api/roll-calls').set(auth(commander))
      .send({ message: '请确认值守人员到岗', audience: { areas: ['yongning'] }, answerWithinMinutes: 0.05 });
    expect(res.status).toBe(201);
    const { id, entries } = res.body as { id: string; entries: { username: string }[] };
    expect(entries.length).toBeGreaterThan(0);
    await t.close(); // down before the deadline (3 s)
    await sleep(3500);
    t = await start();
    try {
      const token = await t.login('commander');
      const until = Date.now() + 15_000;
      let round = (await t.http().get(`/api/roll-calls/${id}`).set(auth(token))).body;
      while (!round.entries.every((e: { escalatedAt?: string }) => e.escalatedAt) && Date.now() < until) {
        await sleep(150);
        round = (await t.http().get(`/api/roll-calls/${id}`).set(auth(token))).body;
      }
      expect(round.entries.every((e: { escalatedAt?: string }) => e.escalatedAt)).toBe(true);
      await sleep(800); // several more sweeps
      const ds = t.app.get(DataSource);
      const [fired] = await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'roll_call.escalated' AND payload->>'rollCallId' = $1`, [id]);
      expect(fired.n).toBe(1);
      const resent = (await t.http().get(`/api/outbox?refId=${id}&topic=roll_call.resend`).set(auth(token))).body as unknown[];
      expect(resent.length).toBe(entries.length);
    } finally {
      await t.close();
    }
  }, 180_000);
});
