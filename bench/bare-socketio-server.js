// The baseline for bench/fanout.js: a bare socket.io 4 server, no framework, no database. It loads the
// very copy of socket.io the app runs: @nestjs/platform-socket.io pins its own (4.8.3 next to the
// project's 4.8.4 today); the project's `socket.io` only when there is no such copy. One node:http server carries both socket.io and
//   POST /emit {title}  → io.emit('event', <an event shaped like the app's>) and 201 with that event.
// Every connecting socket gets 'replay.done' at once, as the app's gateway sends it after replay, so
// the benchmark client treats both servers the same way.
//
//   PORT=<port> node bench/bare-socketio-server.js      (listens on 127.0.0.1 only)
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { loadSocketIo, portFromEnv, readJsonBody } from './bare-support.js';

const { Server, version: socketIoVersion } = loadSocketIo();

const port = portFromEnv();

const MAX_BODY = 64 * 1024;
const actor = { id: randomUUID(), username: 'commander' };
let lastId = 0;

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', socketIo: socketIoVersion }));
    return;
  }
  if (req.method !== 'POST' || req.url !== '/emit') {
    res.writeHead(404).end();
    return;
  }
  readJsonBody(
    req,
    MAX_BODY,
    (body) => {
      // The same shape as the app's EventView for a notice.
      const event = {
        id: String(++lastId),
        type: 'notice.posted',
        at: new Date().toISOString(),
        exercise: false,
        severity: 'info',
        audience: 'everyone',
        payload: { body: null, title: String(body.title ?? '') },
        actor,
      };
      io.emit('event', event);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(event));
    },
    () => res.writeHead(400).end(),
  );
});

// The same engine options as the app's gateway (src/realtime/realtime.gateway.ts).
const io = new Server(http, { path: '/socket.io', maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 10_000 });
io.on('connection', (socket) => {
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
