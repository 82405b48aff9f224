import { DataSource } from 'typeorm';
import { connectClient } from './helpers/sockets.js';
import { createIncident, leaderOf, squadsByCode, type SquadSummary } from './helpers/squads.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('squads, incidents and dispatch (e2e)', () => {
  let t: TestApp;
  let commander: string;
  let squads: Map<string, SquadSummary>;
  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await startTestApp({ SWEEP_INTERVAL_MS: '60000' });
    commander = await t.login('commander');
    squads = await squadsByCode(t, commander);
  });
  afterAll(async () => {
    await t.close();
  });

  it('seeds 128 squads with members and links leader-NNN to SQ-NNN', async () => {
    expect(squads.size).toBe(128);
    const sq = squads.get('SQ-017')!;
    const one = await t.http().get(`/api/squads/${sq.id}`).set(auth(commander));
    expect(one.body.members.length).toBeGreaterThanOrEqual(5);
    expect(one.body.members.length).toBeLessThanOrEqual(15);
    const login = await t.http().post('/api/auth/login').send({ username: 'leader-017', password: 'pingji-demo' });
    expect(login.body.user.squadId).toBe(sq.id);
  });

  it('recommends available squads, those with the required skills first, then the nearest, with distance and ETA', async () => {
    const incident = await createIncident(t, commander, { requiredSkills: ['water_rescue', 'first_aid'] });
    const res = await t.http().get(`/api/incidents/${incident}/recommendations?limit=20`).set(auth(commander));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(20);
    for (let i = 1; i < res.body.length; i++) {
      const [a, b] = [res.body[i - 1], res.body[i]];
      expect(a.skillsMatched.length > b.skillsMatched.length || (a.skillsMatched.length === b.skillsMatched.length && a.distanceM <= b.distanceM)).toBe(true);
    }
    expect(res.body[0]).toMatchObject({ squadId: expect.any(String), distanceM: expect.any(Number), etaMinutes: expect.any(Number) });
  });

  it('dispatches, and of 50 concurrent dispatches of one squad exactly one succeeds', async () => {
    const incident = await createIncident(t, commander);
    const sq = squads.get('SQ-050')!;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [sq.id] })),
    );
    const ok = results.filter((r) => r.status === 201);
    expect(ok).toHaveLength(1);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'DISPATCH.SQUAD_UNAVAILABLE')).toBe(true);
    expect(results.filter((r) => r.status === 409)).toHaveLength(49);
    expect(ok[0].body[0]).toMatchObject({ squadId: sq.id, status: 'pending', ackDeadline: expect.any(String) });
    const count = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM dispatches WHERE squad_id = $1', [sq.id]);
    expect(count[0].n).toBe(1);
    const squad = await t.http().get(`/api/squads/${sq.id}`).set(auth(commander));
    expect(squad.body.status).toBe('assigned');
  });

  it("tells each squad's active leaders beyond the app, in squad order; a refused dispatch sends nothing", async () => {
    const [a, b] = [squads.get('SQ-031')!, squads.get('SQ-032')!];
    const newLeader = async (username: string) => {
      const res = await t.http().post('/api/users').set(auth(commander)).send({ username, password: 'long enough password', role: 'squad_leader', squadId: a.id });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    await newLeader('leader-031-deputy');
    const gone = await newLeader('leader-031-gone');
    expect((await t.http().post(`/api/users/${gone}/disable`).set(auth(commander))).status).toBe(200);
    const incident = await createIncident(t, commander, { title: '堤坝渗水' });
    type Message = { recipient: string; recipientUserId: string; body: string; refId: string };
    // Newest first (GET /api/outbox lists by id, descending).
    const latest = async (limit: number) => (await t.http().get(`/api/outbox?topic=dispatch&limit=${limit}`).set(auth(commander))).body as Message[];

    const created = await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [a.id, b.id] });
    expect(created.status).toBe(201);
    const byCode = new Map((created.body as { id: string; squadCode: string }[]).map((d) => [d.squadCode, d.id]));
    const users = (await t.http().get('/api/users').set(auth(commander))).body as { id: string; username: string }[];
    const idOf = (username: string) => users.find((u) => u.username === username)!.id;
    const message = (code: string, username: string) => expect.objectContaining({
      channel: 'sms', recipient: `user:${username}`, recipientUserId: idOf(username), replyCode: null, refId: byCode.get(code), exercise: false,
      body: expect.stringMatching(new RegExp(`^【调度】${code}：堤坝渗水。请在平急应用中确认接受（\\d+秒内）。$`)),
    });
    expect(await latest(3)).toEqual([message(b.code, leaderOf(b.code)), message(a.code, 'leader-031-deputy'), message(a.code, leaderOf(a.code))]);
    // …and no more: the disabled leader gets none.
    const countFor = async (code: string) => ((await t.http().get(`/api/outbox?topic=dispatch&refId=${byCode.get(code)}`).set(auth(commander))).body as Message[]).length;
    expect([await countFor(a.code), await countFor(b.code)]).toEqual([2, 1]);

    const outboxRows = async () => (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'dispatch'`))[0].n as number;
    const before = await outboxRows();
    const refused = await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [squads.get('SQ-033')!.id, a.id] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('DISPATCH.SQUAD_UNAVAILABLE');
    expect(await outboxRows()).toBe(before);
  });

  it("runs the whole flow on the leader's phone; leaders act only on their own squad's dispatches and never see another's", async () => {
    const [a, b] = [squads.get('SQ-021')!, squads.get('SQ-022')!];
    const leaderA = await t.login(leaderOf(a.code));
    const leaderB = await t.login(leaderOf(b.code));
    const phoneA = await connectClient(t.url, leaderA);
    const phoneB = await connectClient(t.url, leaderB);
    await Promise.all([phoneA.replayDone, phoneB.replayDone]);
    const incident = await createIncident(t, commander);
    const created = await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [a.id], note: '带抛绳包' });
    const dispatchId = created.body[0].id;
    await phoneA.until((e) => e.some((x) => x.type === 'dispatch.created' && x.dispatchId === dispatchId));
    expect(phoneA.events.find((x) => x.type === 'dispatch.created')!.payload).toMatchObject({ squadCode: a.code, note: '带抛绳包' });

    expect((await t.http().post(`/api/dispatches/${dispatchId}/ack`).set(auth(leaderB)).send({ accept: true })).status).toBe(403);
    expect((await t.http().post(`/api/dispatches/${dispatchId}/progress`).set(auth(leaderB)).send({ status: 'en_route' })).status).toBe(403);
    expect((await t.http().get(`/api/dispatches/${dispatchId}`).set(auth(leaderB))).status).toBe(404);
    expect((await t.http().get('/api/dispatches').set(auth(leaderB))).body.every((d: { squadId: string }) => d.squadId === b.id)).toBe(true);

    const tooEarly = await t.http().post(`/api/dispatches/${dispatchId}/progress`).set(auth(leaderA)).send({ status: 'on_scene' });
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.code).toBe('DISPATCH.INVALID_TRANSITION');
    const accepted = await t.http().post(`/api/dispatches/${dispatchId}/ack`).set(auth(leaderA)).send({ accept: true });
    expect(accepted.body.status).toBe('accepted');
    for (const status of ['en_route', 'on_scene', 'completed']) {
      const res = await t.http().post(`/api/dispatches/${dispatchId}/progress`).set(auth(leaderA)).send({ status });
      expect({ status: res.status, body: res.body.status }).toEqual({ status: 200, body: status });
    }
    expect((await t.http().post(`/api/dispatches/${dispatchId}/cancel`).set(auth(commander)).send({ reason: '太迟了' })).status).toBe(409);
    const squadA = await t.http().get(`/api/squads/${a.id}`).set(auth(commander));
    expect(squadA.body.status).toBe('returning');
    expect((await t.http().post(`/api/squads/${a.id}/status`).set(auth(leaderA)).send({ status: 'available' })).body.status).toBe('available');

    await phoneA.until((e) => e.filter((x) => x.type === 'dispatch.progress').length === 3);
    expect(phoneB.events.some((x) => x.dispatchId === dispatchId)).toBe(false);
    expect(phoneB.events.some((x) => x.squadId === a.id)).toBe(false);
    phoneA.close();
    phoneB.close();
  });

  it('answers a retried acknowledgement with the same Idempotency-Key with the first result, changing nothing again', async () => {
    const sq = squads.get('SQ-030')!;
    const leader = await t.login(leaderOf(sq.code));
    const incident = await createIncident(t, commander);
    const [d] = (await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send({ squadIds: [sq.id] })).body;
    const ack = () => t.http().post(`/api/dispatches/${d.id}/ack`).set(auth(leader)).set('idempotency-key', 'phone-ack-1').send({ accept: true });
    const first = await ack();
    const retry = await ack();
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotent-replay']).toBe('true');
    const events = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM events WHERE dispatch_id = $1 AND type = 'dispatch.accepted'`, [d.id]);
    expect(events[0].n).toBe(1);
    // Without the key the same request is a conflict: it was already accepted.
    expect((await t.http().post(`/api/dispatches/${d.id}/ack`).set(auth(leader)).send({ accept: true })).status).toBe(409);
    const reused = await t.http().post(`/api/dispatches/${d.id}/progress`).set(auth(leader)).set('idempotency-key', 'phone-ack-1').send({ status: 'en_route' });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('IDEMPOTENCY.KEY_REUSED');
  });

  it('takes positions over REST and the socket, announcing them coalesced', async () => {
    const sq = squads.get('SQ-040')!;
    const leader = await t.login(leaderOf(sq.code));
    const phone = await connectClient(t.url, leader);
    await phone.replayDone;
    for (let i = 0; i < 20; i++) {
      const res = await t.http().post(`/api/squads/${sq.id}/position`).set(auth(leader)).send({ lat: 24.7 + i / 1000, lng: 118.65, accuracy: 8 });
      expect(res.status).toBe(200);
    }
    const ack = await new Promise((resolve) => phone.socket.emit('squad.position', { lat: 24.75, lng: 118.66 }, resolve));
    expect(ack).toEqual({ ok: true });
    const bad = await new Promise((resolve) => phone.socket.emit('squad.position', { lat: 'north', lng: 500 } as never, resolve));
    expect(bad).toMatchObject({ ok: false, code: 'REQUEST.VALIDATION' });
    const other = squads.get('SQ-041')!;
    expect((await t.http().post(`/api/squads/${other.id}/position`).set(auth(leader)).send({ lat: 24.7, lng: 118.6 })).status).toBe(403);
    expect((await t.http().post(`/api/squads/${sq.id}/position`).set(auth(leader)).send({ lat: 91, lng: 118.6 })).status).toBe(400);

    const { PositionBroadcaster } = await import('../src/squads/position-broadcaster.js');
    await t.app.get(PositionBroadcaster).broadcastNow();
    await phone.until((e) => e.some((x) => x.type === 'squad.position'));
    const announced = phone.events.filter((x) => x.type === 'squad.position' && x.squadId === sq.id);
    // 21 reports, one announcement, with the latest position.
    expect(announced).toHaveLength(1);
    expect(announced[0].payload).toMatchObject({ lat: 24.75, lng: 118.66 });
    phone.close();
  });

  it('rejects bad dispatch requests with clear messages', async () => {
    const incident = await createIncident(t, commander);
    const sq = squads.get('SQ-060')!;
    const post = (body: object) => t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(commander)).send(body);
    expect((await post({ squadIds: [] })).body.message).toContain('at least one squad');
    expect((await post({ squadIds: [sq.id, sq.id] })).body.message).toContain('must not name a squad twice');
    expect((await post({ squadIds: ['nope'] })).status).toBe(400);
    expect((await post({ squadIds: ['00000000-0000-0000-0000-000000000000'] })).status).toBe(404);
    const badIncident = await t.http().post('/api/incidents').set(auth(commander)).send({ kind: 'meteor', severity: 'severe', title: 'x', lat: 100, lng: 0 });
    expect(badIncident.status).toBe(400);
    expect(badIncident.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['kind', 'lat', 'title']);
    const viewer = await t.login('viewer');
    expect((await t.http().post(`/api/incidents/${incident}/dispatches`).set(auth(viewer)).send({ squadIds: [sq.id] })).status).toBe(403);
    await t.http().patch(`/api/incidents/${incident}`).set(auth(commander)).send({ status: 'resolved' });
    const closed = await post({ squadIds: [sq.id] });
    expect(closed.status).toBe(409);
    expect(closed.body.code).toBe('INCIDENT.NOT_OPEN');
  });
});
