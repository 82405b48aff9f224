// The baseline for bench/dispatch.js: a bare socket.io 4 server and one bare INSERT, no framework. Like
// bench/bare-socketio-server.js (whose conventions it copies) it loads the very copy of socket.io the
// app runs: the one @nestjs/platform-socket.io resolves, else the project's. One node:http server has
//   POST /dispatch {socketId, squadId, incidentId}
//        → INSERT INTO bench_dispatches … RETURNING (one statement, autocommit, one kept-open connection)
//        → io.to(socketId).emit('event', <an event shaped like the app's dispatch.created>)
//        → 201 with [{id, …}]
// Every connecting socket gets 'replay.done' at once, as the app's gateway sends it after replay, so
// the benchmark client treats both servers the same way.
//
//   PORT=<port> [BARE_DATABASE_URL=postgres://…] node bench/bare-dispatch-server.js   (127.0.0.1 only)
//
// With BARE_DATABASE_URL the INSERT goes to that PostgreSQL database through pg (the table is created
// if missing); without it, to an embedded PostgreSQL (PGlite, in memory) in this process.
import { createServer } from 'node:http';
import { loadSocketIo, portFromEnv, readJsonBody } from './bare-support.js';

const { Server, version: socketIoVersion } = loadSocketIo();

const port = portFromEnv();

const DDL = `CREATE TABLE IF NOT EXISTS bench_dispatches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL,
  squad_id uuid NOT NULL,
  note text,
  ack_deadline timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;
const INSERT = `INSERT INTO bench_dispatches (incident_id, squad_id, ack_deadline)
  VALUES ($1, $2, now() + make_interval(secs => 3600)) RETURNING id, ack_deadline, created_at`;

/** One connection, kept open: `query(sql, params)` → rows. */
async function openDatabase() {
  const url = process.env.BARE_DATABASE_URL;
  if (url) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    client.on('error', (e) => {
      console.error(`database connection lost: ${e.message}`);
      process.exit(1);
    });
    await client.connect();
    const { rows } = await client.query('SELECT version() AS v');
    return { kind: 'server', version: rows[0].v, query: async (sql, params) => (await client.query(sql, params)).rows, close: () => client.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create('memory://');
  const { rows } = await db.query('SELECT version() AS v');
  return { kind: 'pglite', version: rows[0].v, query: async (sql, params) => (await db.query(sql, params)).rows, close: () => db.close() };
}

const db = await openDatabase();
await db.query(DDL, []);

const MAX_BODY = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const actor = { id: '00000000-0000-4000-8000-000000000001', username: 'commander' };
const incident = { lat: 24.78, lng: 118.76, kind: 'rescue', title: 'bench incident', severity: 'severe' };
let lastId = 0;

function fail(res, status, message) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ statusCode: status, message }));
}

async function dispatch(body, res) {
  const { socketId, squadId, incidentId } = body;
  if (typeof socketId !== 'string' || !UUID.test(String(squadId)) || !UUID.test(String(incidentId))) {
    fail(res, 400, 'socketId, squadId and incidentId are required');
    return;
  }
  const [row] = await db.query(INSERT, [incidentId, squadId]);
  const id = String(row.id);
  const at = new Date(row.created_at).toISOString();
  const ackDeadline = new Date(row.ack_deadline).toISOString();
  // The same shape as the app's EventView for dispatch.created.
  const event = {
    id: String(++lastId),
    type: 'dispatch.created',
    at,
    exercise: false,
    severity: 'info',
    audience: 'squad',
    payload: { note: null, incident: { id: incidentId, ...incident }, squadCode: 'SQ-000', ackDeadline },
    actor,
    squadId,
    dispatchId: id,
    incidentId,
  };
  io.to(socketId).emit('event', event);
  res.writeHead(201, { 'content-type': 'application/json' }).end(
    JSON.stringify([{ id, incidentId, squadId, status: 'pending', note: null, ackDeadline, exercise: false, createdAt: at }]),
  );
}

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({ status: 'ok', socketIo: socketIoVersion, database: db.kind, databaseVersion: db.version }),
    );
    return;
  }
  if (req.method !== 'POST' || req.url !== '/dispatch') {
    res.writeHead(404).end();
    return;
  }
  readJsonBody(
    req,
    MAX_BODY,
    (body) => dispatch(body, res).catch((e) => fail(res, 500, e.message)),
    () => fail(res, 400, 'bad JSON'),
  );
});

// The same engine options as the app's gateway (src/realtime/realtime.gateway.ts).
const io = new Server(http, { path: '/socket.io', maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 10_000 });
io.on('connection', (socket) => {
  socket.emit('replay.done', { lastEventId: String(lastId) });
});

http.listen(port, '127.0.0.1', () => {
  console.log(`bare socket.io ${socketIoVersion} + ${db.kind} INSERT server on http://127.0.0.1:${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void io.close();
    Promise.resolve(db.close())
      .catch(() => {})
      .finally(() => process.exit(0));
  });
}
