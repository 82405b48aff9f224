// Two instances (issue #15): 10,000 staff dashboard sockets split 5,000/5,000 over two app instances on
// one PostgreSQL server; an event committed on one instance: how long until the last socket, on either
// instance, has it — beside the one-instance figure for 5,000 sockets measured in the same run.
//
//   npm run build && node bench/two-instances.js          (npm run bench:two-instances)
//
// Two copies of the compiled app (dist/main.js), A and B, run in child processes on one scratch database
// on the PostgreSQL server (BENCH_DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/
// postgres; created here, dropped at the end) with the demo data; B starts once A is healthy (A has
// migrated and seeded). No REDIS_URL: the instances share only the database (the event log, its NOTIFY,
// the socket.io PostgreSQL adapter), as ARCHITECTURE.md promises scale-out on PostgreSQL.
// The sockets (viewer token from A, good on B: one JWT secret) live in two socket farms
// (bench/socket-farm.js), one per instance, run at the lowest CPU priority (nice 19, BENCH_FARM_NICE):
// they stand for other computers and must not take the 2 cores from the two servers.
//
// An event: POST /api/notices on A (commander), which commits a notice.posted event; the clock runs
// from just before the request is sent until the last socket has it (arrival times on the wall clock
// the processes share). Rounds are sequential, BENCH_GAP_MS apart. Three phases, ABA, so drift on a
// shared machine hits both figures:
//   one   — farm A's 5,000 sockets on A only (B runs, idle), BENCH_ROUNDS / 2 rounds;
//   two   — farm B's 5,000 sockets connect to B: 10,000 in all, BENCH_ROUNDS rounds;
//   one   — farm B's sockets closed again, BENCH_ROUNDS / 2 rounds.
// With BENCH_ROUNDS 200, each figure has 200 samples (its p99 is the 2nd-worst; ≥ 100 are needed for a
// p99 that is not the maximum). Also measured: each instance's RSS with its 5,000 sockets, each
// instance's CPU over the two-instance phase, the database connections both hold (pg_stat_activity),
// the HTTP response — the per-instance figures the capacity model in BENCHMARKS.md ("A province on
// paper") starts from.
//
// Knobs: BENCH_CLIENTS (10000, split evenly), BENCH_ROUNDS (200), BENCH_WARMUP (10 per phase),
// BENCH_GAP_MS (300), BENCH_BATCH (100), BENCH_FARM_NICE (19; 0 for normal priority), BENCH_DATABASE_URL,
// BENCH_RESULTS, BENCH_APP_NODE_ARGS, BENCH_TIMEOUT_MS (30 min).
import http from 'node:http';
import path from 'node:path';
import { startFarm } from './socket-farm.js';
import { cpuSeconds, memoryOf } from './proc-stats.js';
import {
  ADMIN_URL, buildInfo, CHILD_ENV_STRIP, createScratchDatabase, intEnv, log, login, machine, nodeArgsEnv, percentiles, performance, pgClient, redactUrl, request,
  RESULTS_DIR, round2, run, sleep, startApp, writeResults,
} from './support.js';

const CLIENTS = intEnv('BENCH_CLIENTS', 10_000, 2);
const PER_INSTANCE = Math.floor(CLIENTS / 2);
const ROUNDS = intEnv('BENCH_ROUNDS', 200, 2);
const WARMUP = intEnv('BENCH_WARMUP', 10, 0);
const GAP_MS = intEnv('BENCH_GAP_MS', 300, 0);
const BATCH = intEnv('BENCH_BATCH', 100, 1);
const FARM_NICE = intEnv('BENCH_FARM_NICE', 19, 0);
const RESULTS_FILE = process.env.BENCH_RESULTS || path.join(RESULTS_DIR, 'two-instances.json');
const EVENT_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 60_000;

/** Nothing from the caller's shell may point an instance elsewhere, nor give them Redis: they share PostgreSQL only. */
const ENV_STRIP = [...CHILD_ENV_STRIP, 'DB_POOL_SIZE', 'DB_TIMEOUT_MS', 'REDIS_URL', 'REDIS_PREFIX'];

/** The connections the two instances hold on their database right now, and the server's max_connections. */
async function databaseConnections(dbUrl) {
  const pg = await pgClient(dbUrl);
  const { rows: [open] } = await pg.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  const { rows: [max] } = await pg.query("SELECT current_setting('max_connections')::int AS n");
  return { open: open.n, serverMax: max.n };
}

async function startInstance(name, dbUrl) {
  const { server, url } = await startApp({
    name,
    databaseUrl: dbUrl,
    nodeArgs: nodeArgsEnv('BENCH_APP_NODE_ARGS'),
    extraEnv: { NODE_ENV: 'production' },
    envStrip: ENV_STRIP,
  });
  return { name, server, url, pid: server.child.pid };
}

/**
 * `rounds` notices posted on `on`, one at a time; each waits until every socket of `farms` has it.
 * Resolves with [{lastMs, perFarm: [lastMs…], responseMs}] for the rounds after the warm-up.
 */
async function measureRounds(phase, on, trigger, farms, rounds) {
  const samples = [];
  for (let round = 0; round < WARMUP + rounds; round++) {
    const title = `bench two-instances ${phase} ${round}`;
    const arrivals = farms.map((farm) => farm.waitNotice(title, PER_INSTANCE, EVENT_TIMEOUT_MS));
    let t0 = 0;
    const res = await request(`${on.url}/api/notices`, {
      method: 'POST', agent: trigger.agent, headers: trigger.headers, body: { title }, timeoutMs: EVENT_TIMEOUT_MS,
      onSend: () => (t0 = performance.timeOrigin + performance.now()),
    });
    if (res.status !== 201) throw new Error(`POST /api/notices on ${on.name} answered ${res.status} ${res.text}`);
    const got = await Promise.all(arrivals);
    if (round >= WARMUP) {
      const perFarm = got.map((g) => g.last - t0);
      samples.push({ lastMs: Math.max(...perFarm), perFarm, responseMs: res.at - (t0 - performance.timeOrigin) });
    }
    if (GAP_MS) await sleep(GAP_MS);
  }
  log(`${phase}: ${rounds} rounds done`);
  return samples;
}

async function main() {
  const info = machine();
  const build = buildInfo();
  const db = await createScratchDatabase();
  // B after A: A migrates and seeds, B finds the database ready (as a second instance would in production).
  const a = await startInstance('app-a', db.url);
  const b = await startInstance('app-b', db.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const trigger = { agent, headers: { authorization: `Bearer ${await login(a.url, 'commander', agent)}` } };
  const auth = { token: await login(a.url, 'viewer', agent) };
  const farmA = startFarm('farm-a', { nice: FARM_NICE });
  const farmB = startFarm('farm-b', { nice: FARM_NICE });
  const connect = async (farm, instance) => {
    const ready = await farm.connect({ url: instance.url, count: PER_INSTANCE, batch: BATCH, timeoutMs: CONNECT_TIMEOUT_MS, auth });
    log(`${PER_INSTANCE} sockets on ${instance.name} ready in ${(ready.connectMs / 1000).toFixed(1)} s`);
  };
  const half = Math.ceil(ROUNDS / 2);

  await connect(farmA, a);
  await sleep(2000);
  const rssOneA = memoryOf(a.pid);
  const one = await measureRounds('one instance (first half)', a, trigger, [farmA], half);

  await connect(farmB, b);
  await sleep(2000);
  const rss = { a: memoryOf(a.pid), b: memoryOf(b.pid) };
  const cpu0 = { a: cpuSeconds(a.pid), b: cpuSeconds(b.pid), at: performance.now() };
  const two = await measureRounds('two instances', a, trigger, [farmA, farmB], ROUNDS);
  const wallS = (performance.now() - cpu0.at) / 1000;
  const cores = { a: round2((cpuSeconds(a.pid) - cpu0.a) / wallS), b: round2((cpuSeconds(b.pid) - cpu0.b) / wallS) };
  const connections = await databaseConnections(db.url);
  const reports = await Promise.all([farmA.report(), farmB.report()]);
  const disconnects = reports.reduce((s, r) => s + r.disconnects, 0);
  if (disconnects) throw new Error(`${disconnects} sockets disconnected during the two-instance phase`);
  await farmB.close();

  one.push(...(await measureRounds('one instance (second half)', a, trigger, [farmA], ROUNDS - half)));
  if ((await farmA.report()).disconnects) throw new Error('sockets on A disconnected');
  await farmA.close();
  await Promise.all([farmA.stop(), farmB.stop()]);

  const oneLast = percentiles(one.map((s) => s.lastMs));
  const twoLast = percentiles(two.map((s) => s.lastMs));
  const onA = percentiles(two.map((s) => s.perFarm[0]));
  const onB = percentiles(two.map((s) => s.perFarm[1]));
  const ratio = (x, y) => round2(x / y);
  const result = {
    benchmark: 'two-instances',
    description: `an event committed on one of two app instances on one PostgreSQL server until the last of ${2 * PER_INSTANCE} staff sockets ` +
      `(${PER_INSTANCE} on each) has it, beside one instance with ${PER_INSTANCE} sockets in the same run; socket farms at nice ${FARM_NICE}`,
    machine: info,
    build,
    config: {
      clients: 2 * PER_INSTANCE, perInstance: PER_INSTANCE, rounds: ROUNDS, warmupPerPhase: WARMUP, gapMs: GAP_MS, farmNice: FARM_NICE,
      order: 'one instance (half the rounds), two instances (all rounds), one instance (the other half)',
      database: `PostgreSQL server, one scratch database for both instances on ${redactUrl(ADMIN_URL)}; no Redis`,
      trigger: 'POST /api/notices on instance A (commander): one notice.posted event',
    },
    oneInstance: { last: oneLast, response: percentiles(one.map((s) => s.responseMs)), rssMb: rssOneA.rssMb },
    twoInstances: { last: twoLast, onA, onB, response: percentiles(two.map((s) => s.responseMs)), rssMb: { a: rss.a.rssMb, b: rss.b.rssMb }, cores, connections },
    rows: [
      { metric: `two instances: last of ${2 * PER_INSTANCE} sockets (${PER_INSTANCE} on each) has the event, p99 (${ROUNDS} rounds; baseline: one instance, ${PER_INSTANCE} sockets)`, value: twoLast.p99, unit: 'ms', baseline: oneLast.p99, ratio: ratio(twoLast.p99, oneLast.p99), goal: null, met: null },
      { metric: 'the same, p50', value: twoLast.p50, unit: 'ms', baseline: oneLast.p50, ratio: ratio(twoLast.p50, oneLast.p50), goal: null, met: null },
      { metric: `two instances: last of the ${PER_INSTANCE} sockets on the other instance (B), p99 (baseline: those on A, where it was committed)`, value: onB.p99, unit: 'ms', baseline: onA.p99, ratio: ratio(onB.p99, onA.p99), goal: null, met: null },
      { metric: 'the same, p50', value: onB.p50, unit: 'ms', baseline: onA.p50, ratio: ratio(onB.p50, onA.p50), goal: null, met: null },
      { metric: `RSS of instance B with its ${PER_INSTANCE} sockets (baseline: A with its ${PER_INSTANCE})`, value: rss.b.rssMb, unit: 'MB', baseline: rss.a.rssMb, ratio: ratio(rss.b.rssMb, rss.a.rssMb), goal: null, met: null },
      { metric: `CPU of instance B over the two-instance phase, one event per ~${GAP_MS} ms (baseline: A)`, value: cores.b, unit: 'cores', baseline: cores.a, ratio: ratio(cores.b, cores.a), goal: null, met: null },
      { metric: `database connections the two instances held after the two-instance phase (baseline: the server's max_connections)`, value: connections.open, baseline: connections.serverMax, ratio: ratio(connections.open, connections.serverMax), goal: null, met: null },
    ],
  };
  writeResults(RESULTS_FILE, result);
  const unit = (r) => (r.unit ? ` ${r.unit}` : '');
  for (const r of result.rows) log(`${r.metric}: ${r.value}${unit(r)} (baseline ${r.baseline}${unit(r)})`);
  return 0;
}

run('two-instances', main, intEnv('BENCH_TIMEOUT_MS', 30 * 60_000, 1000));
