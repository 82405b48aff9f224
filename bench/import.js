// Import benchmark (issue #8: "the closing note gives the 10,000-site import time").
//
//   npm run build && node bench/import.js
//
// For each database — the PostgreSQL server (a scratch database, dropped at the end) and the embedded
// one (in memory) — the compiled app runs in a child process with the demo data. As commander the bench
// POSTs a CSV of 10,000 new sites to /api/imports/facilities and measures, from just before the request
// is sent until the response has arrived:
//   import     — 10,000 new sites: parse, validate every row, check references, upsert in one transaction;
//   re-import  — the same file again: every row checked and found unchanged.
// Baseline (server database only, same run): the bare INSERT … SELECT FROM jsonb_to_recordset of the
// same 10,000 rows over a separate pg connection, no validation, no event, no record. Every run uses
// new codes; runs alternate app/baseline.
//
// Knobs: BENCH_SITES (10000), BENCH_RUNS (3), BENCH_DATABASE_URL, BENCH_RESULTS.
import path from 'node:path';
import { ADMIN_URL, createScratchDatabase, intEnv, log, login, machine, performance, pgClient, redactUrl, request, RESULTS_DIR, round1, run, startApp, stopChild, summarize, writeResults } from './support.js';

const SITES = intEnv('BENCH_SITES', 10_000, 1);
const RUNS = intEnv('BENCH_RUNS', 3, 1);
const RESULTS_FILE = process.env.BENCH_RESULTS || path.join(RESULTS_DIR, 'import.json');
const HEADER = 'code,name,nameEn,type,kind,areaCode,areaName,gridZoneCode,lat,lng,capacity,openingHours,parentCode,emergencyFunction';
const AREAS = ['hubin', 'fengli', 'lingxiu', 'baogai', 'hanjiang', 'xiangzhi', 'hongshan', 'jinshang', 'yongning'];

/** `SITES` sites with codes unique to `tag`, as CSV and as the rows a bare INSERT takes. */
function sites(tag) {
  const rows = Array.from({ length: SITES }, (_, i) => ({
    code: `B${tag}-${i}`, name: `基准站点 ${tag}-${i}`, type: 'self_service_area', area_code: AREAS[i % AREAS.length],
    lat: 24.65 + (i % 100) / 500, lng: 118.6 + Math.floor(i / 100) / 500, capacity: 10, opening_hours: '24h',
  }));
  const csv = [HEADER, ...rows.map((r) => `${r.code},${r.name},,${r.type},,${r.area_code},,,${r.lat},${r.lng},${r.capacity},${r.opening_hours},,`)].join('\n');
  return { rows, csv };
}

async function importOnce(url, token, csv) {
  const started = performance.now();
  const res = await request(`${url}/api/imports/facilities`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: csv, timeoutMs: 120_000 });
  const ms = performance.now() - started;
  if (res.status !== 201) throw new Error(`import answered ${res.status}: ${res.text.slice(0, 300)}`);
  return { ms, body: res.body };
}

const BARE_INSERT = `
  INSERT INTO facilities (code, name, type, area_code, lat, lng, capacity, opening_hours)
  SELECT code, name, type, area_code, lat, lng, capacity, opening_hours
  FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, type text, area_code text, lat double precision, lng double precision, capacity integer, opening_hours text)`;

async function measure(target) {
  const db = target === 'server' ? await createScratchDatabase() : null;
  const app = await startApp({ databaseUrl: db?.url, name: `app-${target}` });
  const token = await login(app.url, 'commander');
  const pg = db ? await pgClient(db.url) : null;
  const samples = { import: [], reimport: [], baseline: [] };
  for (let runNo = 0; runNo < RUNS; runNo++) {
    const file = sites(`${target[0]}${runNo}`);
    const first = await importOnce(app.url, token, file.csv);
    if (first.body.created !== SITES) throw new Error(`expected ${SITES} created, got ${JSON.stringify(first.body)}`);
    const again = await importOnce(app.url, token, file.csv);
    if (again.body.unchanged !== SITES) throw new Error(`expected ${SITES} unchanged, got ${JSON.stringify(again.body)}`);
    samples.import.push(first.ms);
    samples.reimport.push(again.ms);
    if (pg) {
      const bare = sites(`x${runNo}`).rows;
      const started = performance.now();
      await pg.query(BARE_INSERT, [JSON.stringify(bare)]);
      samples.baseline.push(performance.now() - started);
    }
    log(`${target} run ${runNo + 1}: import ${round1(first.ms)} ms, re-import ${round1(again.ms)} ms${pg ? `, bare INSERT ${round1(samples.baseline.at(-1))} ms` : ''}`);
  }
  await stopChild(app.server);
  return { import: summarize(samples.import), reimport: summarize(samples.reimport), baseline: pg ? summarize(samples.baseline) : null };
}

async function main() {
  const info = machine();
  const server = await measure('server');
  const embedded = await measure('embedded');
  const row = (metric, s, baseline) => ({
    metric, value: round1(s.median), unit: 'ms', baseline: baseline ? round1(baseline.median) : undefined,
    ratio: baseline ? round1(s.median / baseline.median) : undefined, goal: null, met: null,
  });
  const result = {
    benchmark: 'import',
    description: `POST /api/imports/facilities with a CSV of ${SITES} new sites (then the same file again), median of ${RUNS} runs`,
    machine: info,
    config: { sites: SITES, runs: RUNS, server: redactUrl(ADMIN_URL), baseline: 'bare INSERT … SELECT FROM jsonb_to_recordset of the same rows (server database)' },
    server,
    embedded,
    rows: [
      row(`import of ${SITES} new sites, server database`, server.import, server.baseline),
      row('re-import of the same file (all unchanged), server database', server.reimport),
      row(`import of ${SITES} new sites, embedded database`, embedded.import),
      row('re-import of the same file, embedded database', embedded.reimport),
    ],
  };
  writeResults(RESULTS_FILE, result);
  for (const r of result.rows) log(`${r.metric}: ${r.value} ms${r.baseline ? ` (bare INSERT ${r.baseline} ms, ${r.ratio}×)` : ''}`);
}

run('import', main, 20 * 60_000);
