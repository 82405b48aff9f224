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
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import {
  buildInfo,
  CHILD_ENV_STRIP,
  childEnv,
  connectMany,
  freePort,
  intEnv,
  log,
  login,
  machine,
  nodeArgsEnv,
  percentiles as summarize,
  performance,
  request,
  run,
  sleep,
  startApp,
  startChild,
  waitHealthy,
  withTimeout,
  writeJson,
} from './support.js';

const BARE_ENTRY = fileURLToPath(new URL('./bare-socketio-server.js', import.meta.url));
const RESULTS_FILE = process.env.BENCH_RESULTS || fileURLToPath(new URL('./results/fanout.json', import.meta.url));

const CLIENTS = intEnv('BENCH_CLIENTS', 1000, 1);
const EVENTS = intEnv('BENCH_EVENTS', 200, 1);
const WARMUP = intEnv('BENCH_WARMUP', 20, 0);
const GAP_MS = intEnv('BENCH_GAP_MS', 20, 0);
const BATCH = intEnv('BENCH_BATCH', 100, 1);
const DATABASE_URL = process.env.BENCH_DATABASE_URL || undefined;
const STRICT = process.env.BENCH_STRICT === '1';
const APP_NODE_ARGS = nodeArgsEnv('BENCH_APP_NODE_ARGS');
const BARE_NODE_ARGS = nodeArgsEnv('BENCH_BARE_NODE_ARGS');
const GOAL = 1.3;

const BOOT_TIMEOUT_MS = 120_000;
const BATCH_TIMEOUT_MS = 60_000;
const EVENT_TIMEOUT_MS = 15_000;
const HTTP_TIMEOUT_MS = 15_000;
const RUN_TIMEOUT_MS = intEnv('BENCH_TIMEOUT_MS', 20 * 60_000, 1000);

const DEMO_USER = 'commander';

// ---------------------------------------------------------------------------------------------------
// Targets: a server, its clients, and how to trigger one event on it.

/** What was measured: the commit, and whether src/ had changed after dist/ was built. */
let build = { commit: 'unknown', distStale: false };

async function startReal() {
  build = buildInfo();
  const { server, url } = await startApp({
    databaseUrl: DATABASE_URL,
    nodeArgs: APP_NODE_ARGS,
    extraEnv: { NODE_ENV: 'production' },
    bootTimeoutMs: BOOT_TIMEOUT_MS,
    envStrip: CHILD_ENV_STRIP,
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const token = await login(url, DEMO_USER, agent);
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
  const server = startChild('bare', BARE_ENTRY, childEnv({ PORT: String(port) }, CHILD_ENV_STRIP), BARE_NODE_ARGS);
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
  target.sockets = await connectMany(target.url, CLIENTS, {
    batch: BATCH,
    timeoutMs: BATCH_TIMEOUT_MS,
    auth: () => target.auth,
    onEvent: (i, event) => onEvent(target, i, event),
    onDisconnect: () => target.disconnects++,
    what: target.name,
  });
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
      timeoutMs: HTTP_TIMEOUT_MS,
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
    writeJson(RESULTS_FILE, result);
    return STRICT && !result.pass ? 1 : 0;
  } finally {
    for (const target of targets) closeClients(target);
    // The servers and the temporary folders: run() stops and removes them.
  }
}

run('fanout', main, RUN_TIMEOUT_MS);
