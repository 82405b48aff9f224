import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { createIncident, squadsByCode } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await sleep(100);
  }
}

describe('acknowledgement deadlines (e2e)', () => {
  let dir: string;
  let db: TestDatabase;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pingji-deadlines-'));
    // On disk (or one server database) so the deadline can outlive an app.
    db = serverUrl() ? await createTestDatabase() : { env: { PGLITE_DIR: dir }, drop: async () => {} };
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });
  const start = () => startTestApp({ DISPATCH_ACK_TIMEOUT_SECONDS: '2', SWEEP_INTERVAL_MS: '200' }, db);

  it('expires an unacknowledged dispatch once: squad free again, a critical alert naming the next squad', async () => {
    const t: TestApp = await start();
    try {
      const commander = await t.login('commander');
      const squads = await squadsByCode(t, commander);
      const sq = squads.get('SQ-070')!;
      const incident = await createIncident(t, commander);
      const [d] = (await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [sq.id] })).body;
      expect(d.status).toBe('pending');
      const expired = await waitFor(
        async () => (await t.http().get(`/api/dispatches/${d.id}`).set(auth(commander))).body,
        (x) => x.status === 'expired',
      );
      expect(expired.status).toBe('expired');
      expect((await t.http().get(`/api/squads/${sq.id}`).set(auth(commander))).body.status).toBe('available');
      const alerts = (await t.http().get('/api/alerts?open=true').set(auth(commander))).body;
      const alert = alerts.find((a: { dispatchId?: string }) => a.dispatchId === d.id);
      expect(alert).toMatchObject({ type: 'dispatch.expired', severity: 'critical', payload: { squadCode: 'SQ-070' } });
      const next: { squadId: string; squadCode: string }[] = alert.payload.nextRecommended;
      expect(next.length).toBeGreaterThan(0);
      expect(next.every((r) => r.squadId !== sq.id && /^SQ-\d{3}$/.test(r.squadCode))).toBe(true);
      // A late accept is refused.
      const leader = await t.login('leader-070');
      const late = await t.http().post(`/api/dispatches/${d.id}/ack`).set(auth(leader)).send({ accept: true });
      expect(late.status).toBe(409);
      // In the phone's words too: the same code whether or not the sweeper has marked it expired yet.
      expect(late.body.code).toBe('DISPATCH.EXPIRED');
    } finally {
      await t.close();
    }
  });

  it('keeps a deadline across a restart of the app and fires it exactly once', async () => {
    let t: TestApp = await start();
    const commander = await t.login('commander');
    const squads = await squadsByCode(t, commander);
    const sq = squads.get('SQ-071')!;
    const incident = await createIncident(t, commander);
    const [d] = (await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [sq.id] })).body;
    await t.close(); // down before the deadline
    await sleep(2500); // the deadline passes while nothing runs
    t = await start();
    try {
      const status = await waitFor(
        async () => (await t.http().get(`/api/dispatches/${d.id}`).set(auth(await t.login('commander')))).body.status,
        (s) => s === 'expired',
      );
      expect(status).toBe('expired');
      await sleep(600); // several more sweeps
      const fired = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM events WHERE type = 'dispatch.expired' AND dispatch_id = $1`, [d.id]);
      expect(fired[0].n).toBe(1);
    } finally {
      await t.close();
    }
  });
});
