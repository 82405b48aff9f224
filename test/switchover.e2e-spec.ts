import { DataSource } from 'typeorm';
import { appendEvents } from './helpers/events.js';
import { connectClient } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

interface Facility { id: string; mode: string; areaCode: string; type: string }

describe('peacetime–emergency switchover (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let viewer: string;
  let ds: DataSource;
  beforeAll(async () => {
    t = await startTestApp();
    commander = await t.login('commander');
    viewer = await t.login('viewer');
    ds = t.app.get(DataSource);
  });
  afterAll(async () => {
    await t.close();
  });
  const facilities = async (query = ''): Promise<Facility[]> => (await t.http().get(`/api/facilities${query}`).set('authorization', `Bearer ${viewer}`)).body;
  const switchover = (body: object, token = commander) => t.http().post('/api/switchovers').set('authorization', `Bearer ${token}`).send(body);
  const count = async (sql: string, params: unknown[] = []) => (await ds.query(sql, params))[0].n as number;

  it('switches an area atomically, with a history row and an event per changed site, seen live by a dashboard', async () => {
    const dashboard = await connectClient(t.url, viewer);
    await dashboard.replayDone;
    const xiangzhi = await facilities('?area=xiangzhi');
    const res = await switchover({ mode: 'emergency', reason: '台风橙色预警', scope: { areas: ['xiangzhi'] } });
    expect(res.status).toBe(201);
    expect(res.body.switched.sort()).toEqual(xiangzhi.map((f) => f.id).sort());
    expect(res.body.unchanged).toEqual([]);
    expect(res.body.shortfalls).toEqual(expect.any(Array));

    expect((await facilities('?area=xiangzhi')).every((f) => f.mode === 'emergency')).toBe(true);
    expect((await facilities('?mode=emergency')).length).toBe(xiangzhi.length);
    await dashboard.until((e) => e.some((x) => x.type === 'switchover.completed'));
    const changed = dashboard.events.filter((e) => e.type === 'facility.mode_changed');
    expect(changed.map((e) => e.facilityId).sort()).toEqual(res.body.switched.sort());
    expect(changed[0].payload).toMatchObject({ from: 'normal', to: 'emergency', reason: '台风橙色预警', switchoverId: res.body.id });
    expect(dashboard.events.at(-1)).toMatchObject({ type: 'switchover.completed', severity: 'warning', payload: { switchedCount: xiangzhi.length } });
    dashboard.close();

    const history = await t.http().get(`/api/facilities/${xiangzhi[0].id}/modes`).set('authorization', `Bearer ${viewer}`);
    expect(history.body).toEqual([expect.objectContaining({ from: 'normal', to: 'emergency', by: 'commander', reason: '台风橙色预警', switchoverId: res.body.id })]);
    const list = await t.http().get('/api/switchovers').set('authorization', `Bearer ${viewer}`);
    expect(list.body[0]).toMatchObject({ id: res.body.id, mode: 'emergency', switchedCount: xiangzhi.length, by: 'commander' });

    // Again: nothing changes, everything is reported unchanged.
    const again = await switchover({ mode: 'emergency', reason: '再次确认', scope: { areas: ['xiangzhi'] } });
    expect(again.body.switched).toEqual([]);
    expect(again.body.unchanged.length).toBe(xiangzhi.length);
    await switchover({ mode: 'normal', reason: '预警解除', scope: { all: true } });
  });

  it("gives each switched site's facility.mode_changed the site as it is, in id order, the same live and replayed", async () => {
    const own = await t.http().post('/api/facilities').set('authorization', `Bearer ${commander}`)
      .send({ code: 'XZ-WS-98', name: '祥芝镇“测试”暖心驿站', type: 'warm_station', areaCode: 'xiangzhi', lat: 24.7812345, lng: 118.75, openingHours: '24h', emergencyFunction: 'first_aid_triage' });
    expect(own.status).toBe(201);
    const [other] = (await facilities('?area=hubin')) as (Facility & { code: string; name: string; nameEn: string | null; lat: number; lng: number; emergencyFunction: { code: string } })[];
    const sites = [own.body, other];
    const dashboard = await connectClient(t.url, viewer, undefined, undefined, true);
    const [before] = await appendEvents(t, [{ type: 'notice.posted' }]);
    await dashboard.replayDone;
    const res = await switchover({ mode: 'emergency', reason: '寒潮 <蓝色> & "预警"', scope: { facilityIds: sites.map((f) => f.id) } });
    expect(res.status).toBe(201);
    await dashboard.until((e) => e.some((x) => x.type === 'switchover.completed' && x.payload.switchoverId === res.body.id));
    const live = dashboard.events.filter((e) => e.type === 'facility.mode_changed' && e.payload.switchoverId === res.body.id);
    expect(live.map((e) => e.facilityId)).toEqual(sites.map((f) => f.id).sort());
    for (const e of live) {
      const f = sites.find((x) => x.id === e.facilityId)!;
      expect(e).toMatchObject({ severity: 'info', audience: 'everyone', exercise: false, actor: { username: 'commander' } });
      expect(e.payload).toEqual({
        switchoverId: res.body.id, code: f.code, name: f.name, nameEn: f.nameEn, type: f.type, areaCode: f.areaCode, lat: f.lat, lng: f.lng,
        from: 'normal', to: 'emergency', reason: '寒潮 <蓝色> & "预警"', emergencyFunction: f.emergencyFunction.code,
      });
    }
    expect(live.find((e) => e.facilityId === own.body.id)!.payload.emergencyFunction).toBe('first_aid_triage');
    const replayed = await t.http().get(`/api/events?after=${before.id}`).set('authorization', `Bearer ${viewer}`);
    expect(replayed.body.filter((e: { type: string }) => e.type === 'facility.mode_changed')).toEqual(live);
    dashboard.close();
    await switchover({ mode: 'normal', reason: '解除', scope: { facilityIds: sites.map((f) => f.id) } });
  });

  it('switches all or nothing: a failure in the middle leaves no change and no event', async () => {
    const all = await facilities();
    const victim = all[Math.floor(all.length / 2)].id;
    // Make the history insert fail for one site in the middle of a city-wide switch.
    await ds.query(`CREATE FUNCTION fail_one() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.facility_id = '${victim}' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await ds.query('CREATE TRIGGER fail_one BEFORE INSERT ON facility_mode_history FOR EACH ROW EXECUTE FUNCTION fail_one()');
    const eventsBefore = await count('SELECT count(*)::int AS n FROM events');
    const historyBefore = await count('SELECT count(*)::int AS n FROM facility_mode_history');
    try {
      const res = await switchover({ mode: 'emergency', reason: '城市级转换', scope: { all: true } });
      expect(res.status).toBe(500);
    } finally {
      await ds.query('DROP TRIGGER fail_one ON facility_mode_history');
      await ds.query('DROP FUNCTION fail_one');
    }
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE mode = 'emergency'`)).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM events')).toBe(eventsBefore);
    expect(await count('SELECT count(*)::int AS n FROM facility_mode_history')).toBe(historyBefore);
    expect(await count('SELECT count(*)::int AS n FROM switchovers WHERE reason = $1', ['城市级转换'])).toBe(0);
  });

  it('ends consistent when overlapping switchovers run at once: every history row matches the final state', async () => {
    const runs = await Promise.all([
      switchover({ mode: 'emergency', reason: 'A 沿海', scope: { areas: ['xiangzhi', 'hanjiang', 'hongshan'] } }),
      switchover({ mode: 'normal', reason: 'B 全市', scope: { all: true } }),
      switchover({ mode: 'emergency', reason: 'C 长者食堂', scope: { types: ['elder_canteen'] } }),
      switchover({ mode: 'emergency', reason: 'D 祥芝长者食堂', scope: { areas: ['xiangzhi'], types: ['elder_canteen'] } }),
    ]);
    expect(runs.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    // Per site, the chain of history rows is unbroken and ends in the current mode.
    const broken = await ds.query(`
      WITH h AS (
        SELECT facility_id, from_mode, to_mode, lag(to_mode) OVER (PARTITION BY facility_id ORDER BY id) AS prev_to,
               row_number() OVER (PARTITION BY facility_id ORDER BY id DESC) AS newest
        FROM facility_mode_history)
      SELECT h.facility_id FROM h JOIN facilities f ON f.id = h.facility_id
      WHERE (h.prev_to IS NOT NULL AND h.prev_to <> h.from_mode) OR (h.newest = 1 AND h.to_mode <> f.mode)`);
    expect(broken).toEqual([]);
    // And every change has exactly one event.
    const mismatched = await ds.query(`
      SELECT s.id FROM switchovers s
      WHERE s.switched_count <> (SELECT count(*) FROM events e WHERE e.type = 'facility.mode_changed' AND e.payload->>'switchoverId' = s.id::text)`);
    expect(mismatched).toEqual([]);
    await switchover({ mode: 'normal', reason: '复原', scope: { all: true } });
  });

  it('is for commanders only', async () => {
    const res = await switchover({ mode: 'emergency', reason: '试图越权', scope: { all: true } }, viewer);
    expect(res.status).toBe(403);
    const coordinator = await t.login('coordinator');
    expect((await switchover({ mode: 'emergency', reason: '试图越权', scope: { all: true } }, coordinator)).status).toBe(403);
  });

  it('rejects bad requests with a clear message and changes nothing', async () => {
    const [events0] = await appendEvents(t, [{ type: 'test.marker' }]);
    const cases: [object, number, string][] = [
      [{ mode: 'emergency', reason: '空范围', scope: {} }, 400, 'The scope is empty'],
      [{ mode: 'emergency', scope: { all: true } }, 400, 'reason is required'],
      [{ mode: 'panic', reason: '未知模式', scope: { all: true } }, 400, 'mode must be normal or emergency'],
      [{ mode: 'emergency', reason: '未知区域', scope: { areas: ['atlantis'] } }, 400, 'Unknown area atlantis'],
      [{ mode: 'emergency', reason: '未知类型', scope: { types: ['castle'] } }, 400, 'Unknown facility type castle'],
      [{ mode: 'emergency', reason: '未知站点', scope: { facilityIds: ['00000000-0000-0000-0000-000000000000'] } }, 404, 'No facility with id'],
      [{ mode: 'emergency', reason: '坏的编号', scope: { facilityIds: ['nope'] } }, 400, 'facilityIds must hold facility ids'],
      [{ mode: 'emergency', reason: '无匹配', scope: { areas: ['hubin'], types: ['day_care_room'], extra: 1 } }, 400, 'property extra should not exist'],
    ];
    for (const [body, status, message] of cases) {
      const res = await switchover(body);
      expect({ body, status: res.status }).toEqual({ body, status });
      expect(res.body.message).toContain(message);
    }
    expect(await count(`SELECT count(*)::int AS n FROM facilities WHERE mode = 'emergency'`)).toBe(0);
    expect(await count('SELECT count(*)::int AS n FROM events WHERE id > $1', [events0.id])).toBe(0);
  });
});
