// Runs every benchmark, one after another, then writes BENCHMARKS.md from bench/results/*.json.
//
//   npm run build && npm run bench          (node bench/run-all.js)
//
// Each benchmark in BENCHMARKS below whose script exists runs as a child process (`node bench/<script>`)
// with this process's environment and output; never two at once, as they would measure each other.
// A benchmark that fails does not stop the others. Then every bench/results/*.json is read and turned
// into one table. A results file should hold
//   rows: [{ metric, value, unit?, baseline?, ratio?, goal?, met? }, …]
// (metric: text; value and baseline: numbers in `unit`, or text; ratio: value/baseline as a number;
// goal: text such as "≤ 15 ms"; met: true, false, or null for a row without a goal; outOfReach: with
// met false, the measured bound that misses the goal by itself, see support.js). Files without
// `rows` get rows derived from their known fields (fanout, switchover, replay as they are today).
//
// Knobs (environment): BENCH_ONLY=fanout,dispatch (run only these), BENCH_SKIP=replay (run all but
// these), BENCH_REPORT_ONLY=1 (run nothing, only rewrite BENCHMARKS.md), BENCH_CHILD_TIMEOUT_MS (per
// benchmark, default 45 minutes or the benchmark's own timeoutMs below if longer), BENCH_REPORT (output file, default BENCHMARKS.md at the project
// root). Everything else (BENCH_DATABASE_URL, BENCH_STRICT, BENCH_VERBOSE, …) reaches the benchmarks.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import { provinceSection } from './province.js';

/** The benchmarks, in the order they run; each writes bench/results/<name>.json. Keep this explicit. */
const BENCHMARKS = [
  { name: 'fanout', script: 'fanout.js', what: 'one event to 1,000 sockets, against a bare socket.io io.emit' },
  { name: 'dispatch', script: 'dispatch.js', what: "a dispatch to the squad leader's socket, on the embedded database and on the server, each against a bare INSERT + emit to one socket on the same database (dashboards' process niced, the leaders' client on a CPU of its own; on the server again with the dashboards not niced, and again with the client sharing the server's CPUs, for comparison)" },
  { name: 'switchover', script: 'switchover.js', what: 'a city-wide switchover of 10,000 facilities, against a raw UPDATE' },
  { name: 'replay', script: 'replay.js', what: '10,000 missed events replayed to a reconnecting socket, against a bare socket.io' },
  { name: 'import', script: 'import.js', what: 'a CSV of 10,000 new sites imported (and again, unchanged), against a bare INSERT of the same rows' },
  // Three servers (two passes) × ≥ 300 dispatches a kind at one a second: about 40 minutes.
  { name: 'dispatch-under-broadcast', script: 'dispatch-under-broadcast.js', what: "a dispatch to the leader's socket while notices go out to 5,000 staff sockets (stock check on; their client processes niced, and again not), against the same without notices and a bare socket.io", timeoutMs: 80 * 60_000 },
  { name: 'positions', script: 'positions.js', what: 'squad.position ingest from 500 leader sockets at 5,000/s: rate, ack latency, CPU, coalesced frames, against a bare socket.io that only acks' },
  { name: 'memory', script: 'memory.js', what: 'server RSS with 5,000 staff sockets, against a bare socket.io with the same sockets' },
  { name: 'cold-start', script: 'cold-start.js', what: 'embedded-database cold start to /health, fresh and with data, against PGlite alone and node -e' },
  { name: 'two-instances', script: 'two-instances.js', what: 'an event committed on one of two instances until the last of 10,000 sockets (5,000 on each) has it, against one instance with 5,000' },
];

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = path.join(BENCH_DIR, 'results');
const REPORT_FILE = process.env.BENCH_REPORT || path.join(ROOT, 'BENCHMARKS.md');
const REPORT_ONLY = process.env.BENCH_REPORT_ONLY === '1';
const list = (name) => (process.env[name] || '').split(',').map((s) => s.trim()).filter(Boolean);
const ONLY = list('BENCH_ONLY');
const SKIP = list('BENCH_SKIP');
const CHILD_TIMEOUT_SET = Boolean(process.env.BENCH_CHILD_TIMEOUT_MS);
const CHILD_TIMEOUT_MS = (() => {
  const raw = process.env.BENCH_CHILD_TIMEOUT_MS;
  const value = raw ? Number(raw) : 45 * 60_000;
  if (!Number.isInteger(value) || value < 1000) throw new Error(`BENCH_CHILD_TIMEOUT_MS must be an integer ≥ 1000 (got ${JSON.stringify(raw)})`);
  return value;
})();

for (const name of [...ONLY, ...SKIP]) {
  if (!BENCHMARKS.some((b) => b.name === name)) {
    console.error(`[bench] unknown benchmark ${JSON.stringify(name)} in BENCH_ONLY/BENCH_SKIP; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
}

function log(message) {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

// ---------------------------------------------------------------------------------------------------
// Running

let current; // the running child, for signals
let stopping = false;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.error(`[bench] ${signal}: stopping${current ? ` ${current.name}` : ''}`);
    // A terminal's Ctrl-C reaches the child too (same process group), a kill of this process does not:
    // send SIGTERM, which every benchmark handles like SIGINT (a second SIGINT would kill it uncleanly).
    if (current?.child.exitCode === null) current.child.kill('SIGTERM');
    if (!current) process.exit(130);
  });
}

/** Runs one benchmark script; resolves with {code, signal, seconds, timedOut}. Never rejects. */
function runOne(bench) {
  return new Promise((resolve) => {
    const started = Date.now();
    // BENCH_CHILD_TIMEOUT_MS, when set, holds for every benchmark; else a benchmark's own (longer) limit, or 45 minutes.
    const limitMs = CHILD_TIMEOUT_SET ? CHILD_TIMEOUT_MS : Math.max(CHILD_TIMEOUT_MS, bench.timeoutMs ?? 0);
    const child = spawn(process.execPath, [path.join(BENCH_DIR, bench.script)], { cwd: ROOT, env: process.env, stdio: 'inherit' });
    current = { name: bench.name, child };
    let timedOut = false;
    let killTimer;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`[bench] ${bench.name} still running after ${limitMs} ms: stopping it`);
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    }, limitMs);
    const done = (code, signal, error) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      current = undefined;
      resolve({ code, signal, error, timedOut, seconds: Math.round((Date.now() - started) / 100) / 10, startedAt: started });
    };
    child.once('error', (e) => done(null, null, e.message));
    child.once('exit', (code, signal) => done(code, signal));
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading results

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const ratioOf = (a, b) => (num(a) !== undefined && num(b) ? Math.round((a / b) * 100) / 100 : undefined);

/** fanout.json as bench/fanout.js writes it (real/bare last-client latency, ratio, goal.max). */
function fanoutRows(d) {
  const max = num(d.goal?.max);
  const rows = [];
  for (const p of ['p50', 'p99']) {
    rows.push({
      metric: `last of ${d.config?.clients ?? '?'} sockets has the event, ${p}`,
      value: d.real?.last?.[p],
      unit: 'ms',
      baseline: d.bare?.last?.[p],
      ratio: num(d.ratio?.[p]) ?? ratioOf(d.real?.last?.[p], d.bare?.last?.[p]),
      goal: max !== undefined ? `≤ ${max}× baseline` : undefined,
      met: max !== undefined && num(d.ratio?.[p]) !== undefined ? d.ratio[p] <= max : undefined,
    });
  }
  rows.push({ metric: 'first socket has the event, p50', value: d.real?.first?.p50, unit: 'ms', baseline: d.bare?.first?.p50 });
  rows.push({ metric: 'HTTP response, p50', value: d.real?.response?.p50, unit: 'ms', baseline: d.bare?.response?.p50 });
  return rows;
}

/** switchover.json as bench/switchover.js writes it today (app/baseline medians and worsts, goal.checks). */
function switchoverRows(d) {
  const rows = [];
  const maxMs = num(d.goal?.maxMs);
  const maxRatio = num(d.goal?.maxRatio);
  const baseline = d.baseline?.ms;
  for (const [key, label] of [['response', 'HTTP response'], ['lastEvent', 'dashboard has switchover.completed']]) {
    for (const stat of ['median', 'worst']) {
      const value = d.app?.[key]?.[stat];
      const ratio = num(d.ratio?.[key]?.[stat]) ?? ratioOf(value, baseline?.[stat]);
      const goals = [maxMs !== undefined ? `≤ ${maxMs} ms` : null, maxRatio !== undefined ? `≤ ${maxRatio}× baseline` : null].filter(Boolean);
      rows.push({
        metric: `${label}, ${stat}`,
        value,
        unit: 'ms',
        baseline: baseline?.[stat],
        ratio,
        goal: goals.join(' and ') || undefined,
        met: goals.length ? (maxMs === undefined || value <= maxMs) && (maxRatio === undefined || ratio <= maxRatio) : undefined,
      });
    }
  }
  return rows;
}

/** replay.json as bench/replay.js writes it today (server/embedded/bare totals, goal.maxMs). */
function replayRows(d) {
  const rows = [];
  const maxMs = num(d.goal?.maxMs);
  for (const key of ['server', 'embedded']) {
    if (!d[key]?.total) continue;
    for (const stat of ['median', 'worst']) {
      const value = d[key].total[stat];
      rows.push({
        metric: `${d[key].label ?? key}: replay done, ${stat}`,
        value,
        unit: 'ms',
        baseline: d.bare?.total?.[stat],
        ratio: num(d.ratio?.[key]?.[stat]) ?? ratioOf(value, d.bare?.total?.[stat]),
        goal: key === 'server' && maxMs !== undefined ? `≤ ${maxMs} ms` : undefined,
        met: key === 'server' && maxMs !== undefined && num(value) !== undefined ? value <= maxMs : undefined,
      });
    }
  }
  return rows;
}

/** Anything else: a `goal.checks` list ({what, value, goal, pass}), else the overall pass. */
function genericRows(d) {
  if (Array.isArray(d.goal?.checks)) {
    return d.goal.checks.map((c) => ({ metric: c.what ?? c.metric, value: c.value, goal: c.goal, met: c.pass ?? c.met }));
  }
  return [{ metric: 'overall (see the results file)', value: typeof d.pass === 'boolean' ? (d.pass ? 'pass' : 'fail') : '—', met: d.pass }];
}

const DERIVE = { fanout: fanoutRows, switchover: switchoverRows, replay: replayRows };

/** {name, file, data, rows, error} for every results file. */
function readResults() {
  if (!existsSync(RESULTS_DIR)) return [];
  return readdirSync(RESULTS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort((a, b) => {
      const order = (f) => {
        const i = BENCHMARKS.findIndex((bench) => `${bench.name}.json` === f);
        return i === -1 ? BENCHMARKS.length : i;
      };
      return order(a) - order(b) || a.localeCompare(b);
    })
    .map((f) => {
      const file = path.join(RESULTS_DIR, f);
      const name = f.replace(/\.json$/, '');
      const entry = { name, file, mtimeMs: statSync(file).mtimeMs, data: undefined, rows: [], derived: false, error: undefined };
      try {
        entry.data = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        entry.error = `unreadable: ${e.message}`;
        return entry;
      }
      try {
        if (Array.isArray(entry.data.rows) && entry.data.rows.length) {
          entry.rows = entry.data.rows;
        } else {
          entry.rows = (DERIVE[entry.data.benchmark ?? name] ?? DERIVE[name] ?? genericRows)(entry.data);
          entry.derived = true;
        }
        entry.rows = entry.rows.filter((r) => r && r.metric !== undefined && r.value !== undefined && r.value !== null);
        if (!entry.rows.length) entry.rows = genericRows(entry.data);
      } catch (e) {
        entry.error = `could not turn it into rows: ${e.message}`;
        entry.rows = [];
      }
      return entry;
    });
}

// ---------------------------------------------------------------------------------------------------
// Writing BENCHMARKS.md

function fmtNumber(v) {
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return '—';
  const abs = Math.abs(v);
  return abs >= 100 ? v.toFixed(0) : abs >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function fmtValue(v, unit) {
  if (v === undefined || v === null || v === '') return '—';
  if (typeof v !== 'number') return String(v);
  return unit ? `${fmtNumber(v)} ${unit}` : fmtNumber(v);
}

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');

function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function machineNow() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAvg: os.loadavg().map((v) => Math.round(v * 100) / 100),
  };
}

/**
 * The rows and the per-benchmark line that the report being replaced has for each known benchmark with
 * no results file now (bench/results is not kept: a fresh checkout has none), so that rewriting the
 * report from the results at hand does not drop the others. Carried-over lines are marked as such.
 */
function carriedOver(haveResults) {
  const carried = new Map();
  if (!existsSync(REPORT_FILE)) return carried;
  const known = BENCHMARKS.map((b) => b.name).filter((name) => !haveResults.has(name));
  for (const line of readFileSync(REPORT_FILE, 'utf8').split('\n')) {
    const row = /^\| ([^|]+?) \|/.exec(line);
    const note = /^- \*\*([^*]+)\*\*/.exec(line);
    const name = row?.[1] ?? note?.[1];
    if (!name || !known.includes(name)) continue;
    const entry = carried.get(name) ?? { rows: [], note: undefined };
    if (row) entry.rows.push(line);
    else entry.note = line.includes('carried over from the previous BENCHMARKS.md') ? line : `${line} *Carried over from the previous BENCHMARKS.md: not re-measured by this run.*`;
    carried.set(name, entry);
  }
  return carried;
}

function writeReport(results, runs, startedAt, loadAtStart) {
  const carried = carriedOver(new Set(results.map((r) => r.name)));
  const order = (name) => {
    const i = BENCHMARKS.findIndex((b) => b.name === name);
    return i === -1 ? BENCHMARKS.length : i;
  };
  // The results and the carried-over benchmarks, in BENCHMARKS order.
  const entries = [...results.map((r) => ({ name: r.name, r })), ...[...carried].map(([name, c]) => ({ name, c }))]
    .sort((a, b) => order(a.name) - order(b.name));
  const commit = git(['rev-parse', '--short', 'HEAD']) ?? 'unknown';
  const dirty = git(['status', '--porcelain', '--', 'src', 'package.json', 'package-lock.json']);
  const m = machineNow();
  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push(`Written by \`npm run bench\` (bench/run-all.js) on ${new Date().toISOString()}, commit \`${commit}\`` +
    `${dirty ? ' with uncommitted changes in src/ or package files' : ''}. Each benchmark runs the compiled app (\`dist/\`) ` +
    'in a child process next to a bare baseline in another, interleaved, on the same machine.', '');

  lines.push('## Results', '');
  if (!entries.length) lines.push('No results yet: run `npm run build && npm run bench`.', '');
  else {
    lines.push('| benchmark | metric | value | baseline | ratio | goal | met? |', '|---|---|---:|---:|---:|---|:---:|');
    for (const { r, c } of entries) {
      if (c) {
        lines.push(...c.rows);
        continue;
      }
      if (r.error) {
        lines.push(`| ${r.name} | ${cell(r.error)} | — | — | — | — | — |`);
        continue;
      }
      for (const row of r.rows) {
        const ratio = typeof row.ratio === 'number' ? `${fmtNumber(row.ratio)}×` : row.ratio ? String(row.ratio) : '—';
        const met = row.met === true ? 'yes' : row.met === false ? (row.outOfReach ? `**no**: out of reach here, ${row.outOfReach}` : '**no**') : '—';
        lines.push(`| ${cell(r.name)} | ${cell(row.metric)} | ${cell(fmtValue(row.value, row.unit))} | ${cell(fmtValue(row.baseline, row.unit))} | ` +
          `${cell(ratio)} | ${cell(row.goal ?? '—')} | ${met} |`);
      }
    }
    lines.push('');
  }

  lines.push('### Per benchmark', '');
  for (const { r, c } of entries) {
    if (c) {
      if (c.note) lines.push(c.note);
      continue;
    }
    const d = r.data ?? {};
    const bench = BENCHMARKS.find((b) => b.name === r.name);
    const run = runs.find((x) => x.name === r.name);
    const measured = d.machine?.date ?? new Date(r.mtimeMs).toISOString();
    let status;
    if (!run) status = 'not run by this `npm run bench`';
    else if (run.code === 0 && r.mtimeMs >= run.startedAt) status = `ran in ${run.seconds} s`;
    else status = `**this run failed** (${run.timedOut ? 'timed out' : run.error ?? (run.signal ? `signal ${run.signal}` : `exit ${run.code}`)})` +
      (r.mtimeMs >= run.startedAt ? '' : ': the numbers are from an earlier run');
    const overall = typeof d.pass === 'boolean' ? ` Overall goal: ${d.pass ? 'met' : '**not met**'}.` : '';
    const notes = [d.build?.srcDirty ? 'uncommitted changes in src/' : null, d.build?.distStale ? 'dist/ older than src/' : null].filter(Boolean);
    const built = d.build?.commit ? ` Measured at commit \`${d.build.commit}\`${notes.length ? ` (${notes.join('; ')})` : ''}.` : '';
    const db = d.config?.database ?? d.config?.serverDatabase;
    const load = Array.isArray(d.machine?.loadAvg)
      ? ` Load average (1 min) ${d.machine.loadAvg[0]}${Array.isArray(d.machine.loadAvgEnd) ? ` at the start, ${d.machine.loadAvgEnd[0]} at the end` : ' at the start'}.`
      : '';
    lines.push(`- **${r.name}** (\`bench/results/${r.name}.json\`${r.derived ? ', rows derived from its fields' : ''}): ` +
      `${d.description ?? bench?.what ?? ''}. Measured ${measured}; ${status}.${overall}${built}${db ? ` Database: ${db}.` : ''}${load}`);
  }
  for (const run of runs.filter((x) => !results.some((r) => r.name === x.name))) {
    lines.push(`- **${run.name}**: ran (exit ${run.code ?? run.signal ?? run.error}) but wrote no bench/results/${run.name}.json.`);
  }
  for (const b of BENCHMARKS.filter((b) => !existsSync(path.join(BENCH_DIR, b.script)))) {
    lines.push(`- **${b.name}**: bench/${b.script} does not exist yet.`);
  }
  lines.push('');

  lines.push(...provinceSection((name) => results.find((r) => r.name === name && !r.error)?.data));

  lines.push('## Machine', '');
  lines.push(`- CPUs: ${m.cpus} × ${m.cpuModel}`);
  lines.push(`- Memory: ${(m.totalMemMb / 1024).toFixed(1)} GB`);
  lines.push(`- Node.js: ${m.node}`);
  lines.push(`- OS: ${m.platform}`);
  lines.push(`- Load average when the run started: ${loadAtStart.join(', ')} (1, 5, 15 min); the numbers are only as quiet as the machine was.`);
  const others = [...new Set(results.map((r) => r.data?.machine).filter(Boolean).map((x) => `${x.cpus} × ${x.cpuModel}, Node ${x.node}`))]
    .filter((x) => x !== `${m.cpus} × ${m.cpuModel}, Node ${m.node}`);
  if (others.length) lines.push(`- Some results were measured elsewhere: ${others.join('; ')}`);
  lines.push(`- Date: ${new Date(startedAt).toISOString()}`);
  lines.push('');

  lines.push('## Reproduce', '');
  lines.push('```bash', 'npm ci', 'npm run build && npm run bench                 # every benchmark, then this file',
    'npm run build:server && npm run bench:dispatch   # one benchmark (or node bench/<name>.js)', '```', '');
  lines.push('Environment (all optional):', '');
  lines.push('| variable | meaning |', '|---|---|');
  lines.push('| `BENCH_DATABASE_URL` | run the app on this PostgreSQL database (a scratch one: it gets demo data) instead of the embedded one in memory; also where baselines make their scratch databases |');
  lines.push('| `TEST_DATABASE_URL` | where baselines that need a PostgreSQL server make scratch databases when `BENCH_DATABASE_URL` is unset (default `postgres://postgres@127.0.0.1:5432/postgres`) |');
  lines.push('| `BENCH_ONLY` / `BENCH_SKIP` | comma-separated benchmark names to run / to leave out |');
  lines.push('| `BENCH_REPORT_ONLY=1` | run nothing, rewrite this file from `bench/results/*.json` |');
  lines.push('| `BENCH_STRICT=1` | a benchmark exits 1 when its goal is missed |');
  lines.push('| `BENCH_VERBOSE=1` | pass the servers\' output through |');
  lines.push('| `BENCH_APP_NODE_ARGS` | extra node options for the app, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` |');
  lines.push('| `BENCH_CHILD_TIMEOUT_MS` | stop a benchmark that runs longer (default 45 min; dispatch-under-broadcast 80 min) |');
  lines.push('');
  lines.push('Each script lists its own knobs (sizes, counts, gaps) in its header comment. Close other work on the machine first: ' +
    'every benchmark compares against a baseline measured in the same run, but on 2 cores anything else running shows up in the p99.');
  lines.push('');
  writeFileSync(REPORT_FILE, lines.join('\n'));
}

// ---------------------------------------------------------------------------------------------------

async function main() {
  const startedAt = Date.now();
  const loadAtStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const runs = [];
  if (!REPORT_ONLY) {
    if (!existsSync(path.join(ROOT, 'dist', 'main.js'))) {
      console.error('[bench] dist/main.js is missing: run npm run build first');
      return 1;
    }
    const selected = BENCHMARKS.filter((b) => (!ONLY.length || ONLY.includes(b.name)) && !SKIP.includes(b.name));
    for (const bench of selected) {
      if (stopping) break;
      if (!existsSync(path.join(BENCH_DIR, bench.script))) {
        log(`${bench.name}: bench/${bench.script} does not exist — skipped`);
        continue;
      }
      log(`${bench.name}: node bench/${bench.script}`);
      const run = await runOne(bench);
      runs.push({ name: bench.name, ...run });
      log(`${bench.name}: ${run.code === 0 ? 'done' : `FAILED (${run.timedOut ? 'timed out, ' : ''}${run.error ?? (run.signal ? `signal ${run.signal}` : `exit ${run.code}`)})`} after ${run.seconds} s`);
    }
    if (stopping) return 130;
  }
  const results = readResults();
  writeReport(results, runs, startedAt, loadAtStart);
  log(`${path.relative(process.cwd(), REPORT_FILE) || REPORT_FILE}: ${results.reduce((n, r) => n + r.rows.length, 0)} rows from ${results.length} results files`);
  for (const run of runs) log(`  ${run.name.padEnd(12)} ${run.code === 0 ? 'ok    ' : 'FAILED'} ${run.seconds} s`);
  return runs.some((r) => r.code !== 0) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[bench] failed: ${e.stack ?? e}`);
    process.exit(1);
  },
);
