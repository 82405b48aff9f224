import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, killAppProcesses, loginAt, startAppProcess } from './helpers/app-process.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase } from './helpers/test-database.js';
import { until } from './helpers/until.js';

describe('the edges of the platform (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ BODY_LIMIT: '10kb' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('GET /health answers ok with the database up', async () => {
    const res = await t.http().get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', db: 'up' });
  });

  it('answers an oversized body with 413 in the error shape', async () => {
    const res = await t.http().post('/api/auth/login').set('content-type', 'application/json').send(JSON.stringify({ username: 'a'.repeat(20_000), password: 'x' }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'REQUEST.TOO_LARGE' });
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const res = await t.http().post('/api/auth/login').set('content-type', 'application/json').send('{"username": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST.MALFORMED_JSON');
  });

  it('answers an unknown route with 404 in the error shape (after authentication)', async () => {
    const token = await t.login('viewer');
    const res = await t.http().get('/api/no-such-thing').set('authorization', `Bearer ${token}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'ROUTE.NOT_FOUND' });
  });

  it('echoes a request id, or makes one, and sets security headers', async () => {
    const given = await t.http().get('/health').set('x-request-id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.http().get('/health');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.headers['x-content-type-options']).toBe('nosniff');
    expect(made.headers['content-security-policy']).toContain('img-src');
  });

  it('publishes OpenAPI with the login DTO described', async () => {
    const res = await t.http().get('/api/docs-json');
    expect(res.status).toBe(200);
    expect(res.body.paths['/api/auth/login'].post).toBeDefined();
    expect(Object.keys(res.body.components.schemas.LoginDto.properties)).toEqual(['username', 'password']);
    const ui = await t.http().get('/api/docs/');
    expect(ui.status).toBe(200);
    expect(ui.text).toContain('swagger');
  });

  it('serves the dashboard at / and the map settings to it', async () => {
    const page = await t.http().get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html');
    const cfg = await t.http().get('/api/client-config');
    expect(cfg.body).toEqual({
      tileUrl: t.config.tileUrl, tileLabelsUrl: null, tileAttribution: '© OpenStreetMap contributors', center: [24.73, 118.65], zoom: 12,
      // The phone card's call button (none unless configured) and map link (opens on Android and iOS).
      commandCenterPhone: null, mapLinkUrl: t.config.mapLinkUrl,
    });
  });
});

describe('configuration at boot (the built server)', () => {
  const main = new URL('../dist/main.js', import.meta.url).pathname;
  const run = (env: Record<string, string>) =>
    spawnSync(process.execPath, [main], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 30_000 });

  beforeAll(() => {
    if (!existsSync(main)) throw new Error('dist/main.js is missing: npm test builds it first (npm run build)');
  });

  it('exits non-zero with one line naming a bad variable', () => {
    const res = run({ PORT: 'eighty' });
    expect(res.status).toBe(1);
    expect(res.stderr.trim()).toBe('Configuration error: PORT must be an integer from 0 to 65535 (got "eighty")');
  });

  it('refuses production without JWT_SECRET', () => {
    const res = run({ NODE_ENV: 'production', DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('JWT_SECRET must be set in production');
  });
});

describe('the built server: one bundle, one copy of each library (e2e)', () => {
  afterAll(killAppProcesses);

  // @nestjs/typeorm and @nestjs/mapped-types load typeorm, class-validator and class-transformer by name,
  // through a `require` the bundler cannot see; scripts/bundle-server.js points those at the bundle's
  // copies. Were it not to, Node would load a second copy of each from node_modules: their start-up time
  // spent again, and two sets of metadata (class-transformer's, TypeORM's) that do not see each other.
  it('loads from node_modules only the packages that cannot be bundled, and validates and stores as the app from source does', async () => {
    const db = await createTestDatabase();
    const listFile = join(mkdtempSync(join(tmpdir(), 'pingji-loaded-')), 'packages.json');
    try {
      const app = await startAppProcess({
        name: 'bundle',
        databaseUrl: db.url ?? '',
        env: { LOADED_PACKAGES_FILE: listFile, ...(db.url ? {} : { PGLITE_DIR: 'memory://' }) },
        nodeArgs: ['--import', fileURLToPath(new URL('./helpers/loaded-packages.js', import.meta.url))],
      });
      const token = await loginAt(app.url, 'commander');
      // A partial update (PartialType): the rules it inherits apply, and the change is stored.
      const [site] = (await api(app.url, 'GET', '/api/facilities?type=elder_canteen', { token })).body;
      const bad = await api(app.url, 'PATCH', `/api/facilities/${site.id}`, { token, body: { code: 'not a code!' } });
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([{ field: 'code', messages: ['code 的格式不正确'] }]);
      const ok = await api(app.url, 'PATCH', `/api/facilities/${site.id}`, { token, body: { name: '改名的长者食堂' } });
      expect(ok.status).toBe(200);
      expect((await api(app.url, 'GET', `/api/facilities/${site.id}`, { token })).body.name).toBe('改名的长者食堂');

      process.kill(app.pid, 'SIGUSR2');
      await until('the server wrote its list of loaded packages', 10_000, () => existsSync(listFile));
      // argon2 is a native addon (with its loader and format); swagger-ui-dist is read from disk for /api/docs.
      expect(JSON.parse(readFileSync(listFile, 'utf8'))).toEqual(['@phc/format', 'argon2', 'node-gyp-build', 'swagger-ui-dist']);
    } finally {
      await killAppProcesses();
      await db.drop();
      rmSync(dirname(listFile), { recursive: true, force: true });
    }
  }, 120_000);
});
