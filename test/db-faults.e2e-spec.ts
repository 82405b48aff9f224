import { connectClient, type RecordingClient } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

// A database server that goes away is a server's failure; the embedded database lives in the process.
const describeOnServer = serverUrl() ? describe : describe.skip;
if (!serverUrl()) console.info('db-faults: skipped, set TEST_DATABASE_URL to run it against a PostgreSQL server');

/** A server test database, and a test app that reaches it only through a proxy the test controls. */
async function appBehindProxy(timeoutMs: number): Promise<{ db: TestDatabase; proxy: TcpProxy; t: TestApp }> {
  const db = await createTestDatabase();
  const target = new URL(db.url!);
  const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
  const viaProxy = new URL(db.url!);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);
  const t = await startTestApp({ DATABASE_URL: viaProxy.toString(), DB_TIMEOUT_MS: String(timeoutMs) }, db);
  return { db, proxy, t };
}

describeOnServer('GET /health when the database server is gone (e2e, server)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    ({ db, proxy, t } = await appBehindProxy(1000));
  });
  afterAll(async () => {
    await t.close();
    await db.drop();
  });

  it('answers 200 while the database answers, then 503 fast once its port is closed', async () => {
    expect((await t.http().get('/health')).status).toBe(200);
    const token = await t.login('commander');
    await proxy.close();
    const started = Date.now();
    const res = await t.http().get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'DB.UNAVAILABLE', db: 'down' });
    expect(Date.now() - started).toBeLessThan(5000);
    // A route that needs the database fails the same way, with the API's error shape.
    const users = await t.http().get('/api/users').set('authorization', `Bearer ${token}`);
    expect(users.status).toBe(503);
    expect(users.body).toMatchObject({ statusCode: 503, code: 'DB.UNAVAILABLE' });
  });
});

describeOnServer('a database that stalls or restarts (e2e, server)', () => {
  const TIMEOUT_MS = 1000;
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let viewer: RecordingClient;
  let commander: string;

  beforeAll(async () => {
    ({ db, proxy, t } = await appBehindProxy(TIMEOUT_MS));
    commander = await t.login('commander');
    viewer = await connectClient(t.url, await t.login('viewer'));
    await viewer.replayDone;
  });
  afterAll(async () => {
    viewer.close();
    proxy.resume();
    await t.close();
    await proxy.close();
    await db.drop();
  });

  const asCommander = (req: ReturnType<ReturnType<TestApp['http']>['get']>) => req.set('authorization', `Bearer ${commander}`);
  /** Polls until `path` answers 200, as a client retrying after a 503 would. */
  async function recovers(path: string, ms = 15_000): Promise<number> {
    const started = Date.now();
    for (;;) {
      const res = await asCommander(t.http().get(path));
      if (res.status === 200) return Date.now() - started;
      expect(res.status).toBe(503);
      if (Date.now() - started > ms) throw new Error(`${path} still ${res.status} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  async function noticeArrives(title: string): Promise<void> {
    const posted = await asCommander(t.http().post('/api/notices')).send({ title });
    expect(posted.status).toBe(201);
    await viewer.until((events) => events.some((e) => e.type === 'notice.posted' && e.payload.title === title), 5000);
  }

  it('a stall: requests fail fast with 503 DB.UNAVAILABLE, nothing hangs, and it recovers by itself', async () => {
    await noticeArrives('before the stall');
    proxy.pause();
    const started = Date.now();
    const [list, write, health] = await Promise.all([
      asCommander(t.http().get('/api/facilities')),
      asCommander(t.http().post('/api/notices')).send({ title: 'during the stall' }),
      t.http().get('/health'),
    ]);
    const took = Date.now() - started;
    expect([list.status, write.status, health.status]).toEqual([503, 503, 503]);
    expect(list.body).toMatchObject({ code: 'DB.UNAVAILABLE' });
    expect(write.body).toMatchObject({ code: 'DB.UNAVAILABLE' });
    expect(took).toBeLessThan(TIMEOUT_MS * 3 + 1000);
    expect(viewer.socket.connected).toBe(true); // the socket is not held hostage by the database

    proxy.resume();
    await recovers('/api/facilities');
    await noticeArrives('after the stall');
    // The write that failed is not half there: it never committed.
    expect(viewer.events.filter((e) => e.payload.title === 'during the stall')).toEqual([]);
  });

  it('a restart (every connection cut): it reconnects by itself and live events flow again', async () => {
    proxy.dropConnections();
    await recovers('/api/facilities');
    await noticeArrives('after the restart');
  });
});
