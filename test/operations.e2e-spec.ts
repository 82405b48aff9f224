import { DataSource } from 'typeorm';
import { DispatchService } from '../src/dispatch/dispatch.service.js';
import { ReturnWatch } from '../src/squads/return-watch.js';
import { createIncident, leaderOf, squadsByCode, type SquadSummary } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

// A night of operations: every state a squad, incident or drill reaches has a way out.
describe('operations: the squad cycle, incident lifecycle, drills that stay drills (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let coordinator: string;
  let squads: Map<string, SquadSummary>;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });
  const get = async (path: string) => (await t.http().get(path).set(auth(commander))).body;
  const post = (path: string, token: string, body: object = {}) => t.http().post(path).set(auth(token)).send(body);
  const dispatch = async (incident: string, ...codes: string[]) => {
    const res = await post(`/api/incidents/${incident}/dispatches`, commander, { squadIds: codes.map((c) => squads.get(c)!.id) });
    expect(res.status).toBe(201);
    return res.body as { id: string; squadId: string }[];
  };
  const squadStatus = async (code: string) => (await get(`/api/squads/${squads.get(code)!.id}`)).status;
  const eventsOf = (type: string, where: string, params: unknown[]) =>
    t.app.get(DataSource).query(`SELECT type, payload FROM events WHERE type = '${type}' AND ${where} ORDER BY id`, params);

  beforeAll(async () => {
    t = await startTestApp({ SQUAD_RETURN_ALERT_MINUTES: '30' });
    commander = await t.login('commander');
    coordinator = await t.login('coordinator');
    squads = await squadsByCode(t, commander);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a squad comes back: completed → returning → available from the phone, then recommended and dispatched again', async () => {
    const leader = await t.login(leaderOf('SQ-040'));
    const incident = await createIncident(t, commander, { title: '湖滨 积水', lat: 24.735, lng: 118.655, requiredSkills: [] });
    const [d] = await dispatch(incident, 'SQ-040');
    expect((await post(`/api/dispatches/${d.id}/ack`, leader, { accept: true })).status).toBe(200);
    for (const status of ['en_route', 'on_scene', 'completed']) expect((await post(`/api/dispatches/${d.id}/progress`, leader, { status })).status).toBe(200);
    expect(await squadStatus('SQ-040')).toBe('returning');

    const back = await post(`/api/squads/${squads.get('SQ-040')!.id}/status`, leader, { status: 'available' });
    expect(back.body.status).toBe('available');
    const recommended = await get(`/api/incidents/${incident}/recommendations?limit=128`);
    expect(recommended.map((r: { code: string }) => r.code)).toContain('SQ-040');
    await dispatch(incident, 'SQ-040');
  });

  it('a dispatch called off after acceptance frees its squad at once', async () => {
    const leader = await t.login(leaderOf('SQ-041'));
    const [d] = await dispatch(await createIncident(t, commander), 'SQ-041');
    await post(`/api/dispatches/${d.id}/ack`, leader, { accept: true });
    await post(`/api/dispatches/${d.id}/progress`, leader, { status: 'en_route' });
    expect((await post(`/api/dispatches/${d.id}/cancel`, commander, { reason: '已由消防处置' })).body.status).toBe('cancelled');
    expect(await squadStatus('SQ-041')).toBe('available');
  });

  it('resolving an incident ends its dispatches under way and frees their squads, each an event', async () => {
    const incident = await createIncident(t, commander);
    const leader = await t.login(leaderOf('SQ-042'));
    const [a, b] = await dispatch(incident, 'SQ-042', 'SQ-043');
    await post(`/api/dispatches/${a.id}/ack`, leader, { accept: true });
    const resolved = await t.http().patch(`/api/incidents/${incident}`).set(auth(commander)).send({ status: 'resolved' });
    expect(resolved.body.status).toBe('resolved');
    for (const id of [a.id, b.id]) expect((await get(`/api/dispatches/${id}`)).status).toBe('cancelled');
    expect([await squadStatus('SQ-042'), await squadStatus('SQ-043')]).toEqual(['available', 'available']);
    const cancelled = await eventsOf('dispatch.cancelled', 'incident_id = $1', [incident]);
    expect(cancelled.map((e: { payload: { reason: string } }) => e.payload.reason)).toEqual(['incident resolved', 'incident resolved']);
    const freed = await eventsOf('squad.status_changed', `squad_id = ANY($1::uuid[]) AND payload->>'to' = 'available'`, [[a.squadId, b.squadId]]);
    expect(freed.length).toBeGreaterThanOrEqual(2);
    expect((await t.http().patch(`/api/incidents/${incident}`).set(auth(commander)).send({ status: 'open' })).status).toBe(409);
  });

  it('a squad returning too long raises one warning alert per stint', async () => {
    const leader = await t.login(leaderOf('SQ-044'));
    const [d] = await dispatch(await createIncident(t, commander), 'SQ-044');
    await post(`/api/dispatches/${d.id}/ack`, leader, { accept: true });
    for (const status of ['en_route', 'on_scene', 'completed']) await post(`/api/dispatches/${d.id}/progress`, leader, { status });
    const id = squads.get('SQ-044')!.id;
    const watch = t.app.get(ReturnWatch);
    await watch.checkNow();
    expect(await eventsOf('squad.return_overdue', 'squad_id = $1', [id])).toEqual([]);

    await t.app.get(DataSource).query(`UPDATE squads SET status_changed_at = now() - interval '31 minutes' WHERE id = $1`, [id]);
    await watch.checkNow();
    await watch.checkNow();
    const alerts = await eventsOf('squad.return_overdue', 'squad_id = $1', [id]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].payload).toMatchObject({ code: 'SQ-044', minutes: 31 });
    const open = await get('/api/alerts?open=true');
    expect(open.some((a: { type: string; squadId: string }) => a.type === 'squad.return_overdue' && a.squadId === id)).toBe(true);
  });

  it('a dispatch is an exercise exactly when its incident is: mismatches are refused', async () => {
    const drill = await post('/api/drills', coordinator, {
      title: '夜间转移演练', kind: 'drill', areas: ['xiangzhi'], squadIds: [squads.get('SQ-050')!.id],
      plannedStart: new Date().toISOString(), plannedEnd: new Date(Date.now() + 7_200_000).toISOString(),
    });
    await post(`/api/drills/${drill.body.id}/start`, coordinator);
    const [exercise] = (await post(`/api/drills/${drill.body.id}/dispatches`, coordinator, { squadIds: [squads.get('SQ-050')!.id], title: '转移', lat: 24.78, lng: 118.76 })).body;
    expect(exercise.exercise).toBe(true);

    const real = await post(`/api/incidents/${exercise.incidentId}/dispatches`, commander, { squadIds: [squads.get('SQ-051')!.id] });
    expect(real.status).toBe(409);
    expect(real.body.code).toBe('DISPATCH.EXERCISE_MISMATCH');
    expect(await squadStatus('SQ-051')).toBe('available');
    const actor = { id: (await get('/api/auth/me')).id, username: 'commander', role: 'commander' as const, squadId: null };
    const realIncident = await createIncident(t, commander);
    await expect(t.app.get(DispatchService).dispatch(actor, realIncident, [squads.get('SQ-051')!.id], { exercise: true }))
      .rejects.toMatchObject({ code: 'DISPATCH.EXERCISE_MISMATCH' });

    const realOnly = await get('/api/incidents?status=open&exercise=false');
    expect(realOnly.some((i: { id: string }) => i.id === exercise.incidentId)).toBe(false);
    expect(realOnly.some((i: { id: string }) => i.id === realIncident)).toBe(true);

    // Finishing the drill closes its incident and calls off its dispatch.
    await post(`/api/drills/${drill.body.id}/finish`, coordinator, { summary: '完成' });
    expect((await get(`/api/incidents/${exercise.incidentId}`)).status).toBe('resolved');
    expect((await get(`/api/dispatches/${exercise.id}`)).status).toBe('cancelled');
  });

  it('cancelling a drill cancels its incidents and calls off their dispatches', async () => {
    const squadId = squads.get('SQ-052')!.id;
    const drill = await post('/api/drills', coordinator, {
      title: '取消的演练', kind: 'drill', areas: ['hubin'], squadIds: [squadId],
      plannedStart: new Date().toISOString(), plannedEnd: new Date(Date.now() + 7_200_000).toISOString(),
    });
    await post(`/api/drills/${drill.body.id}/start`, coordinator);
    const [exercise] = (await post(`/api/drills/${drill.body.id}/dispatches`, coordinator, { squadIds: [squadId], title: '集结', lat: 24.735, lng: 118.655 })).body;
    expect((await post(`/api/drills/${drill.body.id}/cancel`, coordinator)).status).toBe(200);
    expect((await get(`/api/incidents/${exercise.incidentId}`)).status).toBe('cancelled');
    expect((await get(`/api/dispatches/${exercise.id}`)).status).toBe('cancelled');
    expect(await squadStatus('SQ-052')).toBe('available');
  });

  it('squads that declined an incident are recommended for it after all the others', async () => {
    const incident = await createIncident(t, commander, { lat: 24.78, lng: 118.76, requiredSkills: [] });
    const best = (await get(`/api/incidents/${incident}/recommendations?limit=3`))[0];
    const [d] = await dispatch(incident, best.code);
    await post(`/api/dispatches/${d.id}/ack`, await t.login(leaderOf(best.code)), { accept: false, reason: '人手不足' });
    const after = await get(`/api/incidents/${incident}/recommendations?limit=128`);
    expect(after[0].code).not.toBe(best.code);
    expect(after[after.length - 1].code).toBe(best.code);
  });

  it('serves the areas as approximate shapes for a map without tiles', async () => {
    const res = await t.http().get('/api/areas.geojson').set(auth(commander));
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(res.body.type).toBe('FeatureCollection');
    expect(res.body.features).toHaveLength(9);
    const xiangzhi = res.body.features.find((f: { id: string }) => f.id === 'xiangzhi');
    expect(xiangzhi).toMatchObject({ geometry: { type: 'Polygon' }, properties: { name: '祥芝镇', approximate: true } });
    expect(xiangzhi.geometry.coordinates[0].length).toBeGreaterThanOrEqual(4);
  });

  it('a screen that opens reads the newest events, and the dispatches of the last hours', async () => {
    const latest = await get('/api/events?latest=true&limit=5');
    expect(latest).toHaveLength(5);
    const ids = latest.map((e: { id: string }) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));
    const [{ max }] = await t.app.get(DataSource).query('SELECT max(id)::text AS max FROM events');
    expect(latest[4].id).toBe(max);

    const since = new Date(Date.now() - 3_600_000).toISOString();
    const recent = await get(`/api/dispatches?since=${encodeURIComponent(since)}&limit=1000`);
    expect(recent.some((d: { status: string }) => d.status === 'cancelled')).toBe(true);
    expect((await t.http().get('/api/dispatches?since=yesterday').set(auth(commander))).status).toBe(400);
  });
});
