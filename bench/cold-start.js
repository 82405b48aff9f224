// Cold start benchmark (the issue: "embedded cold start ≤ 6 s and ≤ 2 s with data").
//
//   npm run build && node bench/cold-start.js          (npm run bench:cold-start)
//
// Time from spawning `node dist/main.js` with the embedded database in a fresh folder (PGLITE_DIR=<new
// temp dir>/pglite, no DATABASE_URL, DEMO_DATA=true, NODE_ENV=production) until GET /health answers 200
// (polled every 20 ms): "fresh" copies the build's template folder in (src/database/embedded-template.ts),
// runs the migrations and seeds the demo data. Then the app is stopped (SIGTERM) and started again on
// the same folder: "with data". BENCH_RUNS (3) runs of each, every run in a new folder.
// Baselines in the same run, interleaved with the app's runs:
//   - PGlite alone: node with a minimal script that readies the folder as the app does, then
//     `await PGlite.create(dir)` and `select 1`, in a fresh folder, and again in the same folder (with
//     data), timed from the spawn until it prints "ready" — how much of the app's start is PGlite itself;
//   - PGlite on an empty folder (initdb): what a fresh folder costs without the template;
//   - `node -e ''`: spawn to exit, the floor of any Node process here.
//
// Knobs: BENCH_RUNS (3), BENCH_RESULTS, BENCH_APP_NODE_ARGS, BENCH_STRICT=1.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  buildInfo, CHILD_ENV_STRIP, childEnv, freePort, intEnv, JWT_SECRET, log, machine, nodeArgsEnv, outOfReach, performance, request, RESULTS_DIR, ROOT, round1,
  round2, run, SERVER_ENTRY, setTimeout, clearTimeout, sleep, startChild, stopChild, summarize, tempDir, writeResults,
} from './support.js';

const RUNS = intEnv('BENCH_RUNS', 3, 1);
const STRICT = process.env.BENCH_STRICT === '1';
const RESULTS_FILE = process.env.BENCH_RESULTS || path.join(RESULTS_DIR, 'cold-start.json');
const GOAL_FRESH_MS = 6000;
const GOAL_DATA_MS = 2000;
const BOOT_TIMEOUT_MS = 120_000;

/** Spawns the app on `dir`; resolves with the ms from spawn to /health 200, and the running child. */
async function startAppOn(dir, name) {
  const port = await freePort();
  const env = childEnv({
    PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dir, PGLITE_DIR: path.join(dir, 'pglite'), JWT_SECRET, DEMO_DATA: 'true', NODE_ENV: 'production', LOG_LEVEL: 'warn',
  });
  const t0 = performance.now();
  const child = startChild(name, SERVER_ENTRY, env, nodeArgsEnv('BENCH_APP_NODE_ARGS'));
  const deadline = t0 + BOOT_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.child.exitCode !== null || child.child.signalCode !== null) throw new Error(`${name} exited before /health answered. Its output:\n${child.tail()}`);
    try {
      const res = await request(`http://127.0.0.1:${port}/health`, { agent: false, timeoutMs: 2000 });
      if (res.status === 200) return { ms: performance.now() - t0, child };
    } catch {
      // not listening yet
    }
    await sleep(20);
  }
  throw new Error(`${name}: /health not 200 after ${BOOT_TIMEOUT_MS} ms. Its output:\n${child.tail()}`);
}

// PGlite alone on the folder as the app readies it (a new one copied from the build's template), or,
// with "initdb", on an empty folder: what a new folder costs without the template.
const TEMPLATE_MODULE = pathToFileURL(path.join(ROOT, 'dist', 'database', 'embedded-template.js')).href;
const PGLITE_SCRIPT = `
import { PGlite } from '@electric-sql/pglite';
import { prepareEmbeddedFolder } from '${TEMPLATE_MODULE}';
const [dir, how] = process.argv.slice(1);
const db = await PGlite.create(how === 'initdb' ? dir : await prepareEmbeddedFolder(dir));
await db.query('select 1');
process.stdout.write('ready\\n');
await db.close();`;

/** Spawns node with `args`; resolves with the ms until it prints "ready" (or, with `untilExit`, exits 0). */
function timeNode(args, { untilExit = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: childEnv({}, CHILD_ENV_STRIP), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let readyAt;
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => {
      out += d;
      if (readyAt === undefined && out.includes('ready')) readyAt = performance.now() - t0;
    });
    child.stderr.on('data', (d) => (out += d));
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`node ${args.join(' ').slice(0, 80)} exited ${code}: ${out.slice(-2000)}`));
      else if (untilExit) resolve(performance.now() - t0);
      else if (readyAt === undefined) reject(new Error(`node ${args.join(' ').slice(0, 80)} never printed ready: ${out.slice(-2000)}`));
      else resolve(readyAt);
    });
  });
}

async function main() {
  const info = machine();
  const build = buildInfo();
  const samples = { appFresh: [], appData: [], pgliteFresh: [], pgliteData: [], pgliteInitdb: [], node: [] };
  for (let i = 0; i < RUNS; i++) {
    samples.node.push(await timeNode(['-e', ''], { untilExit: true }));
    const pgDir = path.join(tempDir('pingji-coldstart-pglite-'), 'db');
    samples.pgliteFresh.push(await timeNode(['--input-type=module', '-e', PGLITE_SCRIPT, pgDir]));
    samples.pgliteInitdb.push(await timeNode(['--input-type=module', '-e', PGLITE_SCRIPT, path.join(tempDir('pingji-coldstart-initdb-'), 'db'), 'initdb']));
    const dir = tempDir('pingji-coldstart-');
    const fresh = await startAppOn(dir, `app-fresh-${i + 1}`);
    samples.appFresh.push(fresh.ms);
    await stopChild(fresh.child);
    samples.pgliteData.push(await timeNode(['--input-type=module', '-e', PGLITE_SCRIPT, pgDir]));
    const again = await startAppOn(dir, `app-data-${i + 1}`);
    samples.appData.push(again.ms);
    await stopChild(again.child);
    log(`run ${i + 1}/${RUNS}: app fresh ${round1(fresh.ms)} ms, with data ${round1(again.ms)} ms; PGlite alone fresh ${round1(samples.pgliteFresh.at(-1))} ms, ` +
      `with data ${round1(samples.pgliteData.at(-1))} ms, initdb ${round1(samples.pgliteInitdb.at(-1))} ms; node -e '' ${round1(samples.node.at(-1))} ms`);
  }
  const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
  const freshMet = s.appFresh.median <= GOAL_FRESH_MS;
  const dataMet = s.appData.median <= GOAL_DATA_MS;
  const result = {
    benchmark: 'cold-start',
    description: `embedded database: spawning node dist/main.js until /health answers 200, in a fresh folder and again with its data; median of ${RUNS}, against PGlite alone and node -e ''`,
    machine: info,
    build,
    config: { runs: RUNS, appEnv: { DEMO_DATA: true, NODE_ENV: 'production', PGLITE_DIR: '<new temp dir>/pglite' }, poll: '/health every 20 ms', baseline: 'node -e: the folder readied as the app does (a new one copied from the build\'s template), PGlite.create(dir) + select 1 (until it prints ready); the same on an empty folder with initdb; node -e \'\' (until exit)' },
    samples: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.map(round1)])),
    summary: s,
    goal: { freshMaxMs: GOAL_FRESH_MS, withDataMaxMs: GOAL_DATA_MS, freshMet, dataMet },
    pass: freshMet && dataMet,
    rows: [
      { metric: `cold start, fresh folder (copy the template, migrate, seed), median of ${RUNS} (baseline: PGlite alone, the same copy and PGlite.create)`, value: s.appFresh.median, unit: 'ms', baseline: s.pgliteFresh.median, ratio: round2(s.appFresh.median / s.pgliteFresh.median), goal: `≤ ${GOAL_FRESH_MS} ms`, met: freshMet,
        outOfReach: outOfReach(s.pgliteFresh.median, GOAL_FRESH_MS, `PGlite alone takes ${s.pgliteFresh.median} ms`) },
      { metric: 'cold start, fresh folder, worst', value: s.appFresh.worst, unit: 'ms', baseline: s.pgliteFresh.worst, ratio: round2(s.appFresh.worst / s.pgliteFresh.worst), goal: null, met: null },
      { metric: `cold start with data, median of ${RUNS} (baseline: PGlite.create on the existing folder)`, value: s.appData.median, unit: 'ms', baseline: s.pgliteData.median, ratio: round2(s.appData.median / s.pgliteData.median), goal: `≤ ${GOAL_DATA_MS} ms`, met: dataMet,
        outOfReach: outOfReach(s.pgliteData.median, GOAL_DATA_MS, `PGlite alone takes ${s.pgliteData.median} ms`) },
      { metric: 'cold start with data, worst', value: s.appData.worst, unit: 'ms', baseline: s.pgliteData.worst, ratio: round2(s.appData.worst / s.pgliteData.worst), goal: null, met: null },
      { metric: 'PGlite alone on an empty folder (initdb: a fresh folder without the build\'s template), median', value: s.pgliteInitdb.median, unit: 'ms', goal: null, met: null },
      { metric: "node -e '' (spawn to exit: the floor)", value: s.node.median, unit: 'ms', goal: null, met: null },
    ],
  };
  writeResults(RESULTS_FILE, result);
  for (const r of result.rows) log(`${r.metric}: ${r.value} ms${r.baseline !== undefined ? ` (baseline ${r.baseline} ms)` : ''}${r.goal ? ` — goal ${r.goal}: ${r.met ? 'met' : 'NOT met'}` : ''}`);
  return STRICT && !result.pass ? 1 : 0;
}

run('cold-start', main, 15 * 60_000);
