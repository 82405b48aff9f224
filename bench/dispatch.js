// Dispatch benchmark: with 1,000 dashboard sockets and the 128 squad leaders' sockets connected, how long
// from POSTing a dispatch until the squad leader's socket has it, against a bare socket.io emit to one
// client plus one bare INSERT. Goal: p99 ≤ 15 ms and ≤ 3× the baseline's p99.
//
//   npm run build && node bench/dispatch.js          (npm run bench:dispatch)
//
// The real server is the compiled app (dist/main.js) in a child process on the embedded PostgreSQL in
// memory (or BENCH_DATABASE_URL: a scratch database — it gets the demo data, one bench incident and
// its cancelled dispatches), with demo data (128 squads SQ-001…SQ-128, leaders leader-001…leader-128).
// Each measured dispatch is POST /api/incidents/:id/dispatches {squadIds: [one squad]} as commander;
// the clock runs from just before the request is sent until that squad leader's socket has the
// `event` dispatch.created with the dispatch id the response names. The dispatch is then cancelled
// (POST /api/dispatches/:id/cancel, not timed), which frees the squad; the next round waits until the
// leader has dispatch.cancelled and every dashboard has had the cancel's events too, so no round
// starts with the previous one's fan-out still under way. Rounds rotate over the squads, sequentially.
// Every dispatch also goes to the 1,000 dashboards (viewer token, staff room): dispatch.created and
// squad.status_changed, and again two events on cancel — that is part of the load being measured.
//
// The baseline is bench/bare-dispatch-server.js in another child process: POST /dispatch does one
// INSERT … RETURNING into PostgreSQL (a scratch database on the server at BENCH_DATABASE_URL,
// TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres, created here and dropped at the
// end; when no server answers, PGlite in memory inside the bare server), then io.to(socketId).emit to
// the one leader socket, then answers 201. It has the same 1,000 + 128 sockets connected.
//
// Sockets: socket.io-client, websocket transport only, each ready once it has 'replay.done'. The leader
// sockets live in this process, which measures. The dashboards live in a child process of their own
// per server (this file run with --dashboards), as they would be on other machines: otherwise this
// process would decode 1,000 dashboard frames in front of the leader's frame on every dispatch and
// measure itself. BENCH_DASHBOARDS_IN_PROCESS=1 keeps them here instead (for comparison).
// Real and baseline rounds are interleaved (ABBA), so drift on a shared machine hits both.
//
// Knobs (environment): BENCH_DISPATCHES (600), BENCH_WARMUP (30), BENCH_DASHBOARDS (1000),
// BENCH_LEADERS (128), BENCH_GAP_MS (50, pause after each round), BENCH_BATCH (100 sockets connected at
// a time), BENCH_DATABASE_URL, BENCH_BARE_DB (auto | server | pglite), BENCH_STRICT=1 (exit 1 when the
// goal is missed), BENCH_VERBOSE=1 (pass the servers' output through), BENCH_RESULTS (output file),
// BENCH_APP_NODE_ARGS / BENCH_BARE_NODE_ARGS (extra node options for the app / the baseline server,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"), BENCH_DASHBOARDS_IN_PROCESS=1, BENCH_TIMEOUT_MS.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { io as connectSocket } from 'socket.io-client';

const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_ENTRY = path.join(ROOT, 'dist', 'main.js');
const BARE_ENTRY = fileURLToPath(new URL('./bare-dispatch-server.js', import.meta.url));
const RESULTS_FILE = process.env.BENCH_RESULTS || fileURLToPath(new URL('./results/dispatch.json', import.meta.url));

function intEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`);
  return value;
}

const DISPATCHES = intEnv('BENCH_DISPATCHES', 600, 1);
const WARMUP = intEnv('BENCH_WARMUP', 30, 0);
const DASHBOARDS = intEnv('BENCH_DASHBOARDS', 1000, 0);
const LEADERS = intEnv('BENCH_LEADERS', 128, 1);
const GAP_MS = intEnv('BENCH_GAP_MS', 50, 0);
const BATCH = intEnv('BENCH_BATCH', 100, 1);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
const ADMIN_URL = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const BARE_DB = process.env.BENCH_BARE_DB || 'auto';
const STRICT = process.env.BENCH_STRICT === '1';
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const DASHBOARDS_IN_PROCESS = process.env.BENCH_DASHBOARDS_IN_PROCESS === '1';
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const BARE_NODE_ARGS = (process.env.BENCH_BARE_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const GOAL_P99_MS = 15;
const GOAL_RATIO = 3;

const BOOT_TIMEOUT_MS = 120_000;
const BATCH_TIMEOUT_MS = 60_000;
const EVENT_TIMEOUT_MS = 15_000;
const HTTP_TIMEOUT_MS = 15_000;
const IPC_TIMEOUT_MS = 30_000;
const RUN_TIMEOUT_MS = intEnv('BENCH_TIMEOUT_MS', 30 * 60_000, 1000);

const DEMO_PASSWORD = 'pingji-demo';
const COMMANDER = 'commander';
const DASHBOARD_USER = 'viewer';
const leaderName = (i) => `leader-${String(i + 1).padStart(3, '0')}`;

// ---------------------------------------------------------------------------------------------------
// Small helpers

function log(message) {
  console.log(`[dispatch ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

/** Rejects after `ms` with `what` unless `promise` settles first. */
function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A free loopback port: bind port 0, read it, close. */
function freePort() {
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

/** One HTTP request; resolves with status, parsed JSON body (if any) and the time the response ended. */
function request(url, { method = 'GET', headers = {}, body, agent, onSend } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      {
        method,
        agent,
        headers: payload ? { 'content-type': 'application/json', 'content-length': payload.length, ...headers } : headers,
        timeout: HTTP_TIMEOUT_MS,
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
          resolve({ status: res.statusCode, body: json, text, at });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no response after ${HTTP_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    onSend?.();
    req.end(payload);
  });
}

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

const round2 = (v) => Math.round(v * 100) / 100;

function summarize(values) {
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

/** Newest modification time of the .ts files under `dir` (0 when there are none). */
function newestTs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTs(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Milliseconds on a clock every process on this machine shares (for times measured in another one). */
const wallNow = () => performance.timeOrigin + performance.now();

/** Runs `fn` over `items`, at most `limit` at a time; resolves with the results in order. */
async function mapLimit(items, limit, fn) {
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

/**
 * Connects `count` sockets to `url`, `BATCH` at a time, each ready once it has 'replay.done'.
 * `auth(i)` is the handshake auth of socket i; `onEvent(i, event)` sees every `event` it receives.
 */
async function connectMany(url, count, { auth, onEvent, onDisconnect, what }) {
  const sockets = [];
  for (let from = 0; from < count; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      const socket = connectSocket(url, {
        path: '/socket.io',
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: BATCH_TIMEOUT_MS,
        auth: auth(i),
      });
      sockets.push(socket);
      socket.on('event', (event) => onEvent(i, event));
      socket.on('disconnect', () => onDisconnect?.(i));
      batch.push(
        new Promise((resolve, reject) => {
          socket.once('replay.done', resolve);
          socket.once('connect_error', (e) => reject(new Error(`${what} socket ${i}: connect_error ${e.message}`)));
        }),
      );
    }
    try {
      await withTimeout(Promise.all(batch), BATCH_TIMEOUT_MS, `${what}: sockets ${from}…${from + batch.length - 1} ready`);
    } catch (e) {
      for (const socket of sockets) socket.close();
      throw e;
    }
  }
  return sockets;
}

// ---------------------------------------------------------------------------------------------------
// The dashboards: DASHBOARDS sockets that only listen. They record, per dispatch id, how many of them
// had dispatch.created and when the first and the last had it (on the shared clock).

function dashboardGroup() {
  const group = {
    sockets: [],
    disconnects: 0,
    events: 0,
    createdPerSocket: new Int32Array(0),
    byDispatch: new Map(),
    async connect(url, count, token) {
      const started = performance.now();
      this.createdPerSocket = new Int32Array(count);
      this.sockets = await connectMany(url, count, {
        auth: () => (token ? { token } : {}),
        onEvent: (i, event) => this.onEvent(i, event),
        onDisconnect: () => this.disconnects++,
        what: 'dashboard',
      });
      return Math.round(performance.now() - started);
    },
    settled: undefined,
    /** Resolves once the group has had `n` events in all (at once if it has). */
    waitEvents(n) {
      if (this.events >= n) return Promise.resolve();
      return new Promise((resolve) => (this.settled = { n, resolve }));
    },
    onEvent(i, event) {
      this.events++;
      if (this.settled && this.events >= this.settled.n) {
        this.settled.resolve();
        this.settled = undefined;
      }
      if (event?.type !== 'dispatch.created' || !event.dispatchId) return;
      const now = wallNow();
      this.createdPerSocket[i]++;
      const d = this.byDispatch.get(event.dispatchId);
      if (d) {
        d.count++;
        d.last = now;
      } else this.byDispatch.set(event.dispatchId, { count: 1, first: now, last: now });
    },
    report() {
      let min = Infinity;
      let max = -Infinity;
      for (const n of this.createdPerSocket) {
        min = Math.min(min, n);
        max = Math.max(max, n);
      }
      return {
        sockets: this.sockets.length,
        disconnects: this.disconnects,
        events: this.events,
        createdPerSocket: { min: this.sockets.length ? min : 0, max: this.sockets.length ? max : 0 },
        byDispatch: [...this.byDispatch].map(([id, d]) => [id, d.count, d.first, d.last]),
      };
    },
    close() {
      for (const socket of this.sockets) socket.close();
    },
  };
  return group;
}

/** `node bench/dispatch.js --dashboards`: a dashboard group driven over IPC by the benchmark. */
function runDashboardChild() {
  const group = dashboardGroup();
  process.on('disconnect', () => process.exit(0)); // the benchmark is gone
  process.on('message', (msg) => {
    if (msg?.cmd === 'connect') {
      group.connect(msg.url, msg.count, msg.token).then(
        (connectMs) => process.send({ type: 'ready', connectMs }),
        (e) => process.send({ type: 'error', message: e.message }),
      );
    } else if (msg?.cmd === 'settle') {
      void group.waitEvents(msg.events).then(() => process.send({ type: 'settled' }));
    } else if (msg?.cmd === 'report') {
      process.send({ type: 'report', report: group.report() });
    } else if (msg?.cmd === 'close') {
      group.close();
      process.exit(0);
    }
  });
}

/** Dashboards for `target`: in a child process (default) or in this one. */
async function startDashboards(target, token) {
  if (DASHBOARDS === 0 || DASHBOARDS_IN_PROCESS) {
    const group = dashboardGroup();
    const connectMs = DASHBOARDS ? await group.connect(target.url, DASHBOARDS, token) : 0;
    return {
      connectMs,
      settle: (events) => withTimeout(group.waitEvents(events), EVENT_TIMEOUT_MS, `${target.name} dashboards: ${events} events (have ${group.events})`),
      report: async () => group.report(),
      close: async () => group.close(),
    };
  }
  const handle = startChild(`${target.name}-dashboards`, THIS_FILE, childEnv({}), ['--max-old-space-size=1024'], ['--dashboards']);
  const reply = (type) =>
    withTimeout(
      new Promise((resolve, reject) => {
        const onMessage = (msg) => {
          if (msg?.type === 'error') reject(new Error(`${handle.name}: ${msg.message}`));
          else if (msg?.type !== type) return;
          else resolve(msg);
          handle.child.off('message', onMessage);
        };
        handle.child.on('message', onMessage);
        handle.exited.then((how) => reject(new Error(`${handle.name} exited (${JSON.stringify(how)}). Its output:\n${handle.tail()}`)));
      }),
      type === 'ready' ? BATCH_TIMEOUT_MS * Math.ceil(DASHBOARDS / BATCH) : type === 'settled' ? EVENT_TIMEOUT_MS : IPC_TIMEOUT_MS,
      `${handle.name}: ${type}`,
    );
  const ready = reply('ready');
  handle.child.send({ cmd: 'connect', url: target.url, count: DASHBOARDS, token });
  const { connectMs } = await ready;
  return {
    connectMs,
    settle: async (events) => {
      const answer = reply('settled');
      handle.child.send({ cmd: 'settle', events });
      await answer;
    },
    report: async () => {
      const answer = reply('report');
      handle.child.send({ cmd: 'report' });
      return (await answer).report;
    },
    close: async () => {
      if (alive(handle)) handle.child.send({ cmd: 'close' });
      await Promise.race([handle.exited, sleep(3000)]);
      await stopChild(handle);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Child processes: each in its own process group, killed at the end, on errors and on signals.

const children = new Set();
/** Temporary folders (the app's DATA_DIR), removed at the end and on signals. */
const tempDirs = [];

function removeTempDirs() {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function startChild(name, entry, env, nodeArgs = [], args = []) {
  const child = spawn(process.execPath, [...nodeArgs, entry, ...args], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let tail = '';
  const keep = (stream, prefix) => {
    stream.setEncoding('utf8');
    stream.on('data', (text) => {
      tail = (tail + text).slice(-8000);
      if (VERBOSE) process.stderr.write(text.replace(/^(?=.)/gm, `[${prefix}] `));
    });
  };
  keep(child.stdout, name);
  keep(child.stderr, name);
  const handle = {
    name,
    child,
    tail: () => tail,
    exited: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal }))),
  };
  handle.exited.then(() => children.delete(handle));
  children.add(handle);
  return handle;
}

function alive(handle) {
  return handle.child.exitCode === null && handle.child.signalCode === null;
}

function signalGroup(handle, signal) {
  if (!alive(handle)) return;
  try {
    process.kill(-handle.child.pid, signal); // the whole group: the child and anything it started
  } catch {
    try {
      handle.child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function stopChild(handle) {
  signalGroup(handle, 'SIGTERM');
  const done = await Promise.race([handle.exited.then(() => true), sleep(5000).then(() => false)]);
  if (!done) {
    signalGroup(handle, 'SIGKILL');
    await Promise.race([handle.exited, sleep(2000)]);
  }
}

process.on('exit', () => {
  for (const handle of children) signalGroup(handle, 'SIGKILL');
});

/** Polls GET url until 200, the child dies, or the time is up. */
async function waitHealthy(handle, url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!alive(handle)) {
      throw new Error(`${handle.name} exited (${JSON.stringify(await handle.exited)}) before ${url} answered. Its output:\n${handle.tail()}`);
    }
    try {
      const res = await request(url, { agent: false });
      if (res.status === 200) return res.body;
      last = `status ${res.status}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(250);
  }
  throw new Error(`${handle.name}: ${url} not healthy after ${timeoutMs} ms (last: ${last}). Its output:\n${handle.tail()}`);
}

function childEnv(overrides) {
  const env = { ...process.env };
  // Nothing from the caller's shell may point the app somewhere else.
  for (const name of ['DATABASE_URL', 'PGLITE_DIR', 'PGLITE_TEMPLATE', 'HOST', 'PORT', 'NODE_OPTIONS', 'CORS_ORIGINS', 'BARE_DATABASE_URL']) delete env[name];
  return { ...env, ...overrides };
}

// ---------------------------------------------------------------------------------------------------
// The baseline's database: a scratch database on a PostgreSQL server, or PGlite inside the bare server.

const scratch = { adminUrl: undefined, name: undefined };

function redact(url) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/** { url, kind, label }: url unset means PGlite inside the bare server. */
async function prepareBareDatabase() {
  if (BARE_DB === 'pglite') return { kind: 'pglite', label: 'PGlite in memory, in the bare server process (BENCH_BARE_DB=pglite)' };
  if (BARE_DB !== 'auto' && BARE_DB !== 'server') throw new Error(`BENCH_BARE_DB must be auto, server or pglite (got ${JSON.stringify(BARE_DB)})`);
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (e) {
    await admin.end().catch(() => {});
    if (BARE_DB === 'server') throw new Error(`BENCH_BARE_DB=server but ${redact(ADMIN_URL)} does not answer: ${e.message}`, { cause: e });
    log(`no PostgreSQL server at ${redact(ADMIN_URL)} (${e.message}): the baseline INSERTs into PGlite`);
    return { kind: 'pglite', label: `PGlite in memory, in the bare server process (no server at ${redact(ADMIN_URL)})` };
  }
  try {
    const name = `pingji_bench_dispatch_${randomBytes(5).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    scratch.adminUrl = ADMIN_URL;
    scratch.name = name;
    const { rows } = await admin.query('SHOW server_version');
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return { kind: 'server', url: url.toString(), label: `PostgreSQL ${rows[0].server_version} server, scratch database ${name} on ${redact(ADMIN_URL)}` };
  } finally {
    await admin.end().catch(() => {});
  }
}

async function dropScratchDatabase() {
  if (!scratch.name) return;
  const { adminUrl, name } = scratch;
  scratch.name = undefined;
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  admin.on('error', () => {});
  try {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } catch (e) {
    console.error(`[dispatch] could not drop the scratch database ${name}: ${e.message}`);
  } finally {
    await admin.end().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------------
// Targets: a server, its sockets, and how to dispatch on it.

/** What was measured: the commit, and whether src/ had changed after dist/ was built. */
const build = { commit: 'unknown', srcDirty: false, distStale: false };

async function login(url, agent, username) {
  const res = await request(`${url}/api/auth/login`, { method: 'POST', agent, body: { username, password: DEMO_PASSWORD } });
  if (res.status !== 200 && res.status !== 201) throw new Error(`login as ${username} failed: ${res.status} ${res.text}`);
  return res.body;
}

async function startReal() {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(ROOT, SERVER_ENTRY)} is missing: run npm run build first`);
  try {
    build.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).trim();
    // Uncommitted changes under src/ when the benchmark ran (dist/ may or may not hold them: see distStale).
    build.srcDirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).trim() !== '';
  } catch {
    // not a git checkout: fine
  }
  try {
    build.distStale = newestTs(path.join(ROOT, 'src')) > statSync(SERVER_ENTRY).mtimeMs;
    if (build.distStale) log('warning: src/ has changes newer than dist/main.js — run npm run build for current numbers');
  } catch {
    // no src/ to compare with: fine
  }
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pingji-bench-'));
  tempDirs.push(dataDir);
  const env = childEnv({
    PORT: String(port),
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    JWT_SECRET: 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, 40),
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT: '10000', // the largest value the config accepts
    DISPATCH_ACK_TIMEOUT_SECONDS: '3600', // nothing expires during the run
    SWEEP_INTERVAL_MS: '1000',
    ...(DATABASE_URL ? { DATABASE_URL } : { PGLITE_DIR: 'memory://' }),
  });
  const server = startChild('app', SERVER_ENTRY, env, APP_NODE_ARGS);
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  await waitHealthy(server, `${url}/health`, BOOT_TIMEOUT_MS);
  log(`app healthy on ${url} after ${((performance.now() - started) / 1000).toFixed(1)} s (${DATABASE_URL ? 'PostgreSQL server' : 'embedded PostgreSQL in memory'})`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const commander = await login(url, agent, COMMANDER);
  const headers = { authorization: `Bearer ${commander.accessToken}` };
  const viewer = await login(url, agent, DASHBOARD_USER);

  // A run that died half-way on a server database may have left pending dispatches: cancel them.
  const pending = await request(`${url}/api/dispatches?status=pending&limit=1000`, { agent, headers });
  if (pending.status !== 200) throw new Error(`GET /api/dispatches answered ${pending.status} ${pending.text}`);
  for (const d of pending.body ?? []) {
    const res = await request(`${url}/api/dispatches/${d.id}/cancel`, { method: 'POST', agent, headers, body: { reason: 'bench: left over' } });
    if (res.status !== 200) throw new Error(`cancelling left-over dispatch ${d.id} answered ${res.status} ${res.text}`);
  }
  if (pending.body?.length) log(`cancelled ${pending.body.length} left-over pending dispatches`);

  const incident = await request(`${url}/api/incidents`, {
    method: 'POST',
    agent,
    headers,
    body: { kind: 'rescue', severity: 'severe', title: `bench dispatch ${new Date().toISOString()}`, lat: 24.78, lng: 118.76 },
  });
  if (incident.status !== 201) throw new Error(`POST /api/incidents answered ${incident.status} ${incident.text}`);

  // The leaders' tokens (argon2 logins: a few at a time) and their squads.
  const started2 = performance.now();
  const leaderAgent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const leaders = await mapLimit(Array.from({ length: LEADERS }, (_, i) => leaderName(i)), 4, async (username) => {
    const body = await login(url, leaderAgent, username);
    if (!body.user?.squadId) throw new Error(`${username} has no squad (login answered ${JSON.stringify(body.user)})`);
    return { username, squadId: body.user.squadId, token: body.accessToken };
  });
  leaderAgent.destroy();
  log(`${LEADERS} leaders logged in in ${((performance.now() - started2) / 1000).toFixed(1)} s`);

  const squads = await request(`${url}/api/squads`, { agent, headers });
  if (squads.status !== 200 || !Array.isArray(squads.body)) throw new Error(`GET /api/squads answered ${squads.status} ${squads.text.slice(0, 300)}`);
  const available = new Set(squads.body.filter((s) => s.status === 'available').map((s) => s.id));
  const usable = leaders.filter((l) => available.has(l.squadId));
  if (usable.length === 0) throw new Error('no leader has an available squad');
  if (usable.length < leaders.length) log(`${leaders.length - usable.length} leaders' squads are not available: rotating over the other ${usable.length}`);

  return {
    name: 'real',
    label: 'Pingji (transaction, event log, relay, gateway)',
    server,
    url,
    agent,
    headers,
    viewerToken: viewer.accessToken,
    incidentId: incident.body.id,
    leaders,
    rotation: usable,
    dispatchPath: `/api/incidents/${incident.body.id}/dispatches`,
    dispatchBody: (leader) => ({ squadIds: [leader.squadId] }),
  };
}

async function startBare(bareDb) {
  const port = await freePort();
  const server = startChild('bare', BARE_ENTRY, childEnv({ PORT: String(port), ...(bareDb.url ? { BARE_DATABASE_URL: bareDb.url } : {}) }), BARE_NODE_ARGS);
  const url = `http://127.0.0.1:${port}`;
  const health = await waitHealthy(server, `${url}/health`, 60_000);
  log(`bare socket.io ${health?.socketIo} + ${health?.database} INSERT server healthy on ${url}`);
  return {
    name: 'bare',
    label: `bare: INSERT (${health?.database}) + emit to one socket`,
    socketIo: health?.socketIo,
    databaseVersion: health?.databaseVersion,
    server,
    url,
    agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    headers: {},
    viewerToken: undefined,
    dispatchPath: '/dispatch',
    dispatchBody: (leader) => ({ socketId: leader.socket.id, squadId: leader.squadId, incidentId: leader.incidentId }),
  };
}

/** The leader sockets of `target`, in this process; each remembers the last event id it had. */
async function connectLeaders(target, leaders) {
  const started = performance.now();
  target.disconnects = 0;
  target.outOfOrder = 0;
  target.leaders = leaders.map((l) => ({ ...l, socket: undefined, waiting: undefined, lastId: 0 }));
  const sockets = await connectMany(target.url, target.leaders.length, {
    auth: (i) => (target.name === 'real' ? { token: target.leaders[i].token } : {}),
    onEvent: (i, event) => onLeaderEvent(target, target.leaders[i], event),
    onDisconnect: () => target.disconnects++,
    what: `${target.name} leader`,
  });
  sockets.forEach((socket, i) => (target.leaders[i].socket = socket));
  target.rotation = target.leaders.filter((l) => !target.rotation || target.rotation.some((u) => u.squadId === l.squadId));
  return Math.round(performance.now() - started);
}

function onLeaderEvent(target, leader, event) {
  const now = performance.now();
  const id = Number(event?.id);
  if (!(id > leader.lastId)) target.outOfOrder++;
  else leader.lastId = id;
  const w = leader.waiting;
  if (!w || event?.type !== w.type || event.squadId !== leader.squadId) return;
  if (w.dispatchId && event.dispatchId !== w.dispatchId) return;
  leader.waiting = undefined;
  w.resolve({ at: now, event });
}

/** A promise for the next `type` event (of dispatch `dispatchId`, if given) at `leader`'s socket. */
function waitFor(leader, type, dispatchId) {
  let resolve;
  const promise = new Promise((r) => (resolve = r));
  leader.waiting = { type, dispatchId, resolve };
  return promise;
}

/** One dispatch: POST, then wait until the leader's socket has it; times in ms from just before the request. */
async function measureOne(target, round) {
  const leader = target.rotation[round % target.rotation.length];
  const disconnectsBefore = target.disconnects;
  const arrived = waitFor(leader, 'dispatch.created');
  let t0 = 0;
  const res = await request(`${target.url}${target.dispatchPath}`, {
    method: 'POST',
    agent: target.agent,
    headers: target.headers,
    body: target.dispatchBody(leader),
    onSend: () => (t0 = performance.now()),
  });
  if (res.status !== 201) throw new Error(`${target.name}: POST ${target.dispatchPath} for ${leader.username} answered ${res.status} ${res.text}`);
  const dispatchId = res.body?.[0]?.id;
  const got = await withTimeout(arrived, EVENT_TIMEOUT_MS, `${target.name}: dispatch.created at ${leader.username}'s socket (round ${round})`);
  if (got.event.dispatchId !== dispatchId) {
    throw new Error(`${target.name}: ${leader.username} got dispatch.created for ${got.event.dispatchId}, the response named ${dispatchId}`);
  }
  const sample = {
    leader: got.at - t0,
    response: res.at - t0,
    t0Wall: performance.timeOrigin + t0,
    dispatchId,
  };
  if (target.name === 'real') {
    // Free the squad again (not timed): cancel, and wait until the leader has been told.
    const cancelled = waitFor(leader, 'dispatch.cancelled', dispatchId);
    const cancel = await request(`${target.url}/api/dispatches/${dispatchId}/cancel`, {
      method: 'POST',
      agent: target.agent,
      headers: target.headers,
      body: { reason: 'bench' },
    });
    if (cancel.status !== 200) throw new Error(`real: cancelling ${dispatchId} answered ${cancel.status} ${cancel.text}`);
    await withTimeout(cancelled, EVENT_TIMEOUT_MS, `real: dispatch.cancelled at ${leader.username}'s socket (round ${round})`);
    // Each dispatch and each cancel sends every dashboard two events (dispatch.*, squad.status_changed).
    // Let the dashboards have them all before the next round, so no round starts with the previous
    // one's fan-out still running: every round measures one dispatch and its own fan-out.
    target.dashboardEventsExpected += 4 * DASHBOARDS;
    await target.dashboards.settle(target.dashboardEventsExpected);
  }
  if (target.disconnects !== disconnectsBefore) throw new Error(`${target.name}: ${target.disconnects - disconnectsBefore} leader sockets disconnected in round ${round}`);
  return sample;
}

function closeLeaders(target) {
  for (const leader of target?.leaders ?? []) leader.socket?.close();
}

// ---------------------------------------------------------------------------------------------------
// The run

function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemMb: Math.round(os.totalmem() / 2 ** 20),
    loadAvg: os.loadavg().map((v) => Math.round(v * 100) / 100),
    date: new Date().toISOString(),
  };
}

function printResults(result) {
  const { real, bare } = result;
  const ms = (v) => `${Number.isFinite(v) ? v.toFixed(1) : '—'} ms`.padStart(10);
  const row = (name, s) => `  ${name.padEnd(52)}${ms(s.p50)}${ms(s.p99)}${ms(s.mean)}${ms(s.max)}`;
  const head = (name) => `  ${name.padEnd(52)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}${'max'.padStart(10)}`;
  const m = result.machine;
  console.log('');
  console.log(`Dispatch: POST → the squad leader's socket has dispatch.created; ${DISPATCHES} dispatches per server (after ${WARMUP} warm-up), ` +
    `${DASHBOARDS} dashboards + ${LEADERS} leaders connected, interleaved`);
  console.log(`Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemMb} MB, ${m.platform}, Node ${m.node}, load ${m.loadAvg.join(' ')} (start) ${m.loadAvgEnd.join(' ')} (end), ${m.date}`);
  console.log(`Databases: app ${result.config.database}; baseline ${result.config.bareDatabase}`);
  console.log('');
  console.log(head('leader latency'));
  console.log(row(real.label, real.leader));
  console.log(row(bare.label, bare.leader));
  console.log('');
  const g = result.goal;
  console.log(`  ratio real/bare: p50 ${result.ratio.p50.toFixed(2)}, p99 ${result.ratio.p99.toFixed(2)}, mean ${result.ratio.mean.toFixed(2)}`);
  console.log(`  goal: p99 ≤ ${g.p99MaxMs} ms: ${g.p99Met ? 'met' : 'NOT met'} (${real.leader.p99.toFixed(1)} ms); ` +
    `p99 ≤ ${g.maxRatio}× baseline: ${g.ratioMet ? 'met' : 'NOT met'} (${result.ratio.p99.toFixed(2)}×) — overall ${result.pass ? 'MET' : 'NOT MET'}`);
  console.log('');
  console.log('  for diagnosis:');
  console.log(head('HTTP response (request → body received)'));
  console.log(row('  real', real.response));
  console.log(row('  bare', bare.response));
  console.log(head('leader event − HTTP response'));
  console.log(row('  real', real.afterResponse));
  console.log(row('  bare', bare.afterResponse));
  if (real.dashboardsLast) {
    console.log(head(`last of ${DASHBOARDS} dashboards has dispatch.created`));
    console.log(row('  real', real.dashboardsLast));
  }
  console.log(`  leader event before the HTTP response: real ${real.eventBeforeResponse}/${real.leader.n}, bare ${bare.eventBeforeResponse}/${bare.leader.n}`);
  console.log(`  connecting: real ${(real.connectDashboardsMs / 1000).toFixed(1)} s (dashboards) + ${(real.connectLeadersMs / 1000).toFixed(1)} s (leaders), ` +
    `bare ${(bare.connectDashboardsMs / 1000).toFixed(1)} s + ${(bare.connectLeadersMs / 1000).toFixed(1)} s`);
  console.log('');
}

/** The rows of the results file: what bench/run-all.js puts in BENCHMARKS.md. */
function rowsOf(result) {
  const { real, bare, ratio, goal } = result;
  return [
    {
      metric: `leader latency p99 (POST → leader socket, ${DASHBOARDS} dashboards + ${LEADERS} leaders connected)`,
      value: real.leader.p99,
      unit: 'ms',
      baseline: bare.leader.p99,
      ratio: ratio.p99,
      goal: `≤ ${goal.p99MaxMs} ms and ≤ ${goal.maxRatio}× baseline`,
      met: result.pass,
    },
    { metric: 'leader latency p50', value: real.leader.p50, unit: 'ms', baseline: bare.leader.p50, ratio: ratio.p50, goal: null, met: null },
    { metric: 'leader latency mean', value: real.leader.mean, unit: 'ms', baseline: bare.leader.mean, ratio: ratio.mean, goal: null, met: null },
    {
      metric: 'HTTP response p50 (dispatch request → body)',
      value: real.response.p50,
      unit: 'ms',
      baseline: bare.response.p50,
      ratio: round2(real.response.p50 / bare.response.p50),
      goal: null,
      met: null,
    },
  ];
}

async function main() {
  const targets = [];
  const dashboards = [];
  const watchdog = setTimeout(() => {
    console.error(`[dispatch] the whole run took longer than ${RUN_TIMEOUT_MS} ms: giving up`);
    for (const handle of children) signalGroup(handle, 'SIGKILL');
    void dropScratchDatabase().finally(() => process.exit(1));
  }, RUN_TIMEOUT_MS);
  watchdog.unref();
  let stopping = false;
  const stopSignals = (signal) => {
    if (stopping) return;
    stopping = true;
    console.error(`[dispatch] ${signal}: stopping`);
    for (const handle of children) signalGroup(handle, 'SIGKILL');
    removeTempDirs();
    void withTimeout(dropScratchDatabase(), 5000, 'dropping the scratch database')
      .catch(() => {})
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', stopSignals);
  process.on('SIGTERM', stopSignals);

  try {
    const info = machine();
    log(`${DASHBOARDS} dashboards + ${LEADERS} leaders, ${DISPATCHES} dispatches (+${WARMUP} warm-up) per server, gap ${GAP_MS} ms; ` +
      `${info.cpus} × ${info.cpuModel}, Node ${info.node}`);
    const bareDb = await prepareBareDatabase();
    log(`baseline database: ${bareDb.label}`);
    const [real, bare] = await Promise.all([startReal(), startBare(bareDb)]);
    targets.push(real, bare);
    for (const l of real.leaders) l.incidentId = real.incidentId;

    for (const target of [real, bare]) {
      const group = await startDashboards(target, target.viewerToken);
      dashboards.push(group);
      target.dashboards = group;
      target.dashboardEventsExpected = 0;
      target.connectDashboardsMs = group.connectMs;
      target.connectLeadersMs = await connectLeaders(target, real.leaders);
      log(`${target.name}: ${DASHBOARDS} dashboards ready in ${(group.connectMs / 1000).toFixed(1)} s ` +
        `(${DASHBOARDS_IN_PROCESS ? 'this process' : 'child process'}), ${LEADERS} leaders in ${(target.connectLeadersMs / 1000).toFixed(1)} s`);
    }
    bare.rotation = bare.leaders.filter((l) => real.rotation.some((r) => r.squadId === l.squadId));

    const samples = { real: [], bare: [] };
    const total = WARMUP + DISPATCHES;
    for (let round = 0; round < total; round++) {
      // ABBA: real first on even rounds, bare first on odd ones.
      const order = round % 2 === 0 ? [real, bare] : [bare, real];
      for (const target of order) {
        const sample = await measureOne(target, round);
        if (round >= WARMUP) samples[target.name].push(sample);
        if (GAP_MS) await sleep(GAP_MS);
      }
      if (round === WARMUP - 1) log('warm-up done');
      if (round >= WARMUP && (round + 1 - WARMUP) % 100 === 0) log(`${round + 1 - WARMUP}/${DISPATCHES} dispatches`);
    }

    // What the dashboards saw: every dispatch at every dashboard (real), nothing (baseline).
    const reports = {};
    for (const target of [real, bare]) {
      const report = await target.dashboards.report();
      reports[target.name] = report;
      const expected = target.name === 'real' && DASHBOARDS ? total : 0;
      if (report.disconnects) throw new Error(`${target.name}: ${report.disconnects} dashboards disconnected`);
      if (report.createdPerSocket.min !== expected || report.createdPerSocket.max !== expected) {
        throw new Error(`${target.name}: each dashboard should have had ${expected} dispatch.created, had ${report.createdPerSocket.min}…${report.createdPerSocket.max}`);
      }
      if (target.outOfOrder) throw new Error(`${target.name}: ${target.outOfOrder} events reached a leader twice or out of order`);
    }
    const lastAtDashboards = new Map(reports.real.byDispatch.map(([id, count, , last]) => [id, { count, last }]));

    const describe = (target) => {
      const list = samples[target.name];
      const dash = list.map((s) => lastAtDashboards.get(s.dispatchId)).filter(Boolean);
      return {
        label: target.label,
        connectDashboardsMs: target.connectDashboardsMs,
        connectLeadersMs: target.connectLeadersMs,
        leader: summarize(list.map((s) => s.leader)),
        response: summarize(list.map((s) => s.response)),
        afterResponse: summarize(list.map((s) => s.leader - s.response)),
        eventBeforeResponse: list.filter((s) => s.leader < s.response).length,
        ...(target.name === 'real' && dash.length === list.length
          ? { dashboardsLast: summarize(list.map((s) => lastAtDashboards.get(s.dispatchId).last - s.t0Wall)) }
          : {}),
        dashboardEvents: reports[target.name].events,
        samples: list.map((s) => ({
          leader: round2(s.leader),
          response: round2(s.response),
          ...(lastAtDashboards.has(s.dispatchId) ? { dashboardsLast: round2(lastAtDashboards.get(s.dispatchId).last - s.t0Wall) } : {}),
        })),
      };
    };
    const realResult = describe(real);
    const bareResult = describe(bare);
    const ratio = {
      p50: round2(realResult.leader.p50 / bareResult.leader.p50),
      p99: round2(realResult.leader.p99 / bareResult.leader.p99),
      mean: round2(realResult.leader.mean / bareResult.leader.mean),
    };
    const overheadMs = {
      p50: round2(realResult.leader.p50 - bareResult.leader.p50),
      p99: round2(realResult.leader.p99 - bareResult.leader.p99),
    };
    const p99Met = realResult.leader.p99 <= GOAL_P99_MS;
    const ratioMet = ratio.p99 <= GOAL_RATIO;
    info.loadAvgEnd = os.loadavg().map((v) => Math.round(v * 100) / 100);
    const result = {
      benchmark: 'dispatch',
      description: `time from POSTing a dispatch until the squad leader's socket has it, with ${DASHBOARDS} dashboards and ${LEADERS} leaders connected`,
      machine: info,
      build,
      config: {
        dashboards: DASHBOARDS,
        leaders: LEADERS,
        squadsRotated: real.rotation.length,
        dispatches: DISPATCHES,
        warmup: WARMUP,
        gapMs: GAP_MS,
        transport: 'websocket',
        order: 'interleaved (ABBA), sequential',
        dashboardsIn: DASHBOARDS_IN_PROCESS ? 'the benchmark process' : 'a child process per server',
        database: DATABASE_URL ? `PostgreSQL server (BENCH_DATABASE_URL ${redact(DATABASE_URL)})` : 'embedded PostgreSQL (PGlite) in memory',
        bareDatabase: bareDb.label,
        bareDatabaseVersion: bare.databaseVersion,
        realTrigger: 'POST /api/incidents/:id/dispatches {squadIds: [squad]} (commander); then POST /api/dispatches/:id/cancel, not timed',
        bareTrigger: 'POST /dispatch → INSERT … RETURNING → io.to(socketId).emit',
        bareSocketIo: bare.socketIo,
        appEnv: { DISPATCH_ACK_TIMEOUT_SECONDS: 3600, SWEEP_INTERVAL_MS: 1000, LOG_LEVEL: 'warn', NODE_ENV: 'production' },
      },
      goal: { metric: 'leader latency p99', p99MaxMs: GOAL_P99_MS, maxRatio: GOAL_RATIO, p99Met, ratioMet },
      real: realResult,
      bare: bareResult,
      ratio,
      overheadMs,
      pass: p99Met && ratioMet,
      rows: [],
    };
    result.rows = rowsOf(result);
    printResults(result);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, JSON.stringify(result, null, 2) + '\n');
    log(`results written to ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
    return STRICT && !result.pass ? 1 : 0;
  } finally {
    for (const target of targets) closeLeaders(target);
    await Promise.all(dashboards.map((group) => group.close().catch(() => {})));
    await Promise.all([...children].map((handle) => stopChild(handle)));
    await dropScratchDatabase();
    removeTempDirs();
  }
}

if (process.argv[2] === '--dashboards') {
  runDashboardChild();
} else {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`[dispatch] failed: ${e.stack ?? e}`);
      for (const handle of children) signalGroup(handle, 'SIGKILL');
      removeTempDirs();
      void withTimeout(dropScratchDatabase(), 5000, 'dropping the scratch database')
        .catch(() => {})
        .finally(() => process.exit(1));
    },
  );
}
