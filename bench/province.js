// "A province on paper" (issue #15): a capacity model for a province of 100 cities like Shishi, written
// into BENCHMARKS.md by bench/run-all.js from the measured results files. Every number is labelled:
//   given    — the province's size, from the issue;
//   code     — a constant of the app (its default configuration, the phone client's send interval);
//   measured — read from bench/results/<name>.json (named in the row);
//   derived  — computed here from the rows above it (the formula is in the row).
// Nothing here is measured at province scale: it extrapolates per-instance figures linearly, and says so.

const PROVINCE = { cities: 100, sites: 28_000, squads: 12_800, staffScreens: 50_000, phones: 13_000 };
// client/src/squad/position-sharing.ts EVERY_MS: a phone sends its position at most once per 10 s.
const PHONE_POSITION_EVERY_S = 10;
// src/config/config.ts defaults: SWEEP_INTERVAL_MS 1000, DB_POOL_SIZE 10; the commit listener holds one
// connection (src/events/commit-listener.ts), the socket.io PostgreSQL adapter a pool of 2
// (src/realtime/socket-adapter.ts).
const SWEEP_S = 1;
const CONNECTIONS_PER_INSTANCE = 10 + 1 + 2;
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function fmt(v, digits = 0) {
  if (v === undefined) return '—';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** The lines of the section; `data(name)` is the parsed bench/results/<name>.json or undefined. */
export function provinceSection(data) {
  const two = data('two-instances');
  const memory = data('memory');
  const positions = data('positions');
  const dub = data('dispatch-under-broadcast');
  const rows = [];
  const row = (quantity, value, how) => rows.push(`| ${quantity} | ${value} | ${how} |`);

  row('cities / sites / squads', `${fmt(PROVINCE.cities)} / ${fmt(PROVINCE.sites)} / ${fmt(PROVINCE.squads)}`, 'given (issue #15)');
  row('staff screens + phones connected at once (a typhoon night: all of them)', `${fmt(PROVINCE.staffScreens)} + ${fmt(PROVINCE.phones)} = ${fmt(PROVINCE.staffScreens + PROVINCE.phones)}`, 'given; all at once is the assumption');

  // Sockets and memory per instance.
  const perInstance = num(two?.config?.perInstance);
  const rssTwo = two ? Math.max(num(two.twoInstances?.rssMb?.a) ?? 0, num(two.twoInstances?.rssMb?.b) ?? 0) || undefined : undefined;
  const rssMemory = num(memory?.real?.settledRssMb);
  const memoryClients = num(memory?.config?.clients);
  const sockets = PROVINCE.staffScreens + PROVINCE.phones;
  const socketsPerInstance = perInstance ?? memoryClients;
  const instancesBySockets = socketsPerInstance ? Math.ceil(sockets / socketsPerInstance) : undefined;
  if (socketsPerInstance) {
    row('sockets per instance', fmt(socketsPerInstance),
      `measured: ${perInstance ? 'two-instances.json' : 'memory.json'} held this many per instance (a size that was run, not a measured limit)`);
  }
  if (rssTwo) row(`RSS of one instance with ${fmt(perInstance)} sockets`, `${fmt(rssTwo)} MB`, 'measured: two-instances.json (the larger of A and B)');
  if (rssMemory) row(`RSS of one instance with ${fmt(memoryClients)} sockets, settled`, `${fmt(rssMemory)} MB`, 'measured: memory.json');
  if (instancesBySockets) {
    row('app instances for the sockets', `${fmt(instancesBySockets)} (+1 spare = ${fmt(instancesBySockets + 1)})`, `derived: ⌈${fmt(sockets)} / ${fmt(socketsPerInstance)}⌉`);
    const rss = rssTwo ?? rssMemory;
    if (rss) row('their memory', `${fmt(((instancesBySockets + 1) * rss) / 1024, 1)} GB`, `derived: ${fmt(instancesBySockets + 1)} × ${fmt(rss)} MB`);
  }

  // Position ingest: every phone once per 10 s.
  const updatesPerS = PROVINCE.phones / PHONE_POSITION_EVERY_S;
  row('position updates', `${fmt(updatesPerS)}/s`, `derived: ${fmt(PROVINCE.phones)} phones ÷ ${PHONE_POSITION_EVERY_S} s (code: the phone sends at most every ${PHONE_POSITION_EVERY_S} s)`);
  const inWindow = num(positions?.real?.ackedInWindowPerSecond);
  const ingestCores = num(positions?.real?.cores);
  const commits = num(positions?.real?.dbCommitsPerSecond);
  let coresPer1000;
  if (inWindow && ingestCores !== undefined) {
    coresPer1000 = ingestCores / (inWindow / 1000);
    row('app CPU per 1,000 position updates/s', `${fmt(coresPer1000, 2)} cores`, `measured: positions.json (${fmt(ingestCores, 2)} cores at ${fmt(inWindow)}/s acked in the window)`);
    row('app CPU for the province\'s position ingest, all instances together', `${fmt((updatesPerS / 1000) * coresPer1000, 2)} cores`, `derived: ${fmt(updatesPerS)}/s × the row above`);
  }
  let commitsPerUpdate;
  if (inWindow && commits !== undefined) {
    commitsPerUpdate = commits / inWindow;
    row('PostgreSQL commits per position update', fmt(commitsPerUpdate, 2), `measured: positions.json (${fmt(commits)} commits/s at ${fmt(inWindow)} updates/s)`);
  }

  // The event log: squad.position events (one per moved squad per sweep) dominate it.
  const positionEventsPerS = Math.min(PROVINCE.squads / SWEEP_S, updatesPerS);
  row('squad.position events appended to the log', `≤ ${fmt(positionEventsPerS)}/s (${fmt((positionEventsPerS * 86_400) / 1e6, 1)} million rows a day)`,
    `derived: one per squad that moved per ${SWEEP_S} s sweep (code: SWEEP_INTERVAL_MS), each squad moving every ${PHONE_POSITION_EVERY_S} s`);
  row('events a switchover of all the province\'s sites appends', `${fmt(PROVINCE.sites)} rows`, 'derived: one per site (as the app writes them today)');
  if (commitsPerUpdate !== undefined) {
    row('PostgreSQL write load, steady (positions; dispatches, notices and switchovers come on top)', `≈ ${fmt(updatesPerS * commitsPerUpdate + 1 / SWEEP_S)} commits/s, ${fmt(positionEventsPerS)} event rows/s`,
      `derived: ${fmt(updatesPerS)} updates/s × ${fmt(commitsPerUpdate, 2)} + one sweep transaction per second`);
  }

  // Fan-out: every staff event goes to every staff screen, on every instance (one staff room).
  const staffFrames = positionEventsPerS * PROVINCE.staffScreens;
  row('squad.position frames to staff screens', `${fmt(staffFrames / 1e6, 1)} million/s`, `derived: ${fmt(positionEventsPerS)} events/s × ${fmt(PROVINCE.staffScreens)} screens (one staff room: every screen gets every squad)`);
  const judged = dub?.passes?.find((p) => p.name === dub?.goal?.judgedPass) ?? dub?.passes?.[0];
  const noticeP50 = num(judged?.app?.broadcasts?.lastSocket?.p50);
  const noticeClients = num(dub?.config?.clients);
  let framesPerInstance;
  if (noticeP50 && noticeClients) {
    framesPerInstance = noticeClients / (noticeP50 / 1000);
    row('staff frames one instance sends per second', `≥ ${fmt(framesPerInstance / 1000, 1)} thousand/s`,
      `derived from measured: ${fmt(noticeClients)} sockets ÷ ${fmt(noticeP50)} ms (dispatch-under-broadcast.json, a notice to the last socket, p50; ` +
      'a lower bound, as that time also holds the commit and the relay)');
    row('instances the position fan-out alone would need', `≤ ${fmt(Math.ceil(staffFrames / framesPerInstance))}`, 'derived: the two rows above');
  }

  // Connections and the cross-instance path.
  const instances = instancesBySockets ? instancesBySockets + 1 : undefined;
  const open = num(two?.twoInstances?.connections?.open);
  const serverMax = num(two?.twoInstances?.connections?.serverMax);
  if (open !== undefined) row('database connections two instances held', `${fmt(open)} (server max_connections ${fmt(serverMax)})`, 'measured: two-instances.json (pg_stat_activity)');
  if (instances) {
    row('database connections at most, all instances', `${fmt(instances * CONNECTIONS_PER_INSTANCE)}`, `derived: ${fmt(instances)} × ${CONNECTIONS_PER_INSTANCE} (code: pool 10 + commit listener 1 + socket.io adapter 2)`);
    row('event-log reads after each commit\'s NOTIFY', `${fmt(instances - 1)} per commit`, 'derived: every other instance\'s relay reads the new events back; the committing one delivers its own (src/events/committing-events.ts)');
  }
  const twoP99 = num(two?.twoInstances?.last?.p99);
  const oneP99 = num(two?.oneInstance?.last?.p99);
  if (twoP99 !== undefined && oneP99 !== undefined) {
    row(`an event on one instance, last of ${fmt(2 * perInstance)} sockets on two, p99`, `${fmt(twoP99)} ms (one instance, ${fmt(perInstance)} sockets: ${fmt(oneP99)} ms)`, 'measured: two-instances.json');
  }

  const lines = ['## A province on paper', ''];
  lines.push('A capacity model for a province of 100 cities like Shishi, written by bench/province.js from the results files of this report. ' +
    'Nothing was measured at province scale: per-instance figures measured here are extrapolated linearly. ' +
    'Every number says where it comes from — *given* (issue #15), *code* (the app\'s defaults), *measured* (a results file), *derived* (the formula beside it).', '');
  lines.push('| quantity | value | how |', '|---|---:|---|', ...rows, '');

  const missing = ['two-instances', 'memory', 'positions', 'dispatch-under-broadcast'].filter((n) => !data(n));
  if (missing.length) lines.push(`Not measured in this report (rows that need them are left out): ${missing.map((n) => `bench/results/${n}.json`).join(', ')}.`, '');

  // What changes first, in the order the numbers above put it.
  lines.push('What changes first, in order:', '');
  const fanoutInstances = framesPerInstance ? Math.ceil(staffFrames / framesPerInstance) : undefined;
  lines.push(`1. **The staff fan-out** is the first bottleneck: one staff room sends every squad's position to every staff screen, ` +
    `${fmt(staffFrames / 1e6, 1)} million frames/s (derived)${fanoutInstances ? `, which would take ${fmt(fanoutInstances)} instances (derived) against ${fmt(instances)} for the sockets alone` : ''}. ` +
    'Adding instances does not help the way it helps with sockets, since every instance emits every staff event to its own screens. ' +
    'Staff rooms per city (a screen sees its own city; the province desk opts in to more), or one batched frame per sweep instead of one event per squad, ' +
    `cut it by about ${PROVINCE.cities}× before anything else.`);
  const wanted = instances ? instances * CONNECTIONS_PER_INSTANCE : undefined;
  const over = wanted !== undefined && serverMax !== undefined ? (wanted > serverMax ? 'more than' : 'within') : 'against';
  lines.push(`2. **PostgreSQL connections**: ${wanted ? `${fmt(wanted)} (derived)` : 'one pool per instance'} ${over} ` +
    `${serverMax ? `max_connections ${fmt(serverMax)} (measured)` : 'the server\'s max_connections'}; as instances are added, a connection pooler ` +
    '(PgBouncer, transaction mode; LISTEN stays on a direct connection) or smaller pools per instance. The **Redis adapter** (REDIS_URL, already supported) takes the socket.io adapter\'s NOTIFY traffic and its 2 connections per instance off PostgreSQL; ' +
    'the event log still travels through PostgreSQL (the relay reads it), which keeps order and replay.');
  lines.push(`3. **Read replicas for replay**: every commit is read back by every other instance (${instances ? `${fmt(instances - 1)} reads per commit, derived` : 'one read per other instance'}), ` +
    `and ${fmt(sockets)} sockets reconnecting after a network cut all replay from the log at once. ` +
    'Both are reads that a streaming replica can serve (a replica a few ms behind only delays delivery; the relay\'s read-after-NOTIFY must then wait for the replica to have replayed the commit\'s LSN).');
  lines.push(`4. **Partitioning the event log by month**: about ${fmt((positionEventsPerS * 86_400) / 1e6, 1)} million squad.position rows a day (derived) make the log grow by ` +
    `${fmt((positionEventsPerS * 86_400 * 30) / 1e9, 1)} billion rows a month; monthly partitions let old months be detached and archived without a long DELETE, ` +
    'and keep replay\'s index scans on the current month. Ordering and replay keep using the event id, which one sequence keeps global across the partitions.');
  lines.push('');
  return lines;
}
