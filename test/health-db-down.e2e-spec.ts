import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';
import { startTcpProxy, type TcpProxy } from './helpers/tcp-proxy.js';

// A database server that goes away is a server's failure; the embedded database lives in the process.
const describeOnServer = serverUrl() ? describe : describe.skip;
if (!serverUrl()) console.info('health-db-down: skipped, set TEST_DATABASE_URL to run it against a PostgreSQL server');

describeOnServer('GET /health when the database server is gone (e2e, server)', () => {
  let db: TestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(db.url!);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    t = await startTestApp({ DATABASE_URL: viaProxy.toString(), DB_TIMEOUT_MS: '1000' }, db);
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
