// The baselines for bench/dispatch-under-broadcast.js, bench/positions.js and bench/memory.js: a bare
// socket.io 4 server, no framework, no database (the copy of socket.io the app runs, as in
// bench/bare-socketio-server.js). One node:http server carries socket.io and
//   POST /emit {title}        → io.emit('event', <a notice.posted shaped like the app's>) — one plain
//                               io.emit to every socket, not sliced — and 201
//   POST /dispatch {socketId} → io.to(socketId).emit('event', <a dispatch.created>) and 201
//   GET  /health              → {status, socketIo, sockets}
// and answers every socket's `squad.position` (with an ack) with {ok: true} and nothing else.
// Every connecting socket gets 'replay.done' at once, as the app's gateway sends it after replay.
//
//   PORT=<port> node bench/bare-broadcast-server.js      (listens on 127.0.0.1 only)
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { loadSocketIo, portFromEnv, readJsonBody } from './bare-support.js';

const { Server, version: socketIoVersion } = loadSocketIo();
const port = portFromEnv();

const MAX_BODY = 64 * 1024;
const actor = { id: randomUUID(), username: 'commander' };
let lastId = 0;
let positions = 0;

const json = (res, status, body) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    json(res, 200, { status: 'ok', socketIo: socketIoVersion, sockets: io.engine.clientsCount, positions });
    return;
  }
  if (req.method !== 'POST' || (req.url !== '/emit' && req.url !== '/dispatch')) {
    res.writeHead(404).end();
    return;
  }
  readJsonBody(
    req,
    MAX_BODY,
    (body) => {
      const at = new Date().toISOString();
      if (req.url === '/emit') {
        const event = { id: String(++lastId), type: 'notice.posted', at, exercise: false, severity: 'info', audience: 'everyone', payload: { body: null, title: String(body.title ?? '') }, actor };
        io.emit('event', event);
        json(res, 201, event);
        return;
      }
      const dispatchId = randomUUID();
      const event = {
        id: String(++lastId), type: 'dispatch.created', at, exercise: false, severity: 'info', audience: 'squad',
        payload: { note: null, squadCode: 'SQ-000' }, actor, squadId: String(body.squadId ?? ''), dispatchId,
      };
      io.to(String(body.socketId)).emit('event', event);
      json(res, 201, [{ id: dispatchId, status: 'pending', createdAt: at }]);
    },
    () => res.writeHead(400).end(),
  );
});

// The same engine options as the app's gateway (src/realtime/realtime.gateway.ts).
const io = new Server(http, { path: '/socket.io', maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 10_000 });
io.on('connection', (socket) => {
  socket.on('squad.position', (_position, ack) => {
    positions++;
    if (typeof ack === 'function') ack({ ok: true });
  });
  socket.emit('replay.done', { lastEventId: String(lastId) });
});

http.listen(port, '127.0.0.1', () => {
  console.log(`bare socket.io ${socketIoVersion} server on http://127.0.0.1:${port}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void io.close();
    process.exit(0);
  });
}
