import { DataSource } from 'typeorm';
import { jest } from '@jest/globals';
import { ReadinessService } from '../src/supplies/readiness.service.js';
import { StockAlerts } from '../src/supplies/stock-alerts.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Site { id: string; type: string; code: string; areaCode: string }

describe('material reserves: ledger, concurrency, transfers, alerts, readiness (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let ds: DataSource;
  let sites: Site[];
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const move = (body: object, token = commander) => t.http().post('/api/stock-movements').set(auth(token)).send(body);
  const stockOf = async (id: string, item: string) =>
    ((await t.http().get(`/api/facilities/${id}/stock`).set(auth(commander))).body as { itemCode: string; quantity: number; usable: number; required: number; lots: { quantity: number; expiresOn: string | null }[] }[])
      .find((s) => s.itemCode === item);
  const site = (type: string, n = 0) => sites.filter((s) => s.type === type)[n];

  beforeAll(async () => {
    t = await startTestApp({ STOCK_CHECK_INTERVAL_MS: '86400000' });
    commander = await t.login('commander');
    ds = t.app.get(DataSource);
    sites = (await t.http().get('/api/facilities').set(auth(commander))).body;
  });
  afterAll(async () => {
    await t.close();
  });

  it('seeds a catalog, requirements per emergency function and a believable readiness picture', async () => {
    const items = (await t.http().get('/api/supply-items').set(auth(commander))).body.map((i: { code: string }) => i.code);
    expect(items).toEqual(expect.arrayContaining(['water', 'instant_food', 'rice', 'blanket', 'folding_bed', 'first_aid_kit', 'life_jacket', 'sandbag', 'generator']));
    const r = (await t.http().get('/api/readiness').set(auth(commander))).body;
    expect(r.summary.sites).toBe(sites.length);
    expect(r.summary.ready).toBeGreaterThan(sites.length * 0.6);
    expect(r.summary.ready).toBeLessThan(sites.length);
    expect(r.sites.some((s: { expiringSoon: unknown[] }) => s.expiringSoon.length > 0)).toBe(true);
    const port = sites.find((s) => s.type === 'neighborhood_center' && r.sites.find((x: { facilityId: string }) => x.facilityId === s.id));
    expect(port).toBeDefined();
  });

  it('keeps every quantity equal to the sum of its movements', async () => {
    const s = site('warm_station', 1);
    await move({ facilityId: s.id, itemCode: 'water', kind: 'receive', quantity: 12, expiresOn: '2030-01-01' });
    await move({ facilityId: s.id, itemCode: 'water', kind: 'issue', quantity: 5 });
    await move({ facilityId: s.id, itemCode: 'water', kind: 'adjust', quantity: 3 });
    await move({ facilityId: s.id, itemCode: 'blanket', kind: 'dispose', quantity: 1 });
    const broken = await ds.query(`
      SELECT l.id FROM stock_lots l LEFT JOIN stock_movements mv ON mv.lot_id = l.id
      GROUP BY l.id, l.quantity HAVING l.quantity <> coalesce(sum(mv.quantity), 0)`);
    expect(broken).toEqual([]);
    expect((await stockOf(s.id, 'water'))!.quantity).toBe(3);
  });

  it('issues from the lots that expire first, never from expired ones', async () => {
    const s = site('self_service_area', 2);
    await move({ facilityId: s.id, itemCode: 'mask', kind: 'receive', quantity: 10, expiresOn: '2031-05-01' });
    await move({ facilityId: s.id, itemCode: 'mask', kind: 'receive', quantity: 4, expiresOn: '2030-02-01' });
    await move({ facilityId: s.id, itemCode: 'mask', kind: 'receive', quantity: 7, expiresOn: '2020-01-01' }); // already expired
    const res = await move({ facilityId: s.id, itemCode: 'mask', kind: 'issue', quantity: 6 });
    expect(res.status).toBe(201);
    const lots = (await stockOf(s.id, 'mask'))!.lots;
    expect(lots).toEqual([
      { quantity: 7, expiresOn: '2020-01-01' },
      { quantity: 8, expiresOn: '2031-05-01' },
    ]);
    const tooMuch = await move({ facilityId: s.id, itemCode: 'mask', kind: 'issue', quantity: 9 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.code).toBe('STOCK.INSUFFICIENT');
  });

  it('is exact under concurrency: 200 concurrent issues of 1 against 150 → 150 succeed, 50 get 409, 0 left', async () => {
    const s = site('day_care_room', 3);
    const have = (await stockOf(s.id, 'flashlight'))?.quantity ?? 0;
    expect(have).toBe(0);
    await move({ facilityId: s.id, itemCode: 'flashlight', kind: 'receive', quantity: 150 });
    const results = await Promise.all(Array.from({ length: 200 }, () => move({ facilityId: s.id, itemCode: 'flashlight', kind: 'issue', quantity: 1 })));
    const codes = results.map((r) => r.status);
    expect(codes.filter((c) => c === 201)).toHaveLength(150);
    expect(codes.filter((c) => c === 409)).toHaveLength(50);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'STOCK.INSUFFICIENT')).toBe(true);
    expect((await stockOf(s.id, 'flashlight'))?.quantity ?? 0).toBe(0);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM stock_movements WHERE facility_id = $1 AND item_code = 'flashlight' AND kind = 'issue'`, [s.id]);
    expect(n).toBe(150);
  });

  it('transfers both sides or neither', async () => {
    const [from, to] = [site('service_station', 0), site('service_station', 1)];
    const before = [(await stockOf(from.id, 'blanket'))!.quantity, (await stockOf(to.id, 'blanket'))!.quantity];
    const ok = await t.http().post('/api/stock-transfers').set(auth(commander)).send({ fromFacilityId: from.id, toFacilityId: to.id, itemCode: 'blanket', quantity: 5 });
    expect(ok.status).toBe(201);
    expect([(await stockOf(from.id, 'blanket'))!.quantity, (await stockOf(to.id, 'blanket'))!.quantity]).toEqual([before[0] - 5, before[1] + 5]);
    // A failure on the receiving side (injected) leaves the sender unchanged.
    await ds.query(`CREATE FUNCTION refuse_in() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.kind = 'transfer_in' THEN RAISE EXCEPTION 'receiving side failed'; END IF; RETURN NEW; END $$`);
    await ds.query('CREATE TRIGGER refuse_in BEFORE INSERT ON stock_movements FOR EACH ROW EXECUTE FUNCTION refuse_in()');
    try {
      const failed = await t.http().post('/api/stock-transfers').set(auth(commander)).send({ fromFacilityId: from.id, toFacilityId: to.id, itemCode: 'blanket', quantity: 5 });
      expect(failed.status).toBe(500);
    } finally {
      await ds.query('DROP TRIGGER refuse_in ON stock_movements');
      await ds.query('DROP FUNCTION refuse_in');
    }
    expect((await stockOf(from.id, 'blanket'))!.quantity).toBe(before[0] - 5);
    const unknown = await t.http().post('/api/stock-transfers').set(auth(commander)).send({ fromFacilityId: from.id, toFacilityId: '00000000-0000-0000-0000-000000000000', itemCode: 'blanket', quantity: 1 });
    expect(unknown.status).toBe(404);
    expect((await stockOf(from.id, 'blanket'))!.quantity).toBe(before[0] - 5);
  });

  it('rejects bad input with 4xx and changes nothing; only commanders move stock', async () => {
    const s = site('elder_canteen', 0);
    const before = (await stockOf(s.id, 'rice'))!.quantity;
    for (const [body, status] of [
      [{ facilityId: s.id, itemCode: 'rice', kind: 'issue', quantity: -3 }, 400],
      [{ facilityId: s.id, itemCode: 'rice', kind: 'issue', quantity: 0 }, 400],
      [{ facilityId: s.id, itemCode: 'rice', kind: 'issue', quantity: 1.5 }, 400],
      [{ facilityId: s.id, itemCode: 'rice', kind: 'receive', quantity: 1e12 }, 400],
      [{ facilityId: s.id, itemCode: 'caviar', kind: 'receive', quantity: 1 }, 404],
      [{ facilityId: '00000000-0000-0000-0000-000000000000', itemCode: 'rice', kind: 'receive', quantity: 1 }, 404],
      [{ facilityId: s.id, itemCode: 'rice', kind: 'steal', quantity: 1 }, 400],
      [{ facilityId: s.id, itemCode: 'rice', kind: 'receive', quantity: 1, expiresOn: 'soon' }, 400],
    ] as [object, number][]) {
      const res = await move(body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.message).toBeTruthy();
    }
    expect((await move({ facilityId: s.id, itemCode: 'rice', kind: 'receive', quantity: 1 }, await t.login('viewer'))).status).toBe(403);
    expect((await stockOf(s.id, 'rice'))!.quantity).toBe(before);
  });

  it('raises stock.low once per crossing and stock.expiring once per lot, on the clock it is given', async () => {
    const alerts = t.app.get(StockAlerts);
    const run = (now: Date) => ds.transaction((m) => alerts.check(m, now));
    const count = async (type: string, facilityId: string) =>
      (await ds.query('SELECT count(*)::int AS n FROM events WHERE type = $1 AND facility_id = $2', [type, facilityId]))[0].n as number;
    const s = site('health_station', 4);
    // Start well stocked, whatever the seed gave this site.
    await move({ facilityId: s.id, itemCode: 'first_aid_kit', kind: 'receive', quantity: 50, expiresOn: '2035-01-01' });
    await run(new Date());
    const stock = (await stockOf(s.id, 'first_aid_kit'))!;
    expect(stock.usable).toBeGreaterThan(stock.required);
    const lowBefore = await count('stock.low', s.id);
    // Fall below the requirement: one stock.low, however often the job runs.
    await move({ facilityId: s.id, itemCode: 'first_aid_kit', kind: 'issue', quantity: stock.usable - 1 });
    await run(new Date());
    await run(new Date());
    expect(await count('stock.low', s.id)).toBe(lowBefore + 1);
    // Recover, then fall again: a new crossing, a new alert.
    await move({ facilityId: s.id, itemCode: 'first_aid_kit', kind: 'receive', quantity: 100, expiresOn: '2035-01-01' });
    await run(new Date());
    await move({ facilityId: s.id, itemCode: 'first_aid_kit', kind: 'issue', quantity: 100 });
    await run(new Date());
    expect(await count('stock.low', s.id)).toBe(lowBefore + 2);

    // A lot that expires in 40 days is not yet in the 30-day window; 15 days later it is: one alert.
    const w = site('warm_station', 5);
    const inForty = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    await move({ facilityId: w.id, itemCode: 'raincoat', kind: 'receive', quantity: 3, expiresOn: inForty });
    const expiringBefore = await count('stock.expiring', w.id);
    await run(new Date());
    expect(await count('stock.expiring', w.id)).toBe(expiringBefore);
    const later = new Date(Date.now() + 15 * 86_400_000);
    await run(later);
    await run(later);
    expect(await count('stock.expiring', w.id)).toBe(expiringBefore + 1);
  });

  it('counts only unexpired real stock in readiness, and the switchover reports the shortfalls of the sites it switched, read again if the read beside it fails', async () => {
    const s = site('elder_canteen', 3);
    const stock = (await stockOf(s.id, 'water'))!;
    await move({ facilityId: s.id, itemCode: 'water', kind: 'issue', quantity: stock.usable });
    const r = (await t.http().get(`/api/readiness?area=${s.areaCode}&type=elder_canteen`).set(auth(commander))).body;
    const mine = r.sites.find((x: { facilityId: string }) => x.facilityId === s.id);
    expect(mine.ready).toBe(false);
    expect(mine.shortfalls).toContainEqual({ itemCode: 'water', required: stock.required, available: 0 });
    expect(mine.squadsNearby.length).toBeGreaterThan(0);
    expect(mine.squadsNearby[0]).toMatchObject({ code: expect.stringMatching(/^SQ-/), distanceM: expect.any(Number) });
    const one = (await t.http().get(`/api/facilities/${s.id}`).set(auth(commander))).body;
    expect(one.stock).toEqual({ ready: false, shortfalls: expect.arrayContaining([{ itemCode: 'water', required: stock.required, available: 0 }]) });
    expect(r.summary.byArea[s.areaCode].sites).toBe(r.sites.length);
    const sw = await t.http().post('/api/switchovers').set(auth(commander)).send({ mode: 'emergency', reason: '检查储备', scope: { facilityIds: [s.id] } });
    expect(sw.body.shortfalls).toContainEqual({ facilityId: s.id, itemCode: 'water', required: stock.required, available: 0 });

    // The switchover has committed when the read beside it fails: it reads them again, not a 500.
    const shortfalls = jest.spyOn(t.app.get(ReadinessService), 'shortfalls').mockRejectedValueOnce(new Error('timeout exceeded when trying to connect'));
    try {
      const back = await t.http().post('/api/switchovers').set(auth(commander)).send({ mode: 'normal', reason: '解除', scope: { facilityIds: [s.id] } });
      expect(back.status).toBe(201);
      expect(back.body.switched).toEqual([s.id]);
      expect(back.body.shortfalls).toContainEqual({ facilityId: s.id, itemCode: 'water', required: stock.required, available: 0 });
      expect(shortfalls).toHaveBeenCalledTimes(2);
    } finally {
      shortfalls.mockRestore();
    }
  });
});
