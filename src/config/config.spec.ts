import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseDuration } from './config.js';

const secret = { JWT_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('gives working defaults for a fresh machine: embedded database, demo data on', () => {
    const c = loadConfig({ ...secret });
    expect(c).toMatchObject({ port: 3000, pgliteDir: join('./data', 'pglite'), demoData: true, demoPassword: 'pingji-demo', jwtTtlSeconds: 900 });
    expect(c).toMatchObject({ refreshTtlSeconds: 43200, loginFailuresBeforeBackoff: 5, loginAddressFailuresPerMinute: 100, trustProxy: false });
    expect(c.databaseUrl).toBeUndefined();
  });

  it('turns demo data off with a server database or in production, unless asked for', () => {
    expect(loadConfig({ ...secret, DATABASE_URL: 'postgres://u@h/db' }).demoData).toBe(false);
    expect(loadConfig({ ...secret, NODE_ENV: 'production', DATABASE_URL: 'postgres://u@h/db' }).demoData).toBe(false);
    expect(loadConfig({ ...secret, NODE_ENV: 'production', DEMO_DATA: 'true' }).demoData).toBe(true);
  });

  it.each([
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [{ PORT: '3.5' }, 'PORT must be an integer'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL must be a URL'],
    [{ JWT_TTL: 'forever' }, 'JWT_TTL must be a duration'],
    [{ REFRESH_TTL: '12 hours' }, 'REFRESH_TTL must be a duration'],
    [{ TRUST_PROXY: 'nginx please' }, 'TRUST_PROXY must be true, false, a number of proxies'],
    [{ LOGIN_ADDRESS_LIMIT: '0' }, 'LOGIN_ADDRESS_LIMIT must be an integer'],
    [{ JWT_SECRET: 'short' }, 'JWT_SECRET must be at least 32 characters long'],
    [{ DEMO_DATA: 'maybe' }, 'DEMO_DATA must be true or false'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV must be one of development, production, test'],
    [{ TILE_URL: 'https://tiles.example.org/tile.png' }, 'TILE_URL must be a tile URL template'],
    [{ TILE_LABELS_URL: 'https://tiles.example.org/labels.png' }, 'TILE_LABELS_URL must be a tile URL template'],
    [{ BODY_LIMIT: 'huge' }, 'BODY_LIMIT must be a size like 512kb or 1mb'],
    [{ PUBLIC_URL: 'pingji.example.org' }, 'PUBLIC_URL must be an absolute URL'],
    [{ PUBLIC_URL: 'ftp://pingji.example.org' }, 'PUBLIC_URL must be an http:// or https:// URL'],
    [{ CAP_SENDER: 'command center' }, 'CAP_SENDER must be an address without spaces or commas'],
    [{ CAP_SENDER: 'a@b.example,c@d.example' }, 'CAP_SENDER must be an address without spaces or commas'],
    [{ CAP_SENDER: 'x<y&z' }, 'CAP_SENDER must be an address without spaces or commas'],
    [{ CAP_SENDER_NAME: 'two\nlines' }, 'CAP_SENDER_NAME must be one line'],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadConfig({ ...secret, ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ ...secret, ...env })).toThrow(message);
  });

  it('gives CAP and link defaults, and drops a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ ...secret })).toMatchObject({
      publicUrl: 'http://localhost:3000',
      capSender: 'pingji@shishi.gov.cn.example',
      capSenderName: '石狮市平急指挥中心 (Shishi Pingji Command Center)',
    });
    expect(loadConfig({ ...secret, PUBLIC_URL: 'https://pingji.example.org/app/' }).publicUrl).toBe('https://pingji.example.org/app');
  });

  it('hashes passwords at full cost unless the test suite asks for light hashes', () => {
    expect(loadConfig({ ...secret }).passwordHashing).toBe('standard');
    expect(loadConfig({ ...secret, NODE_ENV: 'test', PASSWORD_HASHING: 'light' }).passwordHashing).toBe('light');
    for (const NODE_ENV of ['development', 'production']) {
      expect(() => loadConfig({ ...secret, NODE_ENV, PASSWORD_HASHING: 'light' })).toThrow('PASSWORD_HASHING must be standard (light is for the test suite');
    }
    expect(() => loadConfig({ ...secret, PASSWORD_HASHING: 'none' })).toThrow(ConfigError);
  });

  it('requires JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('JWT_SECRET must be set in production');
  });

  it('generates a development secret once and keeps it under the data folder', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pingji-config-'));
    const first = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtSecret).toBe(first);
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(first);
  });

  it('keeps no secret on disk for a throwaway (memory://) database: a new one each process', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pingji-config-'));
    const first = loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: 'memory://' }).jwtSecret;
    const second = loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: 'memory://' }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).not.toBe(first);
    expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
    // A server database does survive: the kept secret is used as before.
    const kept = loadConfig({ DATA_DIR: dataDir, PGLITE_DIR: 'memory://', DATABASE_URL: 'postgres://u@h/db' }).jwtSecret;
    expect(readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim()).toBe(kept);
  });

  it('reads TRUST_PROXY as Express does: off, on, a hop count or addresses', () => {
    expect(loadConfig({ ...secret, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ ...secret, TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ ...secret, TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ ...secret, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback,10.0.0.0/8');
  });

  it('limits one address twenty times more loosely than one username by default', () => {
    expect(loadConfig({ ...secret, LOGIN_RATE_LIMIT: '10' }).loginAddressFailuresPerMinute).toBe(200);
    expect(loadConfig({ ...secret, LOGIN_ADDRESS_LIMIT: '500' }).loginAddressFailuresPerMinute).toBe(500);
  });
});

describe('parseDuration', () => {
  it.each([
    ['3600', 3600],
    ['90s', 90],
    ['15m', 900],
    ['12h', 43200],
    ['7d', 604800],
  ])('%s → %d s', (raw, seconds) => expect(parseDuration(raw)).toBe(seconds));

  it.each(['', '0', '-5m', '1.5h', '12 hours'])('rejects %j', (raw) => expect(parseDuration(raw)).toBeUndefined());
});
