// Replay benchmark (the issue: "10,000 missed events must replay in well under a second on the server
// database"): a client that reconnects with the id of the last event it had gets the 10,000 events it
// missed, then 'replay.done'.
//
//   npm run build && node bench/replay.js
//
// Server database: a fresh database (pingji_bench_<pid>_<random>) on the PostgreSQL server at
// BENCH_DATABASE_URL, TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres, dropped at the
// end (also on failure); the compiled app (dist/main.js) in a child process on it with the demo data.
// The 10,000 events are appended with pg in one transaction the way EventsService.append does it (the
// event-log advisory lock, one INSERT … SELECT generate_series, pg_notify), shaped like the app's
// notice.posted. Then, BENCH_RUNS times, a fresh socket.io-client (viewer, websocket only) connects
// with {token, lastEventId: <the id before them>}; the clock runs from creating the socket until its
// 'replay.done', and every run is checked: exactly the 10,000 ids, strictly increasing, no duplicates.
//
// Baseline (same run, interleaved ABBA with the server-database runs): bench/bare-replay-server.js, a
// bare socket.io server in a child process that sends a connecting socket the same 10,000 events (the
// ones the app replayed, so the same shape and size) and 'replay.done'.
//
// Embedded database (PGLITE_DIR=memory://): the bench cannot reach it with pg, so the events go in
// through POST /api/notices (commander), BENCH_EMBEDDED_CONCURRENCY (20) at a time, within
// BENCH_EMBEDDED_BUDGET_MS (120000); if that budget runs out the embedded part is reported as skipped.
// BENCH_EMBEDDED=0 skips it.
//
// Knobs: BENCH_EVENTS (10000), BENCH_RUNS (5), BENCH_WARMUP (1), BENCH_GAP_MS (200), BENCH_DATABASE_URL,
// BENCH_STRICT=1 (exit 1 when a server-database replay takes ≥ 1 s), BENCH_VERBOSE=1, BENCH_RESULTS,
// BENCH_APP_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ADMIN_URL,
  checkDist,
  childEnv,
  connectSocket,
  onEachEvent,
  createScratchDatabase,
  freePort,
  intEnv,
  log,
  login,
  machine,
  once,
  performance,
  pgClient,
  redactUrl,
  request,
  RESULTS_DIR,
  round1,
  round2,
  run,
  sleep,
  startApp,
  startChild,
  stopChild,
  summarize,
  tempDir,
  waitHealthy,
  writeResults,
} from './support.js';

const EVENTS = intEnv('BENCH_EVENTS', 10_000, 1);
const RUNS = intEnv('BENCH_RUNS', 5, 1);
const WARMUP = intEnv('BENCH_WARMUP', 1, 0);
const GAP_MS = intEnv('BENCH_GAP_MS', 200, 0);
const EMBEDDED = process.env.BENCH_EMBEDDED !== '0';
const EMBEDDED_CONCURRENCY = intEnv('BENCH_EMBEDDED_CONCURRENCY', 20, 1);
const EMBEDDED_BUDGET_MS = intEnv('BENCH_EMBEDDED_BUDGET_MS', 120_000, 1000);
const STRICT = process.env.BENCH_STRICT === '1';
const RESULTS_FILE = process.env.BENCH_RESULTS || path.join(RESULTS_DIR, 'replay.json');
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS || '').split(/\s+/).filter(Boolean);
const BARE_ENTRY = fileURLToPath(new URL('./bare-replay-server.js', import.meta.url));
const REPLAY_TIMEOUT_MS = 60_000;
const GOAL_MS = 1000;
/** The app's event-log lock and channel (src/events/events.service.ts). */
const EVENT_LOG_LOCK = 7_400_001;
const EVENTS_CHANNEL = 'pingji_events';

/**
 * Connects a socket that has nothing to replay and returns the relay's high-water mark from its
 * 'replay.done' (the gateway sends the mark when the handshake has no lastEventId).
 */
async function relayHighWater(url, token) {
  return BigInt((await relayPosition(url, token)).lastEventId);
}

/** replay.done of a fresh socket: the relay's high-water mark and the log's epoch. */
async function relayPosition(url, token) {
  const socket = connectSocket(url, { token });
  try {
    return await once(socket, 'replay.done', 15_000, 'probe replay.done');
  } finally {
    socket.close();
  }
}

/** Waits until the app's relay has delivered `lastId`, so a replay ends at the events appended. */
async function waitRelay(url, token, lastId) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const hw = await relayHighWater(url, token);
    if (hw >= lastId) return;
    if (Date.now() > deadline) throw new Error(`the relay is at ${hw}, not ${lastId}, after 30 s`);
    await sleep(100);
  }
}

/**
 * One replay: a fresh socket with {token, lastEventId: afterId}; resolves when 'replay.done' has come
 * after every expected event. Times in ms from creating the socket.
 */
async function replayOnce(url, auth, expectedIds) {
  const received = [];
  let lastId = 0n;
  let duplicates = 0;
  let outOfOrder = 0;
  const t0 = performance.now();
  const socket = connectSocket(url, auth);
  let connectedAt = NaN;
  let firstEventAt = NaN;
  socket.once('connect', () => (connectedAt = performance.now()));
  onEachEvent(socket, (event) => {
    if (received.length === 0) firstEventAt = performance.now();
    const id = BigInt(event.id);
    if (id === lastId) duplicates++;
    else if (id < lastId) outOfOrder++;
    if (id > lastId) lastId = id;
    received.push(event);
  });
  try {
    const done = await once(socket, 'replay.done', REPLAY_TIMEOUT_MS, `replay.done from ${url}`);
    const doneAt = performance.now();
    // Anything after replay.done would be live; give a duplicate a moment to show.
    await sleep(50);
    if (duplicates || outOfOrder) throw new Error(`replay from ${url}: ${duplicates} duplicates, ${outOfOrder} out of order`);
    // Exactly the expected events, in order; events the app appended since (its own scheduled jobs)
    // may follow them, as they come after in id order.
    if (received.length < expectedIds.length) throw new Error(`replay from ${url}: ${received.length} events, expected ${expectedIds.length}`);
    for (let i = 0; i < expectedIds.length; i++) {
      if (received[i].id !== expectedIds[i]) throw new Error(`replay from ${url}: event #${i} has id ${received[i].id}, expected ${expectedIds[i]}`);
    }
    if (done.lastEventId !== received[received.length - 1].id) {
      throw new Error(`replay from ${url}: replay.done says ${done.lastEventId}, the last event replayed was ${received[received.length - 1].id}`);
    }
    return {
      extra: received.length - expectedIds.length,
      total: doneAt - t0,
      handshake: connectedAt - t0,
      afterConnect: doneAt - connectedAt,
      firstEvent: firstEventAt - t0,
      events: received.length,
      received,
    };
  } finally {
    socket.close();
  }
}

// ---------------------------------------------------------------------------------------------------
// Targets

async function serverTarget() {
  const database = await createScratchDatabase();
  const app = await startApp({ databaseUrl: database.url, name: 'app-server', nodeArgs: APP_NODE_ARGS });
  const db = await pgClient(database.url);
  const token = await login(app.url, 'viewer');
  const [{ id: actorId }] = (await db.query(`SELECT id FROM users WHERE username = 'commander'`)).rows;
  const [{ before }] = (await db.query('SELECT coalesce(max(id), 0)::text AS before FROM events')).rows;
  const started = performance.now();
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1)', [EVENT_LOG_LOCK]);
    await db.query(
      `INSERT INTO events (type, severity, audience, exercise, actor_id, actor_name, payload)
       SELECT 'notice.posted', 'info', 'everyone', false, $2, 'commander',
              jsonb_build_object('title', '台风预警 bench notice ' || g, 'body', null)
       FROM generate_series(1, $1::int) AS g`,
      [EVENTS, actorId],
    );
    const [{ last }] = (await db.query('SELECT max(id)::text AS last FROM events')).rows;
    await db.query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, last]);
    await db.query('COMMIT');
  } catch (e) {
    await db.query('ROLLBACK');
    throw e;
  }
  const expectedIds = (await db.query('SELECT id::text AS id FROM events WHERE id > $1 ORDER BY events.id', [before])).rows.map((r) => r.id);
  if (expectedIds.length < EVENTS) throw new Error(`${expectedIds.length} events after ${before}, expected at least ${EVENTS}`);
  if (expectedIds.length > EVENTS) log(`server database: ${expectedIds.length - EVENTS} events of the app's own besides the ${EVENTS}; they are replayed too`);
  log(`server database: ${EVENTS} events appended with pg in one transaction in ${round1(performance.now() - started)} ms (ids ${expectedIds[0]}…${expectedIds.at(-1)})`);
  await waitRelay(app.url, token, BigInt(expectedIds.at(-1)));
  return {
    name: 'server',
    label: 'Pingji, PostgreSQL server',
    url: app.url,
    app,
    // The id is resumed from only together with the log's epoch (the gateway ignores it otherwise).
    auth: { token, lastEventId: before, epoch: (await db.query('SELECT epoch::text AS epoch FROM log_identity')).rows[0].epoch },
    before,
    expectedIds,
  };
}

/** The embedded database: events through POST /api/notices, bounded concurrency, within a budget. */
async function embeddedTarget() {
  const app = await startApp({ name: 'app-embedded', nodeArgs: APP_NODE_ARGS });
  const viewerToken = await login(app.url, 'viewer');
  const agent = new http.Agent({ keepAlive: true, maxSockets: EMBEDDED_CONCURRENCY });
  const commanderToken = await login(app.url, 'commander', agent);
  // The id is resumed from only together with the log's epoch (the gateway ignores it otherwise).
  const { lastEventId: before, epoch } = await relayPosition(app.url, viewerToken);
  const ids = [];
  let next = 0;
  let failed;
  const deadline = Date.now() + EMBEDDED_BUDGET_MS;
  const started = performance.now();
  const worker = async () => {
    while (next < EVENTS && !failed) {
      if (Date.now() > deadline) {
        failed = new Error(`budget of ${EMBEDDED_BUDGET_MS} ms used up after ${ids.length} notices`);
        failed.budget = true;
        return;
      }
      const n = ++next;
      const res = await request(`${app.url}/api/notices`, {
        method: 'POST',
        agent,
        headers: { authorization: `Bearer ${commanderToken}` },
        body: { title: `台风预警 bench notice ${n}` },
      });
      if (res.status !== 201) {
        failed = new Error(`POST /api/notices answered ${res.status} ${res.text.slice(0, 300)}`);
        return;
      }
      ids.push(res.body.id);
      if (ids.length % 2000 === 0) log(`embedded: ${ids.length}/${EVENTS} notices posted (${round1((performance.now() - started) / 1000)} s)`);
    }
  };
  await Promise.all(Array.from({ length: EMBEDDED_CONCURRENCY }, worker));
  const appendMs = performance.now() - started;
  agent.destroy();
  if (failed) {
    if (failed.budget) return { skipped: failed.message, app };
    throw failed;
  }
  const noticeIds = ids.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  log(`embedded database: ${EVENTS} notices posted in ${round1(appendMs / 1000)} s (${EMBEDDED_CONCURRENCY} at a time; ids ${noticeIds[0]}…${noticeIds.at(-1)})`);
  await waitRelay(app.url, viewerToken, BigInt(noticeIds.at(-1)));
  // The app's own jobs may have appended events among the notices: the replay must send those too.
  // What the viewer may see after `before`, read through the REST API (the same visibility rule).
  const expectedIds = [];
  for (let after = before; ; ) {
    const res = await request(`${app.url}/api/events?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${viewerToken}` } });
    if (res.status !== 200) throw new Error(`GET /api/events answered ${res.status} ${res.text.slice(0, 300)}`);
    for (const e of res.body) expectedIds.push(e.id);
    if (res.body.length < 1000) break;
    after = res.body.at(-1).id;
  }
  const listed = new Set(expectedIds);
  const missing = noticeIds.filter((id) => !listed.has(id));
  if (missing.length) throw new Error(`GET /api/events does not list ${missing.length} of the notices posted (e.g. ${missing[0]})`);
  if (expectedIds.length !== noticeIds.length) log(`embedded database: ${expectedIds.length - noticeIds.length} events of the app's own among the notices; they are replayed too`);
  return {
    name: 'embedded',
    label: 'Pingji, embedded PostgreSQL (PGlite, memory://)',
    url: app.url,
    app,
    auth: { token: viewerToken, lastEventId: before, epoch },
    before,
    expectedIds,
    appendMs,
  };
}

async function bareTarget(events) {
  const file = path.join(tempDir('pingji-bench-replay-'), 'events.json');
  writeFileSync(file, JSON.stringify(events));
  const port = await freePort();
  const server = startChild('bare', BARE_ENTRY, childEnv({ PORT: String(port), EVENTS_FILE: file }));
  const url = `http://127.0.0.1:${port}`;
  const health = await waitHealthy(server, `${url}/health`, 30_000);
  log(`bare socket.io ${health?.socketIo} replay server healthy on ${url} (${health?.events} events)`);
  return { name: 'bare', label: `bare socket.io ${health?.socketIo} (emit × ${events.length})`, url, server, auth: {}, expectedIds: events.map((e) => e.id), socketIo: health?.socketIo };
}

// ---------------------------------------------------------------------------------------------------

function describe(samples) {
  return {
    total: summarize(samples.map((s) => s.total)),
    handshake: summarize(samples.map((s) => s.handshake)),
    afterConnect: summarize(samples.map((s) => s.afterConnect)),
    firstEvent: summarize(samples.map((s) => s.firstEvent)),
    samples: samples.map((s) => ({ total: round2(s.total), handshake: round2(s.handshake), afterConnect: round2(s.afterConnect), firstEvent: round2(s.firstEvent), events: s.events, extra: s.extra })),
  };
}

/** Runs the targets' replays interleaved (ABBA …), WARMUP uncounted rounds first. */
async function measure(targets) {
  const samples = Object.fromEntries(targets.map((t) => [t.name, []]));
  for (let round = 0; round < WARMUP + RUNS; round++) {
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    const line = [];
    for (const target of order) {
      const s = await replayOnce(target.url, target.auth, target.expectedIds);
      if (round >= WARMUP) samples[target.name].push(s);
      line.push(`${target.name} ${round1(s.total)} ms`);
      if (GAP_MS) await sleep(GAP_MS);
    }
    log(`${round < WARMUP ? 'warm-up' : `run ${round - WARMUP + 1}/${RUNS}`}: ${line.join(', ')}`);
  }
  return samples;
}

function printResults(r) {
  const ms = (v) => `${v.toFixed(1)} ms`.padStart(11);
  const row = (name, s) => `  ${name.padEnd(62)}${ms(s.median)}${ms(s.worst)}${ms(s.best)}`;
  const m = r.machine;
  console.log('');
  console.log(`Replay: ${EVENTS} missed events to one reconnecting socket (viewer), ${RUNS} runs each (after ${WARMUP} warm-up), fresh socket per run`);
  console.log(`Machine: ${m.cpus} × ${m.cpuModel}, ${m.totalMemMb} MB, ${m.platform}, Node ${m.node}, load ${m.loadAvg.join(' ')} at the start, ${m.loadAvgEnd.join(' ')} at the end, ${m.date}`);
  console.log('');
  console.log(`  ${'socket created → replay.done'.padEnd(62)}${'median'.padStart(11)}${'worst'.padStart(11)}${'best'.padStart(11)}`);
  const labels = { server: r.server?.label, bare: `${r.bare.label}, beside the server runs`, embedded: r.embedded?.label, bareWithEmbedded: `${r.bare.label}, beside the embedded runs` };
  for (const key of ['server', 'bare', 'embedded', 'bareWithEmbedded']) {
    if (r[key]?.total) console.log(row(labels[key], r[key].total));
  }
  if (r.embedded?.skipped) console.log(`  embedded database: skipped — ${r.embedded.skipped}`);
  console.log('');
  for (const key of ['server', 'embedded']) {
    if (r.ratio[key]) console.log(`  ratio ${key}/bare (the bare runs interleaved with it): median ${r.ratio[key].median.toFixed(2)}×, worst ${r.ratio[key].worst.toFixed(2)}×`);
  }
  console.log(`  goal "well under a second" on the server database (< ${GOAL_MS} ms, median and worst): ${r.pass ? 'met' : 'NOT met'}`);
  console.log('');
  console.log('  for diagnosis (medians):');
  for (const key of ['server', 'bare', 'embedded', 'bareWithEmbedded']) {
    if (!r[key]?.total) continue;
    console.log(`    ${key.padEnd(17)} handshake ${r[key].handshake.median} ms, first event ${r[key].firstEvent.median} ms, connect → replay.done ${r[key].afterConnect.median} ms`);
  }
  if (r.embedded?.appendMs) console.log(`    embedded: appending ${EVENTS} notices over HTTP took ${round1(r.embedded.appendMs / 1000)} s`);
  console.log('');
}

async function main() {
  checkDist();
  const info = machine();
  log(`${EVENTS} events, ${RUNS} runs (+${WARMUP} warm-up); ${info.cpus} × ${info.cpuModel}, Node ${info.node}`);

  const server = await serverTarget();
  // The first replay's events feed the baseline server, so it sends the very same messages.
  const probe = await replayOnce(server.url, server.auth, server.expectedIds);
  const events = probe.received;
  const bare = await bareTarget(events);
  const serverSamples = await measure([server, bare]);
  await stopChild(server.app.server);

  let embedded;
  let embeddedSamples;
  let bareWithEmbedded;
  if (EMBEDDED) {
    embedded = await embeddedTarget();
    if (!embedded.skipped) {
      const samples = await measure([embedded, bare]);
      embeddedSamples = samples[embedded.name];
      bareWithEmbedded = samples.bare;
    }
    await stopChild(embedded.app.server);
  }

  const result = {
    benchmark: 'replay',
    description: `a socket reconnecting with lastEventId gets the ${EVENTS} events it missed: time from creating the socket until 'replay.done', every event checked`,
    machine: info,
    config: {
      events: EVENTS,
      runs: RUNS,
      warmup: WARMUP,
      gapMs: GAP_MS,
      user: 'viewer',
      eventShape: 'notice.posted {title, body: null}, audience everyone',
      serverDatabase: `PostgreSQL server (${redactUrl(ADMIN_URL)}, scratch database); events appended with pg in one transaction`,
      embeddedDatabase: EMBEDDED ? `PGlite memory://; events via POST /api/notices, ${EMBEDDED_CONCURRENCY} concurrent` : 'skipped (BENCH_EMBEDDED=0)',
      baseline: 'bench/bare-replay-server.js: bare socket.io, the same events emitted on connection, then replay.done',
      bareSocketIo: bare.socketIo,
      order: 'interleaved with the baseline (ABBA)',
    },
    goal: { text: '10,000 missed events must replay in well under a second on the server database', maxMs: GOAL_MS },
    server: { label: server.label, ...describe(serverSamples.server) },
    bare: { label: bare.label, note: 'interleaved with the server-database runs', ...describe(serverSamples.bare) },
    embedded: embedded?.skipped
      ? { skipped: embedded.skipped }
      : embeddedSamples
        ? { label: embedded.label, appendMs: round1(embedded.appendMs), ...describe(embeddedSamples) }
        : undefined,
    bareWithEmbedded: bareWithEmbedded ? { label: bare.label, note: 'interleaved with the embedded-database runs', ...describe(bareWithEmbedded) } : undefined,
    ratio: {},
  };
  // Each app against the baseline runs it was interleaved with.
  const ratio = (a, b) => ({ median: round2(a.total.median / b.total.median), worst: round2(a.total.worst / b.total.worst) });
  result.ratio.server = ratio(result.server, result.bare);
  if (result.embedded?.total) result.ratio.embedded = ratio(result.embedded, result.bareWithEmbedded);
  result.pass = result.server.total.median < GOAL_MS && result.server.total.worst < GOAL_MS;
  // The table rows bench/run-all.js puts into BENCHMARKS.md: each app against the bare runs beside it.
  const rowsOf = (key, bareKey, goal) =>
    ['median', 'worst'].map((stat) => ({
      metric: `${result[key].label}: replay done, ${stat}`,
      value: result[key].total[stat],
      unit: 'ms',
      baseline: result[bareKey].total[stat],
      ratio: result.ratio[key][stat],
      goal: goal ? `< ${GOAL_MS} ms` : undefined,
      met: goal ? result[key].total[stat] < GOAL_MS : null,
    }));
  result.rows = [
    ...rowsOf('server', 'bare', true),
    ...(result.embedded?.total
      ? rowsOf('embedded', 'bareWithEmbedded', false)
      : EMBEDDED
        ? [{ metric: 'embedded database', value: `skipped: ${result.embedded?.skipped}`, met: null }]
        : []),
  ];
  writeResults(RESULTS_FILE, result);
  printResults(result);
  await stopChild(bare.server);
  return STRICT && !result.pass ? 1 : 0;
}

run('replay', main, intEnv('BENCH_TIMEOUT_MS', 15 * 60_000, 1000));
