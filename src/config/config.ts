import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Everything the service reads from its environment, typed and checked once at boot. */
export interface AppConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  /** A PostgreSQL server; when absent the embedded PostgreSQL (PGlite) under pgliteDir is used. */
  databaseUrl?: string;
  pgliteDir: string;
  /** A dumped data folder (tar) that a new in-memory embedded database starts from (tests). */
  pgliteTemplate?: string;
  dataDir: string;
  dbPoolSize: number;
  /** Connection and statement timeout: a stalled database fails requests fast instead of hanging them. */
  dbTimeoutMs: number;
  jwtSecret: string;
  /** Lifetime of an access token (short: a refresh token renews it). */
  jwtTtlSeconds: number;
  /** A refresh token unused this long expires; each refresh gives a new one for as long again. */
  refreshTtlSeconds: number;
  demoData: boolean;
  demoPassword: string;
  /** The cost of new password hashes: standard, or light under NODE_ENV=test only. */
  passwordHashing: PasswordHashing;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  tileUrl: string;
  /** A second tile layer drawn over the first: the place names of a map whose base tiles have none (天地图 cva_w). */
  tileLabelsUrl: string | null;
  /** Credit shown on the map for the tiles (plain text). */
  tileAttribution: string;
  /** The command center's phone number a squad leader calls from the dispatch card (null: no call button). */
  commandCenterPhone: string | null;
  /** The map a squad leader's "open in map" link opens: an https URL template with {lat} and {lng} (WGS-84). */
  mapLinkUrl: string;
  corsOrigins: string[];
  bodyLimit: string;
  importBodyLimit: string;
  socketMessagesPerSecond: number;
  /** Redis for socket.io broadcasts across instances; without it the PostgreSQL server carries them. */
  redisUrl?: string;
  /** Prefix of the Redis channels, so several deployments (or test runs) can share one Redis. */
  redisPrefix: string;
  /** Failed logins of one username before it backs off (1 s, doubling up to 15 min). */
  loginFailuresBeforeBackoff: number;
  /** Failed logins a minute from one client address (any usernames) before that address gets 429. */
  loginAddressFailuresPerMinute: number;
  /** Express `trust proxy`: which proxies' X-Forwarded-For is believed for the client address. */
  trustProxy: boolean | number | string;
  /** How long a squad has to acknowledge a dispatch before it expires. */
  dispatchAckTimeoutSeconds: number;
  /** How often deadlines are swept and squad positions broadcast. */
  sweepIntervalMs: number;
  /** A squad `returning` longer than this raises a warning alert. */
  squadReturnAlertMinutes: number;
  /** A squad on scene checks in this often (PAR_INTERVAL_MINUTES; decimals allowed, e.g. 0.05 = 3 s in tests). */
  parIntervalSeconds: number;
  /** The answer window of a 叫应 round started by a switchover (ROLL_CALL_ANSWER_MINUTES). */
  rollCallAnswerSeconds: number;
  /** Shared secret of the SMS/voice gateway posting replies to POST /api/outbox/replies; unset: the hook is off. */
  outboundReplySecret?: string;
  /** How often stock is checked for stock.low and stock.expiring. */
  stockCheckIntervalMs: number;
  /** Lots expiring within this many days raise stock.expiring. */
  stockExpiryWarningDays: number;
  /** Where people reach the dashboard (no trailing slash): links in CAP messages and the Atom feed. */
  publicUrl: string;
  /** CAP `sender`: who issues our CAP messages; also part of every message identifier. */
  capSender: string;
  /** CAP `senderName`: the issuing office as people should read it. */
  capSenderName: string;
}

/** A bad or missing variable: the message is the one line printed before the process exits. */
export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['development', 'production', 'test'] as const;
export const PASSWORD_HASHINGS = ['standard', 'light'] as const;
export type PasswordHashing = (typeof PASSWORD_HASHINGS)[number];

function fail(name: string, expected: string, got: string | undefined): never {
  throw new ConfigError(`${name} must be ${expected} (got ${got === undefined ? 'nothing' : JSON.stringify(got)})`);
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(values as readonly string[]).includes(raw)) fail(name, `one of ${values.join(', ')}`, raw);
  return raw as T;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max) fail(name, `an integer from ${min} to ${max}`, raw);
  return value;
}

/** Minutes as a positive decimal ("20", "0.05"), returned in whole seconds (at least 1). */
function minutesAsSeconds(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback * 60;
  const value = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw.trim()) || value <= 0 || value > max) fail(name, `a number of minutes above 0 and up to ${max}`, raw);
  return Math.max(1, Math.round(value * 60));
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  return fail(name, 'true or false', env[name]);
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "3600", "90s", "15m", "12h", "7d" → seconds. */
export function parseDuration(raw: string): number | undefined {
  const match = /^(\d+)\s*([smhd]?)$/.exec(raw.trim());
  if (!match) return undefined;
  const seconds = Number(match[1]) * DURATION_UNITS[match[2] || 's'];
  return seconds > 0 ? seconds : undefined;
}

function databaseUrl(env: Env): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('DATABASE_URL', 'a URL like postgres://user:password@host:5432/pingji', raw);
  }
  if (!['postgres:', 'postgresql:'].includes(url.protocol)) {
    fail('DATABASE_URL', 'a postgres:// or postgresql:// URL', raw);
  }
  return raw;
}

/**
 * In production the secret must come from the environment. Elsewhere one is generated once and kept
 * under the data folder, so tokens survive a restart without anyone having to invent a secret — unless
 * the database itself does not survive one (`memory://`): then the secret lives and dies with the
 * process, so a token from an earlier run never names a user of a database that no longer exists.
 */
function jwtSecret(env: Env, nodeEnv: AppConfig['nodeEnv'], dataDir: string, throwawayDatabase: boolean): string {
  const raw = env.JWT_SECRET;
  if (raw !== undefined && raw !== '') {
    if (raw.length < 32) fail('JWT_SECRET', 'at least 32 characters long', '<hidden>');
    return raw;
  }
  if (nodeEnv === 'production') fail('JWT_SECRET', 'set in production (at least 32 random characters)', undefined);
  if (throwawayDatabase) return randomBytes(48).toString('base64url');
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(48).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * TRUST_PROXY → Express's `trust proxy`: off, on (every proxy: only behind one that overwrites
 * X-Forwarded-For), a hop count (`1` behind one nginx), or addresses/subnets/`loopback`/`uniquelocal`.
 */
function trustProxy(env: Env): boolean | number | string {
  const raw = env.TRUST_PROXY?.trim();
  if (raw === undefined || raw === '') return false;
  if (['true', 'false', 'yes', 'no', 'on', 'off'].includes(raw.toLowerCase())) return ['true', 'yes', 'on'].includes(raw.toLowerCase());
  if (/^\d{1,2}$/.test(raw)) return Number(raw);
  const parts = raw.split(',').map((p) => p.trim());
  if (!parts.every((p) => /^(loopback|linklocal|uniquelocal|[0-9a-fA-F:.]+(\/\d{1,3})?)$/.test(p))) {
    fail('TRUST_PROXY', 'true, false, a number of proxies (e.g. 1) or addresses/subnets (e.g. loopback, 10.0.0.0/8)', raw);
  }
  return parts.join(',');
}

function redisUrl(env: Env): string | undefined {
  const raw = env.REDIS_URL;
  if (!raw) return undefined;
  if (!/^rediss?:\/\/\S+$/.test(raw)) fail('REDIS_URL', 'a URL like redis://127.0.0.1:6379', raw);
  return raw;
}

/** An absolute http(s) URL without a trailing slash. */
function publicUrl(env: Env): string {
  const raw = env.PUBLIC_URL || 'http://localhost:3000';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('PUBLIC_URL', 'an absolute URL like https://pingji.example.org', raw);
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search || url.hash) fail('PUBLIC_URL', 'an http:// or https:// URL without ?query or #fragment', raw);
  return url.toString().replace(/\/+$/, '');
}

/**
 * CAP 1.2 forbids spaces, commas and the XML-reserved `<` and `&` in `sender`. Our message identifiers
 * are URNs that contain the sender (they double as Atom entry ids), so it must also be URN-safe.
 */
function capSender(env: Env): string {
  const raw = env.CAP_SENDER || 'pingji@shishi.gov.cn.example';
  if (!/^[A-Za-z0-9._~@:+-]{1,200}$/.test(raw)) {
    fail('CAP_SENDER', 'an address without spaces or commas, of letters, digits and . _ ~ @ : + - (e.g. alerts@city.gov.example)', raw);
  }
  return raw;
}

function capSenderName(env: Env): string {
  const raw = env.CAP_SENDER_NAME || '石狮市平急指挥中心 (Shishi Pingji Command Center)';
  if (/[\r\n]/.test(raw) || raw.trim().length === 0 || raw.length > 200) fail('CAP_SENDER_NAME', 'one line of 1 to 200 characters', raw);
  return raw.trim();
}

function passwordHashing(env: Env, nodeEnv: AppConfig['nodeEnv']): PasswordHashing {
  const hashing = oneOf(env, 'PASSWORD_HASHING', PASSWORD_HASHINGS, 'standard');
  if (hashing !== 'standard' && nodeEnv !== 'test') fail('PASSWORD_HASHING', 'standard (light is for the test suite, NODE_ENV=test)', hashing);
  return hashing;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', NODE_ENVS, 'development');
  const dbUrl = databaseUrl(env);
  const dataDir = env.DATA_DIR || './data';
  const jwtTtlRaw = env.JWT_TTL || '15m';
  const jwtTtlSeconds = parseDuration(jwtTtlRaw) ?? fail('JWT_TTL', 'a duration like 3600, 90s, 15m, 12h or 7d', jwtTtlRaw);
  const refreshTtlRaw = env.REFRESH_TTL || '12h';
  const refreshTtlSeconds = parseDuration(refreshTtlRaw) ?? fail('REFRESH_TTL', 'a duration like 3600, 90s, 15m, 12h or 7d', refreshTtlRaw);
  const pgliteDir = env.PGLITE_DIR || join(dataDir, 'pglite');
  const loginFailuresBeforeBackoff = integer(env, 'LOGIN_RATE_LIMIT', 5, 1, 10000);
  const demoPassword = env.DEMO_PASSWORD || 'pingji-demo';
  if (demoPassword.length < 8) fail('DEMO_PASSWORD', 'at least 8 characters long', '<hidden>');
  const bodyLimit = env.BODY_LIMIT || '1mb';
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit)) fail('BODY_LIMIT', 'a size like 512kb or 1mb', bodyLimit);
  const importBodyLimit = env.IMPORT_BODY_LIMIT || '20mb';
  if (!/^\d+(b|kb|mb)$/i.test(importBodyLimit)) fail('IMPORT_BODY_LIMIT', 'a size like 20mb', importBodyLimit);
  const tileUrl = env.TILE_URL || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
  if (!tileUrl.includes('{z}')) fail('TILE_URL', 'a tile URL template containing {z}, {x} and {y}', tileUrl);
  const tileLabelsUrl = env.TILE_LABELS_URL || null;
  if (tileLabelsUrl && !tileLabelsUrl.includes('{z}')) fail('TILE_LABELS_URL', 'a tile URL template containing {z}, {x} and {y}', tileLabelsUrl);
  const tileAttribution = env.TILE_ATTRIBUTION ?? (env.TILE_URL ? '' : '© OpenStreetMap contributors');
  const commandCenterPhone = env.COMMAND_CENTER_PHONE?.trim() || null;
  if (commandCenterPhone && !/^\+?[0-9][0-9 ()-]{2,30}$/.test(commandCenterPhone)) fail('COMMAND_CENTER_PHONE', 'a phone number (digits, spaces, - and an optional leading +)', commandCenterPhone);
  const mapLinkUrl = env.MAP_LINK_URL || 'https://uri.amap.com/marker?position={lng},{lat}&coordinate=wgs84&callnative=1';
  if (!/^https:\/\//.test(mapLinkUrl) || !mapLinkUrl.includes('{lat}') || !mapLinkUrl.includes('{lng}')) {
    fail('MAP_LINK_URL', 'an https URL template containing {lat} and {lng}', mapLinkUrl);
  }
  return {
    nodeEnv,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: dbUrl,
    pgliteDir,
    pgliteTemplate: env.PGLITE_TEMPLATE || undefined,
    dataDir,
    dbPoolSize: integer(env, 'DB_POOL_SIZE', 10, 1, 200),
    dbTimeoutMs: integer(env, 'DB_TIMEOUT_MS', 5000, 100, 600000),
    jwtSecret: jwtSecret(env, nodeEnv, dataDir, !dbUrl && pgliteDir.startsWith('memory://')),
    jwtTtlSeconds,
    refreshTtlSeconds,
    // Demo accounts only where nobody could mistake them for real ones: on by default with the
    // embedded database, off in production unless asked for explicitly.
    demoData: boolean(env, 'DEMO_DATA', nodeEnv !== 'production' && !dbUrl),
    demoPassword,
    passwordHashing: passwordHashing(env, nodeEnv),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    tileUrl,
    tileLabelsUrl,
    tileAttribution,
    commandCenterPhone,
    mapLinkUrl,
    corsOrigins: (env.CORS_ORIGINS || '').split(',').map((s) => s.trim()).filter(Boolean),
    bodyLimit,
    importBodyLimit,
    socketMessagesPerSecond: integer(env, 'SOCKET_RATE_LIMIT', 10, 1, 10000),
    redisUrl: redisUrl(env),
    redisPrefix: env.REDIS_PREFIX || 'pingji',
    loginFailuresBeforeBackoff,
    // Much looser than one username's allowance: a whole office may sit behind one address.
    loginAddressFailuresPerMinute: integer(env, 'LOGIN_ADDRESS_LIMIT', Math.max(100, 20 * loginFailuresBeforeBackoff), 1, 1_000_000),
    trustProxy: trustProxy(env),
    dispatchAckTimeoutSeconds: integer(env, 'DISPATCH_ACK_TIMEOUT_SECONDS', 60, 1, 86400),
    sweepIntervalMs: integer(env, 'SWEEP_INTERVAL_MS', 1000, 50, 60000),
    squadReturnAlertMinutes: integer(env, 'SQUAD_RETURN_ALERT_MINUTES', 60, 1, 1440),
    parIntervalSeconds: minutesAsSeconds(env, 'PAR_INTERVAL_MINUTES', 20, 1440),
    rollCallAnswerSeconds: minutesAsSeconds(env, 'ROLL_CALL_ANSWER_MINUTES', 10, 1440),
    outboundReplySecret: env.OUTBOUND_REPLY_SECRET || undefined,
    stockCheckIntervalMs: integer(env, 'STOCK_CHECK_INTERVAL_MS', 60000, 100, 86_400_000),
    stockExpiryWarningDays: integer(env, 'STOCK_EXPIRY_WARNING_DAYS', 30, 0, 3650),
    publicUrl: publicUrl(env),
    capSender: capSender(env),
    capSenderName: capSenderName(env),
  };
}
