import { DataSource } from 'typeorm';
import { FACILITY_COUNTS, shishiNetwork } from '../src/seed/shishi-network.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('facilities registry and the seeded Shishi network (e2e)', () => {
  let t: TestApp;
  let viewer: string;
  let commander: string;
  beforeAll(async () => {
    t = await startTestApp();
    viewer = await t.login('viewer');
    commander = await t.login('commander');
  });
  afterAll(async () => {
    await t.close();
  });
  const get = (path: string, token = viewer) => t.http().get(path).set('authorization', `Bearer ${token}`);

  it('seeds the network of the report, the same on every run', async () => {
    const res = await get('/api/facilities');
    expect(res.status).toBe(200);
    const byType: Record<string, number> = {};
    for (const f of res.body) byType[f.type] = (byType[f.type] ?? 0) + 1;
    expect(byType).toEqual(FACILITY_COUNTS);
    const centers = res.body.filter((f: { type: string }) => f.type === 'neighborhood_center');
    expect(new Set(centers.map((c: { kind: string }) => c.kind))).toEqual(
      new Set(['urban_community', 'industrial_park', 'traditional_village', 'commercial_market', 'fishing_port']),
    );
    expect((await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM grid_zones'))[0].n).toBe(55);
    expect(shishiNetwork()).toEqual(shishiNetwork());
    // Every site within ~3 km of its area's centre.
    const areas = (await get('/api/areas')).body as { code: string; lat: number; lng: number }[];
    for (const f of res.body as { areaCode: string; lat: number; lng: number }[]) {
      const a = areas.find((x) => x.code === f.areaCode)!;
      const dKm = Math.hypot((f.lat - a.lat) * 111, (f.lng - a.lng) * 101);
      expect(dKm).toBeLessThan(3);
    }
  });

  it('filters by type, area, mode and bounding box, and rejects bad filters with 400', async () => {
    const canteens = (await get('/api/facilities?type=elder_canteen&area=xiangzhi')).body;
    expect(canteens.length).toBeGreaterThan(0);
    expect(canteens.every((f: { type: string; areaCode: string }) => f.type === 'elder_canteen' && f.areaCode === 'xiangzhi')).toBe(true);
    const box = (await get('/api/facilities?bbox=118.74,24.76,118.78,24.80')).body;
    expect(box.length).toBeGreaterThan(0);
    expect(box.every((f: { lat: number; lng: number }) => f.lng >= 118.74 && f.lng <= 118.78 && f.lat >= 24.76 && f.lat <= 24.8)).toBe(true);
    expect((await get('/api/facilities?mode=emergency')).body).toEqual([]);
    for (const bad of ['type=castle', 'mode=panic', 'bbox=1,2,3', 'bbox=118.8,24.7,118.6,24.8', 'bbox=200,0,201,1']) {
      const res = await get(`/api/facilities?${bad}`);
      expect({ bad, status: res.status }).toEqual({ bad, status: 400 });
      expect(res.body.message).toBeTruthy();
    }
  });

  it('describes one site with its emergency function in both languages', async () => {
    const [canteen] = (await get('/api/facilities?type=elder_canteen')).body;
    const one = await get(`/api/facilities/${canteen.id}`);
    expect(one.body).toMatchObject({ id: canteen.id, mode: 'normal', modeChangedAt: null, emergencyFunction: { code: 'emergency_meals', zh: '应急供餐点', en: 'Emergency meal point', overridden: false } });
    expect((await get('/api/facilities/00000000-0000-0000-0000-000000000000')).status).toBe(404);
    expect((await get('/api/facilities/not-an-id')).status).toBe(400);
  });

  it('serves RFC 7946 GeoJSON: a FeatureCollection of Points in [lng, lat] order', async () => {
    const res = await get('/api/facilities.geojson?area=hubin');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/geo+json');
    const fc = JSON.parse(res.text);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.length).toBeGreaterThan(0);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      const [lng, lat] = f.geometry.coordinates;
      expect(lng).toBeGreaterThan(118);
      expect(lng).toBeLessThan(119);
      expect(lat).toBeGreaterThan(24);
      expect(lat).toBeLessThan(25);
      expect(f.properties).toMatchObject({ mode: 'normal', areaCode: 'hubin', emergencyFunction: expect.objectContaining({ code: expect.any(String) }) });
    }
  });

  it('lets a commander create and edit a site (with an overridden emergency function); others get 403', async () => {
    const body = { code: 'XZ-WS-99', name: '祥芝镇测试暖心驿站', type: 'warm_station', areaCode: 'xiangzhi', lat: 24.78, lng: 118.75, openingHours: '24h', emergencyFunction: 'first_aid_triage' };
    expect((await t.http().post('/api/facilities').set('authorization', `Bearer ${viewer}`).send(body)).status).toBe(403);
    const created = await t.http().post('/api/facilities').set('authorization', `Bearer ${commander}`).send(body);
    expect(created.status).toBe(201);
    expect(created.body.emergencyFunction).toMatchObject({ code: 'first_aid_triage', overridden: true });
    const dup = await t.http().post('/api/facilities').set('authorization', `Bearer ${commander}`).send(body);
    expect(dup.status).toBe(409);
    const badArea = await t.http().post('/api/facilities').set('authorization', `Bearer ${commander}`).send({ ...body, code: 'XX-1', areaCode: 'atlantis' });
    expect(badArea.status).toBe(400);
    expect(badArea.body.message).toContain('areaCode');
    const badKind = await t.http().post('/api/facilities').set('authorization', `Bearer ${commander}`).send({ ...body, code: 'XX-2', kind: 'fishing_port' });
    expect(badKind.status).toBe(400);
    const badCoords = await t.http().post('/api/facilities').set('authorization', `Bearer ${commander}`).send({ ...body, code: 'XX-3', lat: 95 });
    expect(badCoords.status).toBe(400);
    const edited = await t.http().patch(`/api/facilities/${created.body.id}`).set('authorization', `Bearer ${commander}`).send({ capacity: 25, nameEn: 'Test Warm Station' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ capacity: 25, nameEn: 'Test Warm Station', code: 'XZ-WS-99' });
    const modeViaPatch = await t.http().patch(`/api/facilities/${created.body.id}`).set('authorization', `Bearer ${commander}`).send({ mode: 'emergency' });
    expect(modeViaPatch.status).toBe(400);
  });
});
