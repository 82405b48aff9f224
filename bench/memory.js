// Memory benchmark (the issue: "server memory with 5,000 sockets ≤ 250 MB").
//
//   npm run build && node bench/memory.js          (npm run bench:memory)
//
// The compiled app (dist/main.js) runs in a child process on a scratch database on the PostgreSQL
// server (BENCH_DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; dropped
// at the end) with the demo data. Its resident memory (VmRSS from /proc/<pid>/status) is read when it
// is idle, right after BENCH_CLIENTS (5,000) staff sockets (viewer token, socket.io-client, websocket
// only, each ready once it has 'replay.done') have connected, and again after BENCH_SETTLE_MS (5000) of
// quiet. The sockets live in BENCH_FARMS (2) child processes (bench/socket-farm.js), not in this one.
// Baseline in the same run: bench/bare-broadcast-server.js (bare socket.io, no framework, no database)
// with the same sockets from the same farms, measured the same way.
//
// Knobs: BENCH_CLIENTS (5000), BENCH_FARMS (2), BENCH_BATCH (100), BENCH_SETTLE_MS (5000),
// BENCH_DATABASE_URL, BENCH_RESULTS, BENCH_APP_NODE_ARGS, BENCH_STRICT=1.
import path from 'node:path';
import { startFarm } from './socket-farm.js';
import { memoryOf, startBareBroadcast } from './proc-stats.js';
import {
  ADMIN_URL, buildInfo, createScratchDatabase, intEnv, log, login, machine, nodeArgsEnv, redactUrl, RESULTS_DIR, round1, round2, run, sleep,
  startApp, stopChild, writeResults,
} from './support.js';

const CLIENTS = intEnv('BENCH_CLIENTS', 5000, 1);
const FARMS = intEnv('BENCH_FARMS', 2, 1);
const BATCH = intEnv('BENCH_BATCH', 100, 1);
const SETTLE_MS = intEnv('BENCH_SETTLE_MS', 5000, 0);
const STRICT = process.env.BENCH_STRICT === '1';
const RESULTS_FILE = process.env.BENCH_RESULTS || path.join(RESULTS_DIR, 'memory.json');
const GOAL_MB = 250;

/** Connects CLIENTS sockets to `url`, split over the farms; resolves with the time it took and the farms' memory. */
async function connectAll(farms, url, auth) {
  const started = Date.now();
  const share = (i) => Math.floor(CLIENTS / farms.length) + (i < CLIENTS % farms.length ? 1 : 0);
  const ready = await Promise.all(farms.map((farm, i) => farm.connect({ url, count: share(i), batch: BATCH, timeoutMs: 60_000, auth })));
  return { connectMs: Date.now() - started, farmRssMb: ready.map((r) => r.rssMb) };
}

/** RSS of `pid` idle, with the sockets, and after SETTLE_MS. */
async function measure(name, pid, farms, url, auth) {
  await sleep(2000);
  const idle = memoryOf(pid);
  log(`${name}: idle RSS ${idle.rssMb} MB; connecting ${CLIENTS} sockets`);
  const { connectMs, farmRssMb } = await connectAll(farms, url, auth);
  const connected = memoryOf(pid);
  log(`${name}: ${CLIENTS} sockets ready in ${(connectMs / 1000).toFixed(1)} s; RSS ${connected.rssMb} MB`);
  await sleep(SETTLE_MS);
  const settled = memoryOf(pid);
  const reports = await Promise.all(farms.map((f) => f.report()));
  const disconnects = reports.reduce((s, r) => s + r.disconnects, 0);
  if (disconnects) throw new Error(`${name}: ${disconnects} sockets disconnected`);
  log(`${name}: RSS after ${SETTLE_MS} ms settle ${settled.rssMb} MB (peak ${settled.hwmMb} MB)`);
  await Promise.all(farms.map((f) => f.close()));
  return {
    idleRssMb: idle.rssMb,
    connectedRssMb: connected.rssMb,
    settledRssMb: settled.rssMb,
    peakRssMb: settled.hwmMb,
    perSocketKb: round1(((settled.rssMb - idle.rssMb) * 1024) / CLIENTS),
    connectMs,
    farmRssMb,
  };
}

async function main() {
  const info = machine();
  const build = buildInfo();
  const farms = Array.from({ length: FARMS }, (_, i) => startFarm(`farm-${i + 1}`));

  const db = await createScratchDatabase();
  const app = await startApp({ databaseUrl: db.url, nodeArgs: nodeArgsEnv('BENCH_APP_NODE_ARGS'), extraEnv: { NODE_ENV: 'production' } });
  const token = await login(app.url, 'viewer');
  const real = await measure('app', app.server.child.pid, farms, app.url, { token });
  await stopChild(app.server);

  const bare = await startBareBroadcast();
  const baseline = await measure('bare', bare.server.child.pid, farms, bare.url, {});
  await stopChild(bare.server);
  await Promise.all(farms.map((f) => f.stop()));

  const met = real.settledRssMb <= GOAL_MB;
  const result = {
    benchmark: 'memory',
    description: `resident memory of the app with ${CLIENTS} staff sockets connected (replay done), against a bare socket.io server with the same sockets`,
    machine: info,
    build,
    config: {
      clients: CLIENTS, farms: FARMS, batch: BATCH, settleMs: SETTLE_MS, transport: 'websocket', auth: 'viewer token (staff room)',
      database: `PostgreSQL server, scratch database on ${redactUrl(ADMIN_URL)}`, baseline: 'bench/bare-broadcast-server.js (bare socket.io, no database)',
      bareSocketIo: bare.socketIo,
    },
    real,
    bare: baseline,
    pass: met,
    rows: [
      { metric: `app RSS with ${CLIENTS} sockets (after ${SETTLE_MS / 1000} s settle)`, value: real.settledRssMb, unit: 'MB', baseline: baseline.settledRssMb, ratio: round2(real.settledRssMb / baseline.settledRssMb), goal: `≤ ${GOAL_MB} MB`, met },
      { metric: `app RSS right after the ${CLIENTS} sockets connected`, value: real.connectedRssMb, unit: 'MB', baseline: baseline.connectedRssMb, ratio: round2(real.connectedRssMb / baseline.connectedRssMb), goal: null, met: null },
      { metric: 'app RSS idle (no sockets)', value: real.idleRssMb, unit: 'MB', baseline: baseline.idleRssMb, ratio: round2(real.idleRssMb / baseline.idleRssMb), goal: null, met: null },
      { metric: 'RSS per socket ((settled − idle) / sockets)', value: real.perSocketKb, unit: 'KB', baseline: baseline.perSocketKb, ratio: round2(real.perSocketKb / baseline.perSocketKb), goal: null, met: null },
      { metric: `connecting ${CLIENTS} sockets (${FARMS} client processes)`, value: round1(real.connectMs / 1000), unit: 's', baseline: round1(baseline.connectMs / 1000), ratio: round2(real.connectMs / baseline.connectMs), goal: null, met: null },
    ],
  };
  writeResults(RESULTS_FILE, result);
  for (const r of result.rows) log(`${r.metric}: ${r.value} ${r.unit} (baseline ${r.baseline} ${r.unit})${r.goal ? ` — goal ${r.goal}: ${r.met ? 'met' : 'NOT met'}` : ''}`);
  return STRICT && !met ? 1 : 0;
}

run('memory', main, 20 * 60_000);
