import { DataSource } from 'typeorm';
import { conflictStats } from '../src/common/transaction-retry.js';
import { createIncident, leaderOf, squadsByCode } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { serverUrl } from './helpers/test-database.js';
import { until } from './helpers/until.js';

// Deadlocks need two connections working at once: the embedded database has one and serialises
// every transaction, so it would pass these whatever the lock order. They run on the server only.
const describeOnServer = serverUrl() ? describe : describe.skip;
if (!serverUrl()) console.info('concurrency: skipped, set TEST_DATABASE_URL to run it against a PostgreSQL server');

describeOnServer('no deadlocks under concurrent writes (e2e, server)', () => {
  let t: TestApp;
  let commander: string;
  let ds: DataSource;
  const auth = () => ({ authorization: `Bearer ${commander}` });
  beforeAll(async () => {
    // A pool as large as the burst, so the requests really run side by side in the database.
    // A long statement timeout: lock waits under a loaded machine must not turn into 503s here; a
    // deadlock is found by PostgreSQL within a second whatever the timeout.
    t = await startTestApp({ DB_POOL_SIZE: '20', DB_TIMEOUT_MS: '30000', STOCK_CHECK_INTERVAL_MS: '86400000' });
    commander = await t.login('commander');
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });

  const total = async (ids: string[], item: string) =>
    (await ds.query('SELECT coalesce(sum(quantity), 0)::int AS n FROM stock_lots WHERE facility_id = ANY($1::uuid[]) AND item_code = $2 AND NOT exercise', [ids, item]))[0].n as number;

  it('40 opposite transfers at once (A→B and B→A, several lots each): none 500, stock conserved', async () => {
    const [a, b] = (await ds.query(`SELECT id FROM facilities WHERE type = 'neighborhood_center' ORDER BY code LIMIT 2`)).map((r: { id: string }) => r.id);
    // Several lots on both sides (different expiry dates), so each transfer locks and writes several rows.
    for (const site of [a, b]) {
      for (const expiresOn of ['2030-01-01', '2030-06-01', '2031-01-01', '2032-01-01']) {
        const res = await t.http().post('/api/stock-movements').set(auth()).send({ facilityId: site, itemCode: 'water', kind: 'receive', quantity: 50, expiresOn });
        expect(res.status).toBe(201);
      }
    }
    const before = await total([a, b], 'water');
    const aborted = conflictStats.retried;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        t.http().post('/api/stock-transfers').set(auth()).send({
          fromFacilityId: i % 2 ? a : b, toFacilityId: i % 2 ? b : a, itemCode: 'water', quantity: 30 + (i % 7) * 10,
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    // Refused only for want of stock: not a deadlock that survived its retry (409 DB.CONFLICT), no 5xx.
    expect(results.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.body.code}`).filter((s) => s !== '409 STOCK.INSUFFICIENT')).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(20);
    // Not one deadlock, not even one the retry hid: the locks are taken in one order.
    expect(conflictStats.retried - aborted).toBe(0);
    expect(await total([a, b], 'water')).toBe(before);
    const transferred = await ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'stock.transferred'`);
    expect(transferred[0].n).toBe(statuses.filter((s) => s === 201).length);
  });

  it('concurrent PUT /api/reserve-requirements over the same rows in different orders: none 500, each applied whole', async () => {
    const items = ['water', 'blanket', 'instant_food', 'first_aid_kit', 'rice', 'folding_bed'];
    const types = ['elder_canteen', 'warm_station', 'health_station'];
    const rows = types.flatMap((facilityType) => items.map((itemCode) => ({ facilityType, itemCode })));
    const aborted = conflictStats.retried;
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => {
        const ordered = i % 2 ? [...rows].reverse() : rows;
        return t.http().put('/api/reserve-requirements').set(auth()).send({ requirements: ordered.map((r) => ({ ...r, quantity: 100 + i })) });
      }),
    );
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    expect(conflictStats.retried - aborted).toBe(0);
    // Whichever request committed last, all its rows are there: one quantity across the set.
    const stored = await ds.query('SELECT DISTINCT quantity FROM reserve_requirements WHERE facility_type = ANY($1) AND item_code = ANY($2)', [types, items]);
    expect(stored).toHaveLength(1);
  });

  it('squads: positions reported in batches while dispatches lock the same squads (none 500)', async () => {
    const squads = [...(await squadsByCode(t, commander)).values()].filter((q) => q.status === 'available').slice(0, 16);
    const leaders = await Promise.all(squads.map((q) => t.login(leaderOf(q.code))));
    const incidents = await Promise.all(Array.from({ length: 4 }, () => createIncident(t, commander)));
    const ids = squads.map((q) => q.id);
    const aborted = conflictStats.retried;
    const positions = squads.flatMap((q, i) =>
      Array.from({ length: 5 }, (_, k) =>
        t.http().post(`/api/squads/${q.id}/position`).set({ authorization: `Bearer ${leaders[i]}` }).send({ lat: 24.7 + k / 100, lng: 118.6 + i / 100 }),
      ),
    );
    // Overlapping sets of squads, named in different orders: each dispatch takes all its squads or none.
    const dispatches = incidents.map((id, n) =>
      t.http().post(`/api/incidents/${id}/dispatches`).set(auth()).send({ squadIds: n % 2 ? [...ids].reverse().slice(0, 12) : ids.slice(4) }),
    );
    const results = await Promise.all([...positions, ...dispatches]);
    const refused = results.filter((r) => ![200, 201].includes(r.status)).map((r) => `${r.status} ${r.body.code}`);
    expect(refused.filter((s) => s !== '409 DISPATCH.SQUAD_UNAVAILABLE')).toEqual([]);
    expect(conflictStats.retried - aborted).toBe(0);
    expect(results.slice(positions.length).filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
  });
});

describeOnServer('positions while their announcement is committing (e2e, server)', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No scheduled sweep: the test runs the one it holds.
    t = await startTestApp({ SWEEP_INTERVAL_MS: '60000', DB_POOL_SIZE: '6' });
  });
  afterAll(async () => {
    await t.close();
  });

  it("a phone's position is stored while the sweep that announces its squad waits to commit", async () => {
    const { PositionBroadcaster } = await import('../src/squads/position-broadcaster.js');
    const { PositionWriter } = await import('../src/squads/position-writer.js');
    const ds = t.app.get(DataSource);
    const writer = t.app.get(PositionWriter, { strict: false });
    const broadcaster = t.app.get(PositionBroadcaster, { strict: false });
    const [{ id }] = await ds.query(`SELECT id FROM squads ORDER BY code LIMIT 1`);
    await writer.write(id, { lat: 24.71, lng: 118.61 });

    // The event-log lock held elsewhere: the sweep marks the squad announced, then waits to append.
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.query('SELECT pg_advisory_lock(7400001)');
    let sweep: Promise<boolean> | undefined;
    try {
      sweep = broadcaster.broadcastNow();
      await until('the sweep waits for the event-log lock', 10_000, async () => (await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'advisory' AND datname = current_database()`))[0].n === 1);
      let timer: NodeJS.Timeout | undefined;
      const stored = await Promise.race([writer.write(id, { lat: 24.72, lng: 118.62 }), new Promise((resolve) => (timer = setTimeout(() => resolve('still waiting'), 5000)))]);
      clearTimeout(timer);
      expect(stored).toBeInstanceOf(Date);
    } finally {
      await holder.query('SELECT pg_advisory_unlock(7400001)');
      await holder.release();
    }
    expect(await sweep).toBe(true);
    // The position stored meanwhile is the next sweep's news.
    await broadcaster.broadcastNow();
    const announced = await ds.query(`SELECT payload->>'lat' AS lat FROM events WHERE type = 'squad.position' AND squad_id = $1 ORDER BY id`, [id]);
    expect(announced.map((r: { lat: string }) => Number(r.lat))).toEqual([24.71, 24.72]);
  });
});
