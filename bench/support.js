// Shared helpers for the benchmarks in bench/ (fanout, dispatch, switchover, replay): child processes (the compiled app, a bare
// socket.io server), a scratch database on a PostgreSQL server, HTTP, socket.io clients, statistics.
// Everything listens on and connects to loopback only; every wait has a timeout.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { io as ioClient } from 'socket.io-client';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_ENTRY = path.join(ROOT, 'dist', 'main.js');
export const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));
export const DEMO_PASSWORD = 'pingji-demo';
export const JWT_SECRET = 'bench-jwt-secret-0123456789abcdefghijklmn'.slice(0, 40);
export const VERBOSE = process.env.BENCH_VERBOSE === '1';
export { performance, sleep, setTimeout, clearTimeout };

let tag = 'bench';
export function setTag(name) {
  tag = name;
}

export function log(message) {
  console.log(`[${tag} ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

export function intEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`);
  return value;
}

/** Rejects after `ms` with `what` unless `promise` settles first. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A free loopback port: bind port 0, read it, close. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * One HTTP request; resolves with status, parsed JSON body (if any), and when it was sent and ended.
 * `onSend` is called just before the request is sent (to start a clock).
 */
export function request(url, { method = 'GET', headers = {}, body, agent, timeoutMs = 30_000, onSend } = {}) {
  return new Promise((resolve, reject) => {
    // A string body goes as it is (set its content-type in `headers`); anything else as JSON.
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    let sentAt = 0;
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length, ...headers } : headers,
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const at = performance.now();
          const text = Buffer.concat(chunks).toString('utf8');
          let json;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode, body: json, text, sentAt, at, bytes: Buffer.byteLength(text) });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no response after ${timeoutMs} ms`)));
    req.on('error', reject);
    sentAt = performance.now();
    onSend?.();
    req.end(payload);
  });
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

export const round1 = (v) => Math.round(v * 10) / 10;
export const round2 = (v) => Math.round(v * 100) / 100;

/**
 * A row's `outOfReach`: why an absolute goal cannot be met on this machine, when a bound measured in the
 * same run (a bare baseline, PGlite alone, the raw writes) already misses it. BENCHMARKS.md prints it
 * beside the "no" (issue #15: such a row "says why with a measured bound"). undefined when the bound is
 * within the goal: then a miss is the app's own.
 */
export const outOfReach = (bound, limit, why) => (typeof bound === 'number' && bound > limit ? why : undefined);

/** Median (the mean of the middle two for an even count), worst, best, mean. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return {
    n,
    median: round1(median),
    worst: round1(sorted[n - 1]),
    best: round1(sorted[0]),
    mean: round1(sorted.reduce((s, v) => s + v, 0) / (n || 1)),
    p90: round1(percentile(sorted, 90)),
  };
}

/** Latency percentiles (nearest rank) and mean, min, max, each rounded to 0.01. */
export function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round2(percentile(sorted, 50)),
    p90: round2(percentile(sorted, 90)),
    p99: round2(percentile(sorted, 99)),
    mean: round2(sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1)),
    min: round2(sorted[0]),
    max: round2(sorted[sorted.length - 1]),
  };
}

/** Milliseconds on a clock every process on this machine shares (for times measured in another one). */
export const wallNow = () => performance.timeOrigin + performance.now();

/** Runs `fn` over `items`, at most `limit` at a time; resolves with the results in order. */
export async function mapLimit(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Space-separated extra node options from an environment variable (e.g. BENCH_APP_NODE_ARGS). */
export function nodeArgsEnv(name) {
  return (process.env[name] || '').split(/\s+/).filter(Boolean);
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemMb: Math.round(os.totalmem() / 2 ** 20),
    loadAvg: os.loadavg().map(round2),
    date: new Date().toISOString(),
  };
}

export function writeResults(file, result) {
  // The load at the end too: a shared machine that got busy during the run shows here.
  result.machine = { ...result.machine, loadAvgEnd: os.loadavg().map(round2), distBuiltAt: existsSync(SERVER_ENTRY) ? statSync(SERVER_ENTRY).mtime.toISOString() : undefined };
  writeJson(file, result);
}

/** Writes `result` as it is (no machine fields added) to `file`. */
export function writeJson(file, result) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  log(`results written to ${path.relative(process.cwd(), file) || file}`);
}

// ---------------------------------------------------------------------------------------------------
// dist/ must exist; warn when src/ is newer (the numbers would be for old code).

function newestTs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Throws when dist/main.js is missing; warns and returns true when src/ is newer than it. */
export function checkDist() {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(ROOT, SERVER_ENTRY)} is missing: run npm run build first`);
  try {
    if (newestTs(path.join(ROOT, 'src')) > statSync(SERVER_ENTRY).mtimeMs) {
      log('warning: src/ has changes newer than dist/main.js — run npm run build for current numbers');
      return true;
    }
  } catch {
    // no src/ to compare with
  }
  return false;
}

/**
 * What was measured: the commit, (with `srcDirty`) whether src/ had uncommitted changes, and whether
 * src/ had changed after dist/ was built. Throws when dist/main.js is missing.
 */
export function buildInfo({ srcDirty = false } = {}) {
  const build = srcDirty ? { commit: 'unknown', srcDirty: false, distStale: false } : { commit: 'unknown', distStale: false };
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(ROOT, SERVER_ENTRY)} is missing: run npm run build first`);
  try {
    build.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).trim();
    // Uncommitted changes under src/ when the benchmark ran (dist/ may or may not hold them: see distStale).
    if (srcDirty) build.srcDirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).trim() !== '';
  } catch {
    // not a git checkout: fine
  }
  build.distStale = checkDist();
  return build;
}

// ---------------------------------------------------------------------------------------------------
// Child processes: each in its own process group; killed at the end, on errors, on signals and on exit.

const children = new Set();
const tempDirs = [];
const cleanups = [];

export function tempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Registers an async cleanup (e.g. dropping the scratch database), run once by `cleanup()`. */
export function onCleanup(fn) {
  cleanups.push(fn);
}

/**
 * `args` go after `entry`; `ipc` opens an IPC channel (handle.child.send / 'message'); `nice` (1…19)
 * starts it through nice(1), so every thread of the process has that CPU priority from the start;
 * `cpus` (a taskset(1) list, e.g. '0') keeps it on those CPUs (see pinThisProcess).
 */
export function startChild(name, entry, env, nodeArgs = [], { args = [], ipc = false, nice = 0, cpus } = {}) {
  let argv = [process.execPath, ...nodeArgs, entry, ...args];
  if (nice) argv = ['nice', '-n', String(nice), ...argv];
  if (cpus) argv = ['taskset', '-c', cpus, ...argv];
  const child = spawn(argv[0], argv.slice(1), {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  if (nice) niceSession(name, child.pid, nice);
  let tail = '';
  const keep = (stream) => {
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      tail = (tail + text).slice(-8000);
      if (VERBOSE) process.stderr.write(text.replace(/^(?=.)/gm, `[${name}] `));
    });
  };
  keep(child.stdout);
  keep(child.stderr);
  const handle = {
    name,
    child,
    tail: () => tail,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  void handle.exited.then(() => children.delete(handle));
  children.add(handle);
  return handle;
}

/**
 * A detached child leads a session of its own, and Linux schedules each session as one group
 * (autogroup, on by default) at the group's own priority: nice(1) only ranks the child against the
 * other threads of its session, and a niced socket farm took as much CPU as the app. So the session's
 * priority is set too. The spawn has returned, so the child is in its session already.
 */
function niceSession(name, pid, nice) {
  const file = `/proc/${pid}/autogroup`;
  if (!existsSync(file)) return; // a kernel without autogroups: nice(1) did it all
  try {
    writeFileSync(file, String(nice));
  } catch (err) {
    throw new Error(`${name}: could not lower its session's CPU priority (${file}): ${err.message}`, { cause: err });
  }
}

/** Whether this machine can keep the measuring client and the server on CPUs of their own. */
export function canPin() {
  return os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
}

/**
 * Keeps every thread of this process on `cpus` (a taskset(1) list). Children started afterwards
 * inherit it unless they are given `cpus` of their own.
 */
export function pinThisProcess(cpus) {
  const res = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`taskset ${cpus} for this process failed: ${res.stderr || res.error?.message}`);
}

export function alive(handle) {
  return handle.child.exitCode === null && handle.child.signalCode === null;
}

function signalGroup(handle, signal) {
  if (!alive(handle)) return;
  try {
    process.kill(-handle.child.pid, signal); // the child's own process group
  } catch {
    try {
      handle.child.kill(signal);
    } catch {
      // already gone
    }
  }
}

export async function stopChild(handle) {
  signalGroup(handle, 'SIGTERM');
  const done = await Promise.race([handle.exited.then(() => true), sleep(5000).then(() => false)]);
  if (!done) {
    signalGroup(handle, 'SIGKILL');
    await Promise.race([handle.exited, sleep(2000)]);
  }
}

export function killAllNow() {
  for (const handle of children) signalGroup(handle, 'SIGKILL');
}

/** Stops every child, runs the registered cleanups (each bounded), removes the temporary folders. */
export async function cleanup() {
  await Promise.all([...children].map((handle) => stopChild(handle)));
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await withTimeout(Promise.resolve().then(fn), 30_000, 'cleanup');
    } catch (e) {
      console.error(`[${tag}] cleanup failed: ${e.message}`);
    }
  }
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

process.on('exit', () => killAllNow());

/**
 * Runs `main` with a whole-run watchdog and signal handling; exits 0 on success, 1 on failure, 130 on
 * a signal — always after stopping the children and running the cleanups.
 */
export function run(name, main, runTimeoutMs) {
  setTag(name);
  let exiting = false;
  const finish = async (code) => {
    if (exiting) return;
    exiting = true;
    try {
      await cleanup();
    } finally {
      process.exit(code);
    }
  };
  const watchdog = setTimeout(() => {
    console.error(`[${name}] the whole run took longer than ${runTimeoutMs} ms: giving up`);
    killAllNow();
    void finish(1);
  }, runTimeoutMs);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`[${name}] ${signal}: stopping`);
      killAllNow();
      void finish(130);
    });
  }
  main().then(
    (code) => finish(code ?? 0),
    (e) => {
      console.error(`[${name}] failed: ${e?.stack ?? e}`);
      killAllNow();
      return finish(1);
    },
  );
}

/** Polls GET url until 200, the child dies, or the time is up. */
export async function waitHealthy(handle, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive(handle)) {
      throw new Error(`${handle.name} exited (${JSON.stringify(await handle.exited)}) before ${url} answered. Its output:\n${handle.tail()}`);
    }
    try {
      const res = await request(url, { agent: false, timeoutMs: 5000 });
      if (res.status === 200) return res.body;
      last = `status ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(200);
  }
  throw new Error(`${handle.name}: ${url} not healthy after ${timeoutMs} ms (last: ${last}). Its output:\n${handle.tail()}`);
}

/** What no child inherits from the caller's shell: nothing there may point the app somewhere else. */
export const CHILD_ENV_STRIP = ['DATABASE_URL', 'PGLITE_DIR', 'PGLITE_TEMPLATE', 'HOST', 'PORT', 'NODE_OPTIONS', 'CORS_ORIGINS'];
const CHILD_ENV_STRIP_DB = [...CHILD_ENV_STRIP, 'DB_POOL_SIZE', 'DB_TIMEOUT_MS'];

export function childEnv(overrides, strip = CHILD_ENV_STRIP_DB) {
  const env = { ...process.env };
  for (const name of strip) delete env[name];
  return { ...env, ...overrides };
}

// ---------------------------------------------------------------------------------------------------
// The server database: a fresh, uniquely named database, dropped at the end (also on failure).

export const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export function redactUrl(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** Creates pingji_bench_<pid>_<random> on the server at ADMIN_URL; returns its URL. Dropped by cleanup(). */
export async function createScratchDatabase() {
  const name = `pingji_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  onCleanup(async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 10_000 });
    await c.connect();
    try {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      log(`dropped database ${name}`);
    } finally {
      await c.end();
    }
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  log(`created database ${name} on ${redactUrl(ADMIN_URL)}`);
  return { name, url: url.toString() };
}

export async function pgClient(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await c.connect();
  onCleanup(() => c.end());
  return c;
}

// ---------------------------------------------------------------------------------------------------
// The app (dist/main.js) in a child process.

/**
 * Starts the compiled app on a free port, with the demo data, on `databaseUrl` or (without it) the
 * embedded database in memory, on `cpus` if given (see startChild); resolves when /health answers 200.
 */
export async function startApp({ databaseUrl, name = 'app', nodeArgs = [], extraEnv = {}, bootTimeoutMs = 180_000, envStrip, cpus } = {}) {
  const port = await freePort();
  const env = childEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: tempDir('pingji-bench-'),
    JWT_SECRET,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    // The config accepts at most 10000 (src/config/config.ts); the bench logs in a handful of times.
    LOGIN_RATE_LIMIT: '10000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_DIR: 'memory://' }),
    ...extraEnv,
  }, envStrip);
  const started = performance.now();
  const server = startChild(name, SERVER_ENTRY, env, nodeArgs, { cpus });
  const url = `http://127.0.0.1:${port}`;
  await waitHealthy(server, `${url}/health`, bootTimeoutMs);
  log(`${name} healthy on ${url} after ${((performance.now() - started) / 1000).toFixed(1)} s (${databaseUrl ? 'PostgreSQL server' : 'embedded PostgreSQL in memory'})`);
  return { server, url, port };
}

/** Logs in as a demo user; resolves with the whole answer ({accessToken, user, …}). */
export async function loginBody(url, username, agent) {
  const res = await request(`${url}/api/auth/login`, { method: 'POST', agent, body: { username, password: DEMO_PASSWORD } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`login as ${username} failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function login(url, username, agent) {
  return (await loginBody(url, username, agent)).accessToken;
}

/**
 * A socket.io client, websocket transport only, no reconnection (a reconnect would hide a problem). It
 * asks for events in batches, as the dashboard and the phones do (a bare server ignores that).
 */
export function connectSocket(url, auth, timeoutMs = 30_000) {
  return ioClient(url, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false, timeout: timeoutMs, auth: { ...auth, batches: true } });
}

/** Calls `handler` with every event the socket gets, one at a time, whether it came alone (`event`) or in a batch (`events`). */
export function onEachEvent(socket, handler) {
  socket.on('event', handler);
  socket.on('events', (events) => events.forEach((event) => handler(event)));
}

/** Resolves with the payload of the socket's first `eventName`; rejects on connect_error or disconnect. */
export function once(socket, eventName, timeoutMs, what) {
  return withTimeout(
    new Promise((resolve, reject) => {
      socket.once(eventName, resolve);
      socket.once('connect_error', (e) => reject(new Error(`${what}: connect_error ${e.message}`)));
      socket.once('disconnect', (reason) => reject(new Error(`${what}: disconnected (${reason})`)));
    }),
    timeoutMs,
    what,
  );
}

/**
 * Connects `count` sockets to `url`, `batch` at a time, each ready once it has 'replay.done'.
 * `auth(i)` is the handshake auth of socket i; `onEvent(i, event)` sees every `event` it receives.
 * On failure the sockets connected so far are closed.
 */
export async function connectMany(url, count, { batch: batchSize, timeoutMs, auth, onEvent, onDisconnect, what }) {
  const sockets = [];
  for (let from = 0; from < count; from += batchSize) {
    const batch = [];
    for (let i = from; i < Math.min(count, from + batchSize); i++) {
      const socket = connectSocket(url, auth(i), timeoutMs);
      sockets.push(socket);
      onEachEvent(socket, (event) => onEvent(i, event));
      socket.on('disconnect', () => onDisconnect?.(i));
      batch.push(
        new Promise((resolve, reject) => {
          socket.once('replay.done', resolve);
          socket.once('connect_error', (e) => reject(new Error(`${what} socket ${i}: connect_error ${e.message}`)));
        }),
      );
    }
    try {
      await withTimeout(Promise.all(batch), timeoutMs, `${what}: sockets ${from}…${from + batch.length - 1} ready`);
    } catch (e) {
      for (const socket of sockets) socket.close();
      throw e;
    }
  }
  return sockets;
}
