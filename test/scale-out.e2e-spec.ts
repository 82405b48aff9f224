import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'socket.io';
import { DataSource } from 'typeorm';
import { RealtimeGateway } from '../src/realtime/realtime.gateway.js';
import { strictlyIncreasing } from './helpers/events.js';
import { connectClient } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';
import type { ImportProgress } from '../src/contracts/imports.js';

// Several instances share a PostgreSQL server; the embedded database is one process by nature.
const describeOnServer = serverUrl() ? describe : describe.skip;
if (!serverUrl()) console.info('scale-out: skipped, set TEST_DATABASE_URL to run it against a PostgreSQL server');

// The Redis adapter case runs when REDIS_URL names a Redis (CI's server run exports it), and then
// asserts: a Redis that does not answer fails the suite instead of skipping it.
const redisUrl = process.env.REDIS_URL || undefined;
if (serverUrl() && !redisUrl) console.info('scale-out: the Redis adapter case is skipped, set REDIS_URL=redis://127.0.0.1:6379 to run it');

const HEADER = 'code,name,nameEn,type,kind,areaCode,areaName,gridZoneCode,lat,lng,capacity,openingHours,parentCode,emergencyFunction';

const ADAPTERS: [string, Record<string, string>][] = [['the PostgreSQL adapter', {}]];
if (redisUrl) ADAPTERS.push(['the Redis adapter (REDIS_URL)', { REDIS_URL: redisUrl }]);

describeOnServer.each(ADAPTERS)('two instances on one database, with %s (e2e, server)', (_, adapterEnv) => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // A channel prefix of our own: other runs may share this Redis.
    const env = { ...adapterEnv, REDIS_PREFIX: `pingji-test-${randomBytes(4).toString('hex')}`, SWEEP_INTERVAL_MS: '100', DISPATCH_ACK_TIMEOUT_SECONDS: '1' };
    db = await createTestDatabase();
    // Both at once on a fresh database: migrations and the seed take turns (advisory locks).
    [a, b] = await Promise.all([startTestApp(env, db), startTestApp(env, db)]);
  });

  it('uses the adapter it was configured with', () => {
    const kind = 'REDIS_URL' in adapterEnv ? 'RedisAdapter' : 'PostgresAdapter';
    for (const t of [a, b]) {
      const { server } = t.app.get(RealtimeGateway) as unknown as { server: Server };
      expect(server.of('/').adapter.constructor.name).toBe(kind);
    }
  });

  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  it('events committed on A reach the sockets on B once each, in order', async () => {
    const onB = await connectClient(b.url, await b.login('viewer'));
    await onB.replayDone;
    const commander = await a.login('commander');
    const titles = Array.from({ length: 40 }, (_, i) => `from A #${i}`);
    for (const title of titles) {
      expect((await a.http().post('/api/notices').set('authorization', `Bearer ${commander}`).send({ title })).status).toBe(201);
    }
    await onB.until((events) => events.filter((e) => e.type === 'notice.posted').length >= titles.length);
    const notices = onB.events.filter((e) => e.type === 'notice.posted');
    expect(notices.map((e) => e.payload.title)).toEqual(titles);
    expect(strictlyIncreasing(onB.events.map((e) => e.id))).toBe(true);
    onB.close();
  });

  it("an import on A shows its progress on the uploader's socket on B (through the adapter)", async () => {
    const token = await a.login('commander');
    const onB = await connectClient(b.url, token);
    await onB.replayDone;
    const progress: ImportProgress[] = [];
    onB.socket.on('import.progress', (p) => progress.push(p));
    const importId = randomUUID();
    const csv = [HEADER, ...Array.from({ length: 1500 }, (_, i) => `SCALE-${importId.slice(0, 4)}-${i},站点 ${i},,warm_station,,hubin,,,24.73,118.65,,,,`)].join('\n');
    const res = await a.http().post(`/api/imports/facilities?importId=${importId}`).set('authorization', `Bearer ${token}`).set('content-type', 'text/csv').send(csv);
    expect(res.status).toBe(201);
    const deadline = Date.now() + 5000;
    while (!progress.some((p) => p.phase === 'done') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(progress.map((p) => p.phase)).toEqual(expect.arrayContaining(['checking', 'writing', 'done']));
    expect(progress.at(-1)).toMatchObject({ importId, phase: 'done', done: 1500, total: 1500 });
    onB.close();
  });

  it('the deadline sweep runs on one instance at a time: an unanswered dispatch expires exactly once', async () => {
    const commander = await a.login('commander');
    const auth = { authorization: `Bearer ${commander}` };
    const incident = await a.http().post('/api/incidents').set(auth).send({ kind: 'flood', severity: 'severe', title: '两个实例', lat: 24.73, lng: 118.65 });
    expect(incident.status).toBe(201);
    const [squad] = (await a.http().get(`/api/incidents/${incident.body.id}/recommendations`).set(auth)).body;
    const dispatch = await a.http().post(`/api/incidents/${incident.body.id}/dispatches`).set(auth).send({ squadIds: [squad.squadId] });
    expect(dispatch.status).toBe(201);
    const ds = a.app.get(DataSource);
    const expiredEvents = () => ds.query(`SELECT count(*)::int AS n FROM events WHERE type = 'dispatch.expired' AND dispatch_id = $1`, [dispatch.body[0].id]);
    const deadline = Date.now() + 8000;
    while ((await expiredEvents())[0].n === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // both sweepers have had several more turns
    expect((await expiredEvents())[0].n).toBe(1);
  });
});

