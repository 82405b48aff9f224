// Fan-out benchmark: how long until the LAST of 1,000 connected sockets has an event appended through
// the event log, against the same fan-out from a bare socket.io server. Goal: real/bare ≤ 1.3.
//
//   npm run build && node bench/fanout.js
//
// The real server is the compiled app (dist/main.js) in a child process on the embedded PostgreSQL in
// memory (or BENCH_DATABASE_URL: a scratch database — it gets the demo data and the bench notices).
// The baseline is bench/bare-socketio-server.js in another child process. This process holds the
// clients (socket.io-client, websocket transport only) for both and triggers every event the same way:
// one HTTP POST (POST /api/notices on the app, POST /emit on the baseline) on a keep-alive connection.
// The clock runs from just before the request is sent until the last socket has the event. Events are
// sequential, interleaved between the two servers (ABBA order), so drift on a shared machine hits both.
//
// Knobs (environment): BENCH_CLIENTS (1000), BENCH_EVENTS (200), BENCH_WARMUP (20), BENCH_GAP_MS (20),
// BENCH_BATCH (100 sockets connected at a time), BENCH_DATABASE_URL, BENCH_STRICT=1 (exit 1 when the
// goal is missed), BENCH_VERBOSE=1 (pass the servers' output through), BENCH_RESULTS (output file),
// BENCH_APP_NODE_ARGS / BENCH_BARE_NODE_ARGS (extra node options for the app / the baseline server,
// e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { io as connectSocket } from 'socket.io-client';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SERVER_ENTRY = path.join(ROOT, 'dist', 'main.js');
const BARE_ENTRY = fileURLToPath(new URL('./bare-socketio-server.js', import.meta.url));
const RESULTS_FILE = process.env.BENCH_RESULTS || fileURLToPath(new URL('./results/fanout.json', import.meta.url));

function intEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${JSON.stringify(raw)})`);
  return value;
}

const CLIENTS = intEnv('BENCH_CLIENTS', 1000, 1);
const EVENTS = intEnv('BENCH_EVENTS', 200, 1);
const WARMUP = intEnv('BENCH_WARMUP', 20, 0);
const GAP_MS = intEnv('BENCH_GAP_MS', 20, 0);
const BATCH = intEnv('BENCH_BATCH', 100, 1);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
const STRICT = process.env.BENCH_STRICT === '1';
const VERBOSE = process.env.BENCH_VERBOSE === '1';
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const BARE_NODE_ARGS = (process.env.BENCH_BARE_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const GOAL = 1.3;

const BOOT_TIMEOUT_MS = 120_000;
const BATCH_TIMEOUT_MS = 60_000;
const EVENT_TIMEOUT_MS = 15_000;
const HTTP_TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = intEnv('BENCH_TIMEOUT_MS', 20 * 60_000, 1000);

const DEMO_USER = 'commander';
const DEMO_PASSWORD = 'pingji-demo';

// ---------------------------------------------------------------------------------------------------
// Small helpers

function log(message) {
  console.log(`[fanout ${new Date().toISOString().slice(11, 19)}] ${message}`);
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

function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (v) => Math.round(v * 100) / 100;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    mean: round(sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
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

// ---------------------------------------------------------------------------------------------------
// Child processes: each in its own process group, killed at the end, on errors and on signals.

const children = new Set();
/** Temporary folders (the app's DATA_DIR), removed at the end and on signals. */
const tempDirs = [];

function removeTempDirs() {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

function startChild(name, entry, env, nodeArgs = []) {
  const child = spawn(process.execPath, [...nodeArgs, entry], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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

// ---------------------------------------------------------------------------------------------------
// Targets: a server, its clients, and how to trigger one event on it.

function childEnv(overrides) {
  const env = { ...process.env };
  // Nothing from the caller's shell may point the app somewhere else.
  for (const name of ['DATABASE_URL', 'PGLITE_DIR', 'PGLITE_TEMPLATE', 'HOST', 'PORT', 'NODE_OPTIONS', 'CORS_ORIGINS']) delete env[name];
  return { ...env, ...overrides };
}

/** What was measured: the commit, and whether src/ had changed after dist/ was built. */
const build = { commit: 'unknown', distStale: false };

async function startReal() {
  if (!existsSync(SERVER_ENTRY)) throw new Error(`${path.relative(ROOT, SERVER_ENTRY)} is missing: run npm run build first`);
  try {
    build.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', timeout: 5000 }).trim();
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
    ...(DATABASE_URL ? { DATABASE_URL } : { PGLITE_DIR: 'memory://' }),
  });
  const server = startChild('app', SERVER_ENTRY, env, APP_NODE_ARGS);
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  await waitHealthy(server, `${url}/health`, BOOT_TIMEOUT_MS);
  log(`app healthy on ${url} after ${((performance.now() - started) / 1000).toFixed(1)} s (${DATABASE_URL ? 'PostgreSQL server' : 'embedded PostgreSQL in memory'})`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const login = await request(`${url}/api/auth/login`, {
    method: 'POST',
    agent,
    body: { username: DEMO_USER, password: DEMO_PASSWORD },
  });
  if (login.status !== 200 && login.status !== 201) throw new Error(`login as ${DEMO_USER} failed: ${login.status} ${login.text}`);
  const token = login.body.accessToken;
  return {
    name: 'real',
    label: 'Pingji (NestJS gateway, event log, relay)',
    server,
    url,
    agent,
    auth: { token },
    trigger: { path: '/api/notices', headers: { authorization: `Bearer ${token}` } },
  };
}

async function startBare() {
  const port = await freePort();
  const server = startChild('bare', BARE_ENTRY, childEnv({ PORT: String(port) }), BARE_NODE_ARGS);
  const url = `http://127.0.0.1:${port}`;
  const health = await waitHealthy(server, `${url}/health`, 30_000);
  log(`bare socket.io ${health?.socketIo} server healthy on ${url}`);
  return {
    name: 'bare',
    label: 'bare socket.io 4 (io.emit)',
    socketIo: health?.socketIo,
    server,
    url,
    agent: new http.Agent({ keepAlive: true, maxSockets: 1 }),
    auth: {},
    trigger: { path: '/emit', headers: {} },
  };
}

/** Connects CLIENTS sockets to `target`, BATCH at a time, each ready once it has 'replay.done'. */
async function connectClients(target) {
  target.sockets = [];
  target.seen = new Int32Array(CLIENTS).fill(-1); // per socket: the seq of the last measured event it had
  target.waiting = undefined;
  target.disconnects = 0;
  const started = performance.now();
  target.connectMs = 0;
  for (let from = 0; from < CLIENTS; from += BATCH) {
    const batch = [];
    for (let i = from; i < Math.min(CLIENTS, from + BATCH); i++) {
      const socket = connectSocket(target.url, {
        path: '/socket.io',
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        timeout: BATCH_TIMEOUT_MS,
        auth: target.auth,
      });
      target.sockets.push(socket);
      socket.on('event', (event) => onEvent(target, i, event));
      socket.on('disconnect', () => target.disconnects++);
      batch.push(
        new Promise((resolve, reject) => {
          socket.once('replay.done', resolve);
          socket.once('connect_error', (e) => reject(new Error(`${target.name} socket ${i}: connect_error ${e.message}`)));
        }),
      );
    }
    await withTimeout(Promise.all(batch), BATCH_TIMEOUT_MS, `${target.name}: sockets ${from}…${from + batch.length - 1} ready`);
  }
  target.connectMs = Math.round(performance.now() - started);
  log(`${target.name}: ${CLIENTS} sockets ready in ${(target.connectMs / 1000).toFixed(1)} s`);
}

function onEvent(target, index, event) {
  const w = target.waiting;
  if (!w || event?.payload?.title !== w.title) return;
  const now = performance.now();
  if (target.seen[index] === w.seq) {
    w.duplicates++;
    return;
  }
  target.seen[index] = w.seq;
  if (w.count++ === 0) w.first = now;
  if (w.count === CLIENTS) w.resolve(now);
}

/** One event: POST, then wait until every socket has it. Times in ms from just before the request. */
async function measureOne(target, seq) {
  const title = `bench ${target.name} ${seq}`;
  let resolve;
  const allArrived = new Promise((r) => (resolve = r));
  const w = { title, seq, count: 0, first: NaN, duplicates: 0, resolve };
  target.waiting = w;
  let t0 = 0;
  const disconnectsBefore = target.disconnects;
  try {
    const res = await request(`${target.url}${target.trigger.path}`, {
      method: 'POST',
      agent: target.agent,
      headers: target.trigger.headers,
      body: { title },
      onSend: () => (t0 = performance.now()),
    });
    if (res.status !== 201) throw new Error(`${target.name}: POST ${target.trigger.path} answered ${res.status} ${res.text}`);
    const last = await withTimeout(allArrived, EVENT_TIMEOUT_MS, `${target.name}: event ${seq} at all ${CLIENTS} sockets (${w.count} had it)`);
    if (w.duplicates) throw new Error(`${target.name}: event ${seq} arrived twice at ${w.duplicates} sockets`);
    if (target.disconnects !== disconnectsBefore) throw new Error(`${target.name}: ${target.disconnects - disconnectsBefore} sockets disconnected during event ${seq}`);
    return { last: last - t0, first: w.first - t0, response: res.at - t0 };
  } finally {
    target.waiting = undefined;
  }
}

function closeClients(target) {
  for (const socket of target?.sockets ?? []) socket.close();
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
  const ms = (v) => `${v.toFixed(1)} ms`.padStart(10);
  const row = (name, s) => `  ${name.padEnd(44)}${ms(s.p50)}${ms(s.p99)}${ms(s.mean)}${ms(s.max)}`;
  const m = result.machine;
  console.log('');
  console.log(`Fan-out: last of ${CLIENTS} sockets, ${EVENTS} events each (after ${WARMUP} warm-up), ${GAP_MS} ms apart, interleaved`);
  console.log(`Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemMb} MB, ${m.platform}, Node ${m.node}, load ${m.loadAvg.join(' ')}, ${m.date}`);
  console.log('');
  console.log(`  ${'last-client latency'.padEnd(44)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}${'max'.padStart(10)}`);
  console.log(row(`${real.label}`, real.last));
  console.log(row(`${bare.label}`, bare.last));
  console.log('');
  console.log(`  ratio real/bare: p50 ${result.ratio.p50.toFixed(2)}, p99 ${result.ratio.p99.toFixed(2)} — goal ≤ ${GOAL}: ${result.pass ? 'met' : 'NOT met'}`);
  console.log(`  overhead real − bare: p50 ${result.overheadMs.p50.toFixed(1)} ms, p99 ${result.overheadMs.p99.toFixed(1)} ms`);
  console.log('');
  console.log('  for diagnosis:');
  console.log(`  ${'first-client latency'.padEnd(44)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'mean'.padStart(10)}${'max'.padStart(10)}`);
  console.log(row('  real', real.first));
  console.log(row('  bare', bare.first));
  console.log(`  ${'HTTP response (request → body received)'.padEnd(44)}`);
  console.log(row('  real', real.response));
  console.log(row('  bare', bare.response));
  console.log(`  ${'spread (last − first client)'.padEnd(44)}`);
  console.log(row('  real', real.spread));
  console.log(row('  bare', bare.spread));
  console.log(`  connecting all ${CLIENTS} sockets: real ${(real.connectAllMs / 1000).toFixed(1)} s, bare ${(bare.connectAllMs / 1000).toFixed(1)} s`);
  console.log('');
}

async function main() {
  const targets = [];
  const watchdog = setTimeout(() => {
    console.error(`[fanout] the whole run took longer than ${RUN_TIMEOUT_MS} ms: giving up`);
    for (const handle of children) signalGroup(handle, 'SIGKILL');
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  watchdog.unref();
  const stopSignals = (signal) => {
    console.error(`[fanout] ${signal}: stopping`);
    for (const handle of children) signalGroup(handle, 'SIGKILL');
    removeTempDirs();
    process.exit(130);
  };
  process.once('SIGINT', stopSignals);
  process.once('SIGTERM', stopSignals);

  try {
    const info = machine();
    log(`${CLIENTS} clients, ${EVENTS} events (+${WARMUP} warm-up) per server, gap ${GAP_MS} ms; ${info.cpus} × ${info.cpuModel}, Node ${info.node}`);
    const [real, bare] = await Promise.all([startReal(), startBare()]);
    targets.push(real, bare);
    await connectClients(real);
    await connectClients(bare);

    const samples = { real: [], bare: [] };
    const total = WARMUP + EVENTS;
    for (let seq = 0; seq < total; seq++) {
      // ABBA: real first on even rounds, bare first on odd ones.
      const order = seq % 2 === 0 ? [real, bare] : [bare, real];
      for (const target of order) {
        const sample = await measureOne(target, seq);
        if (seq >= WARMUP) samples[target.name].push(sample);
        if (GAP_MS) await sleep(GAP_MS);
      }
      if (seq === WARMUP - 1) log('warm-up done');
      if ((seq + 1 - WARMUP) % 50 === 0 && seq >= WARMUP) log(`${seq + 1 - WARMUP}/${EVENTS} events`);
    }

    const describe = (target) => {
      const list = samples[target.name];
      return {
        label: target.label,
        connectAllMs: target.connectMs,
        last: summarize(list.map((s) => s.last)),
        first: summarize(list.map((s) => s.first)),
        response: summarize(list.map((s) => s.response)),
        spread: summarize(list.map((s) => s.last - s.first)),
        samples: list.map((s) => ({ last: +s.last.toFixed(2), first: +s.first.toFixed(2), response: +s.response.toFixed(2) })),
      };
    };
    const realResult = describe(real);
    const bareResult = describe(bare);
    const ratio = {
      p50: Math.round((realResult.last.p50 / bareResult.last.p50) * 100) / 100,
      p99: Math.round((realResult.last.p99 / bareResult.last.p99) * 100) / 100,
      mean: Math.round((realResult.last.mean / bareResult.last.mean) * 100) / 100,
    };
    // The absolute cost of the app's path, steadier than the ratio on a busy machine.
    const overheadMs = {
      p50: Math.round((realResult.last.p50 - bareResult.last.p50) * 100) / 100,
      p99: Math.round((realResult.last.p99 - bareResult.last.p99) * 100) / 100,
    };
    const result = {
      benchmark: 'fanout',
      description: `time from an HTTP POST that appends one event until the last of ${CLIENTS} socket.io clients has it`,
      machine: info,
      build,
      config: {
        clients: CLIENTS,
        events: EVENTS,
        warmup: WARMUP,
        gapMs: GAP_MS,
        transport: 'websocket',
        order: 'interleaved (ABBA)',
        database: DATABASE_URL ? 'PostgreSQL server (BENCH_DATABASE_URL)' : 'embedded PostgreSQL (PGlite) in memory',
        realTrigger: 'POST /api/notices (commander)',
        bareTrigger: 'POST /emit → io.emit',
        bareSocketIo: bare.socketIo,
      },
      goal: { metric: 'last-client latency ratio real/bare, p50 and p99', max: GOAL },
      real: realResult,
      bare: bareResult,
      ratio,
      overheadMs,
      pass: ratio.p50 <= GOAL && ratio.p99 <= GOAL,
    };
    printResults(result);
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, JSON.stringify(result, null, 2) + '\n');
    log(`results written to ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
    return STRICT && !result.pass ? 1 : 0;
  } finally {
    for (const target of targets) closeClients(target);
    await Promise.all([...children].map((handle) => stopChild(handle)));
    removeTempDirs();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[fanout] failed: ${e.stack ?? e}`);
    for (const handle of children) signalGroup(handle, 'SIGKILL');
    removeTempDirs();
    process.exit(1);
  },
);
