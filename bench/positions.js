// Position ingest benchmark (the issue: "position ingest ≥ 5,000 updates/s with coalesced map frames on
// ≤ 1 core", and issue #15: ack p99 ≤ 100 ms).
//
//   npm run build && node bench/positions.js          (npm run bench:positions)
//
// The compiled app (dist/main.js) runs in a child process on a scratch database on the PostgreSQL server
// (BENCH_DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres; dropped at the
// end) with the demo data, SOCKET_RATE_LIMIT=10000 (the per-socket budget is not what is measured) and
// SWEEP_INTERVAL_MS=1000. The bench adds BENCH_SENDERS (500) squads and squad leaders by SQL (the
// leaders reuse leader-001's password hash), logs them in, and connects their sockets from BENCH_FARMS
// (2) child processes (bench/socket-farm.js). For BENCH_DURATION_MS (15 s) every leader socket sends
// `squad.position` {lat, lng, accuracy} with an ack at a steady BENCH_RATE / BENCH_SENDERS per second
// (5,500/s in all, a tenth above the goal; a socket with BENCH_MAX_OUTSTANDING (20) unacked skips a send and it is counted).
// Measured: updates acknowledged WITHIN the sending window, per second of sending (an ack that comes
// back after the window is not counted: a server that falls behind must not score the backlog it
// clears afterwards; a socket never has more than BENCH_MAX_OUTSTANDING unacked, so such a server also
// makes the senders skip), every ack counted (late ones too) for comparison, ack latency p50/p99 (send →
// ack, every acked update, late ones included), the app
// process's CPU (utime + stime from /proc/<pid>/stat, before and after the window → cores), the
// machine's CPU (/proc/stat) and that of every postgres process, and the coalesced map frames: the
// squad.position events one staff dashboard socket (viewer, in this process) receives per second —
// bounded by the squads that moved per sweep, not by the updates.
//
// Baseline in the same run: bench/bare-broadcast-server.js, a bare socket.io server in a child process
// that acks each squad.position with {ok: true} and does nothing else; the same number of sockets from
// the same farms send at the same rate; its CPU and rate are measured the same way.
//
// Knobs: BENCH_SENDERS (500), BENCH_RATE (5500 updates/s in all), BENCH_DURATION_MS (15000),
// BENCH_MAX_OUTSTANDING (20), BENCH_FARMS (2), BENCH_BATCH (100), BENCH_DATABASE_URL, BENCH_RESULTS,
// BENCH_APP_NODE_ARGS / BENCH_BARE_NODE_ARGS, BENCH_STRICT=1.
import { createHmac } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { startFarm } from './socket-farm.js';
import { cpuSeconds, machineCores, machineCpu, startBareBroadcast } from './proc-stats.js';
import {
  ADMIN_URL, buildInfo, JWT_SECRET, connectSocket, onEachEvent, createScratchDatabase, intEnv, log, loginBody, login, machine, mapLimit, nodeArgsEnv, once, percentiles,
  outOfReach, performance, pgClient, redactUrl, RESULTS_DIR, round1, round2, run, sleep, startApp, stopChild, writeResults,
} from './support.js';

const SENDERS = intEnv('BENCH_SENDERS', 500, 1);
// Offered a tenth above the goal: a server that keeps up shows ≥ 5,000/s (offered exactly 5,000/s it
// could only ever reach 4,99x).
const RATE = intEnv('BENCH_RATE', 5500, 1);
const DURATION_MS = intEnv('BENCH_DURATION_MS', 15_000, 1000);
const MAX_OUTSTANDING = intEnv('BENCH_MAX_OUTSTANDING', 20, 1);
const FARMS = intEnv('BENCH_FARMS', 2, 1);
const BATCH = intEnv('BENCH_BATCH', 100, 1);
const STRICT = process.env.BENCH_STRICT === '1';
const LOGIN_ALL = process.env.BENCH_LOGIN_ALL === '1';
const RESULTS_FILE = process.env.BENCH_RESULTS || path.join(RESULTS_DIR, 'positions.json');
const GOAL_RATE = 5000;
const GOAL_CORES = 1;
const GOAL_ACK_P99_MS = 100;
const SWEEP_INTERVAL_MS = 1000;
const DEMO_SQUADS = 128;

/** CPU seconds of every process named postgres on this machine (the server's backends and workers). */
function postgresCpu() {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres') total += cpuSeconds(pid);
    } catch {
      // gone
    }
  }
  return total;
}

/** An HS256 access token for `user`, signed with the app's JWT_SECRET as TokenService.issue signs it. */
function mintToken(user) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: user.id, username: user.username, role: 'squad_leader', squadId: user.squad_id, iat: now, exp: now + 3600 })}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}

/** Adds SENDERS squads and their leaders; resolves with their {id, username, squad_id}. */
async function addLeaders(dbUrl) {
  const pg = await pgClient(dbUrl);
  const { rows: [hash] } = await pg.query("SELECT password_hash FROM users WHERE username = 'leader-001'");
  const { rows: [area] } = await pg.query('SELECT area_code FROM squads ORDER BY code LIMIT 1');
  if (!hash || !area) throw new Error('the demo data has no leader-001 or no squad');
  const { rows } = await pg.query(
    `WITH s AS (
       INSERT INTO squads (code, name, area_code)
       SELECT 'BENCH-' || lpad(i::text, 4, '0'), '基准队 ' || i, $2 FROM generate_series(1, $1::int) AS i
       RETURNING id, code)
     INSERT INTO users (username, password_hash, role, squad_id)
     SELECT 'bench-leader-' || substr(s.code, 7), $3, 'squad_leader', s.id FROM s
     RETURNING id, username, squad_id`,
    [SENDERS, area.area_code, hash.password_hash],
  );
  return { users: rows, pg };
}

/** One staff dashboard socket: counts squad.position events per second. */
async function dashboard(url, token) {
  const socket = connectSocket(url, { token });
  const d = { socket, times: [], events: 0, disconnects: 0 };
  onEachEvent(socket, (event) => {
    d.events++;
    if (event?.type === 'squad.position') d.times.push(performance.now());
  });
  socket.on('disconnect', (reason) => {
    d.disconnects++;
    log(`dashboard socket disconnected: ${reason}`);
  });
  await once(socket, 'replay.done', 30_000, 'dashboard replay.done');
  return d;
}

/** Transactions committed in the app's database so far (pg_stat_database; updated with a small delay). */
async function commits(pg) {
  if (!pg) return NaN;
  await pg.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await pg.query('SELECT xact_commit::bigint AS n FROM pg_stat_database WHERE datname = current_database()');
  return Number(rows[0].n);
}

/** Connects the senders from the farms, then has them send for DURATION_MS; resolves with what was measured. */
async function measure(name, pid, farms, url, auths, dash, pg) {
  const share = (i) => Math.floor(SENDERS / farms.length) + (i < SENDERS % farms.length ? 1 : 0);
  const started = Date.now();
  let offset = 0;
  await Promise.all(farms.map((farm, i) => {
    const mine = auths.slice(offset, offset + share(i));
    offset += share(i);
    return farm.connect({ url, count: mine.length, batch: BATCH, timeoutMs: 60_000, auths: mine });
  }));
  log(`${name}: ${SENDERS} sender sockets ready in ${((Date.now() - started) / 1000).toFixed(1)} s; sending ${RATE}/s for ${DURATION_MS / 1000} s`);
  await sleep(1000);
  const cpu0 = cpuSeconds(pid);
  const farmCpu0 = farms.map((f) => cpuSeconds(f.pid()));
  const pg0 = postgresCpu();
  const m0 = machineCpu();
  const commits0 = await commits(pg);
  const t0 = performance.now();
  const sent = await Promise.all(farms.map((f) => f.send({ ratePerSocket: RATE / SENDERS, durationMs: DURATION_MS, maxOutstanding: MAX_OUTSTANDING })));
  // The CPU over the window: read when the sends are over (the farms drain their last acks, ≤ 10 s).
  const cpu1 = cpuSeconds(pid);
  const farmCpu1 = farms.map((f) => cpuSeconds(f.pid()));
  const pg1 = postgresCpu();
  const m1 = machineCpu();
  const elapsed = (performance.now() - t0) / 1000;
  await sleep(600); // the statistics collector's delay
  const commits1 = await commits(pg);
  const sum = (k) => sent.reduce((s, r) => s + r[k], 0);
  const latencies = sent.flatMap((r) => r.latencies);
  const reports = await Promise.all(farms.map((f) => f.report()));
  const disconnects = reports.reduce((s, r) => s + r.disconnects, 0);
  await Promise.all(farms.map((f) => f.close()));
  // Frames at the dashboard during the window, per second.
  let frames;
  if (dash) {
    await sleep(SWEEP_INTERVAL_MS * 2); // the last sweep's events
    const inWindow = dash.times.filter((t) => t >= t0 && t < t0 + DURATION_MS + SWEEP_INTERVAL_MS);
    // One sweep's events arrive together: a gap of more than a quarter interval starts the next sweep.
    const sweeps = [];
    for (let i = 0; i < inWindow.length; i++) {
      if (i === 0 || inWindow[i] - inWindow[i - 1] > SWEEP_INTERVAL_MS / 4) sweeps.push(0);
      sweeps[sweeps.length - 1]++;
    }
    frames = { total: inWindow.length, perSecond: round1(inWindow.length / (DURATION_MS / 1000)), sweeps: sweeps.length, maxPerSweep: Math.max(0, ...sweeps), perSweep: sweeps };
  }
  const result = {
    sent: sum('sent'),
    acked: sum('acked'),
    ackedInWindow: sum('ackedInWindow'),
    refused: sum('refused'),
    skipped: sum('skipped'),
    unacked: sum('unacked'),
    lastRefusal: sent.find((r) => r.lastRefusal)?.lastRefusal,
    disconnects,
    offeredPerSecond: RATE,
    // Every update sent in the window and acked, late acks too (for comparison with the rate below).
    ackedPerSecond: round1(sum('acked') / (DURATION_MS / 1000)),
    // The rate the goal is judged on: only acks that came back before the sending window ended.
    ackedInWindowPerSecond: round1(sum('ackedInWindow') / (DURATION_MS / 1000)),
    ackLatency: percentiles(latencies),
    cpuSeconds: round2(cpu1 - cpu0),
    cores: round2((cpu1 - cpu0) / elapsed),
    clientCores: round2(farmCpu1.reduce((s, v, i) => s + v - farmCpu0[i], 0) / elapsed),
    postgresCores: round2((pg1 - pg0) / elapsed),
    machineCores: round2(machineCores(m0, m1, machine().cpus)),
    elapsedS: round2(elapsed),
    dbCommitsPerSecond: round1((commits1 - commits0) / elapsed),
    frames,
  };
  log(`${name}: ${result.ackedInWindowPerSecond} acked/s within the window, ${result.ackedPerSecond} with late acks (${result.sent} sent, ${result.skipped} skipped, ${result.refused} refused, ${result.unacked} unacked), ` +
    `ack p50 ${result.ackLatency.p50} ms p99 ${result.ackLatency.p99} ms; ${result.dbCommitsPerSecond} commits/s; CPU ${result.cores} cores (clients ${result.clientCores}, postgres ${result.postgresCores}, machine ${result.machineCores})` +
    (frames ? `; dashboard ${frames.perSecond} squad.position/s in ${frames.sweeps} sweeps (max ${frames.maxPerSweep} in one)` : ''));
  if (disconnects) throw new Error(`${name}: ${disconnects} sender sockets disconnected`);
  return result;
}

async function main() {
  const info = machine();
  const build = buildInfo();
  const farms = Array.from({ length: FARMS }, (_, i) => startFarm(`farm-${i + 1}`));
  const db = await createScratchDatabase();
  const app = await startApp({
    databaseUrl: db.url,
    nodeArgs: nodeArgsEnv('BENCH_APP_NODE_ARGS'),
    extraEnv: { NODE_ENV: 'production', SOCKET_RATE_LIMIT: '10000', SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) },
  });
  const { users, pg } = await addLeaders(db.url);
  const loginStarted = Date.now();
  // Argon2 logins take ~0.2–1 s each on this machine: log in a few for real (which proves the accounts
  // work), and sign the others' tokens with the app's JWT_SECRET (BENCH_LOGIN_ALL=1 logs every one in).
  const auths = await mapLimit(users, 4, async (user, i) => {
    if (i >= 4 && !LOGIN_ALL) return { token: mintToken(user) };
    const body = await loginBody(app.url, user.username);
    if (body.user?.squadId !== user.squad_id) throw new Error(`${user.username}: login answered squad ${body.user?.squadId}, expected ${user.squad_id}`);
    return { token: body.accessToken };
  });
  log(`${SENDERS} squads and leaders added; tokens in ${((Date.now() - loginStarted) / 1000).toFixed(1)} s`);
  const dash = await dashboard(app.url, await login(app.url, 'viewer'));
  const real = await measure('app', app.server.child.pid, farms, app.url, auths, dash, pg);
  dash.socket.close();
  await stopChild(app.server);

  const bareServer = await startBareBroadcast();
  const bare = await measure('bare', bareServer.server.child.pid, farms, bareServer.url, auths.map(() => ({})), null);
  await stopChild(bareServer.server);
  await Promise.all(farms.map((f) => f.stop()));

  const rateMet = real.ackedInWindowPerSecond >= GOAL_RATE;
  const coresMet = real.cores <= GOAL_CORES;
  const ackMet = real.ackLatency.p99 <= GOAL_ACK_P99_MS;
  const framesMet = real.frames ? real.frames.maxPerSweep <= SENDERS + DEMO_SQUADS : null;
  const result = {
    benchmark: 'positions',
    description: `${SENDERS} squad leaders' sockets sending squad.position at ${RATE}/s in all for ${DURATION_MS / 1000} s: updates acked within the sending window per second, ack latency p50/p99, the app's CPU, the coalesced squad.position frames at a dashboard; against a bare socket.io server that only acks`,
    machine: info,
    build,
    config: {
      senders: SENDERS, offeredPerSecond: RATE, durationMs: DURATION_MS, maxOutstanding: MAX_OUTSTANDING, farms: FARMS,
      appEnv: { SOCKET_RATE_LIMIT: 10000, SWEEP_INTERVAL_MS, NODE_ENV: 'production' },
      database: `PostgreSQL server, scratch database on ${redactUrl(ADMIN_URL)}`,
      baseline: 'bench/bare-broadcast-server.js: acks squad.position with {ok: true}, nothing else',
      bareSocketIo: bareServer.socketIo,
    },
    goal: { minPerSecond: GOAL_RATE, maxCores: GOAL_CORES, ackP99MaxMs: GOAL_ACK_P99_MS, rateMet, coresMet, ackMet, framesMet },
    real,
    bare,
    pass: rateMet && coresMet && ackMet && framesMet !== false,
    rows: [
      { metric: `position updates acked within the sending window, per second (${SENDERS} sockets, ${RATE}/s offered, ≤ ${MAX_OUTSTANDING} unacked each; late acks not counted)`, value: real.ackedInWindowPerSecond, unit: '/s', baseline: bare.ackedInWindowPerSecond, ratio: round2(real.ackedInWindowPerSecond / bare.ackedInWindowPerSecond), goal: `≥ ${GOAL_RATE}/s`, met: rateMet },
      { metric: 'the same with late acks counted (for comparison)', value: real.ackedPerSecond, unit: '/s', baseline: bare.ackedPerSecond, ratio: round2(real.ackedPerSecond / bare.ackedPerSecond), goal: null, met: null },
      { metric: 'app CPU while ingesting (utime + stime / wall)', value: real.cores, unit: 'cores', baseline: bare.cores, ratio: round2(real.cores / bare.cores), goal: `≤ ${GOAL_CORES} core at ≥ ${GOAL_RATE}/s`, met: coresMet && rateMet },
      { metric: 'app CPU per 1,000 updates/s acked within the window (≤ 0.2 meets both goals at once)', value: round2(real.cores / (real.ackedInWindowPerSecond / 1000)), unit: 'cores', baseline: round2(bare.cores / (bare.ackedInWindowPerSecond / 1000)), ratio: round2((real.cores / real.ackedInWindowPerSecond) / (bare.cores / bare.ackedInWindowPerSecond)), goal: null, met: null },
      { metric: 'ack latency p99 (send → ack, every acked update)', value: real.ackLatency.p99, unit: 'ms', baseline: bare.ackLatency.p99, ratio: round2(real.ackLatency.p99 / bare.ackLatency.p99), goal: `≤ ${GOAL_ACK_P99_MS} ms`, met: ackMet,
        outOfReach: outOfReach(bare.ackLatency.p99, GOAL_ACK_P99_MS, `the bare server's own ack p99 is ${bare.ackLatency.p99} ms`) },
      { metric: 'ack latency p50', value: real.ackLatency.p50, unit: 'ms', baseline: bare.ackLatency.p50, ratio: round2(real.ackLatency.p50 / bare.ackLatency.p50), goal: null, met: null },
      { metric: 'PostgreSQL CPU while ingesting (all postgres processes)', value: real.postgresCores, unit: 'cores', baseline: bare.postgresCores, goal: null, met: null },
      ...(real.frames
        ? [
            { metric: 'squad.position events at one dashboard per second (baseline: updates acked/s within the window)', value: real.frames.perSecond, unit: '/s', baseline: real.ackedInWindowPerSecond, ratio: round2(real.frames.perSecond / real.ackedInWindowPerSecond), goal: null, met: null },
            { metric: `the most squad.position events in one sweep (${real.frames.sweeps} sweeps in ${DURATION_MS / 1000} s)`, value: real.frames.maxPerSweep, goal: `≤ ${SENDERS + DEMO_SQUADS} squads`, met: framesMet },
          ]
        : []),
    ],
  };
  writeResults(RESULTS_FILE, result);
  for (const r of result.rows) log(`${r.metric}: ${r.value}${r.unit ? ` ${r.unit}` : ''} (baseline ${r.baseline})${r.goal ? ` — goal ${r.goal}: ${r.met ? 'met' : 'NOT met'}` : ''}`);
  return STRICT && !result.pass ? 1 : 0;
}

run('positions', main, 20 * 60_000);
