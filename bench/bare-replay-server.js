// The baseline for bench/replay.js: a bare socket.io 4 server (no framework, no database, no auth) that
// sends every connecting socket the events in EVENTS_FILE (a JSON array, the very events the app
// replayed, so the messages have the same shape and size) as 'event' messages, then 'replay.done' —
// what the app's gateway does for a client that resumes from a lastEventId. It loads the copy of
// socket.io the app runs (the one @nestjs/platform-socket.io resolves) and uses the gateway's options.
//
//   PORT=<port> EVENTS_FILE=<file.json> node bench/bare-replay-server.js     (127.0.0.1 only)
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** socket.io as @nestjs/platform-socket.io resolves it, else as this project does. */
function loadSocketIo() {
  let from = import.meta.url;
  try {
    from = import.meta.resolve('@nestjs/platform-socket.io');
  } catch {
    // no Nest adapter installed: the project's own socket.io
  }
  const require = createRequire(from);
  const { version } = require(require.resolve('socket.io/package.json'));
  return { Server: require(require.resolve('socket.io')).Server, version };
}

const { Server, version: socketIoVersion } = loadSocketIo();

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  console.error(`PORT must be a port number (got ${JSON.stringify(process.env.PORT)})`);
  process.exit(1);
}
const events = JSON.parse(readFileSync(process.env.EVENTS_FILE ?? '', 'utf8'));
if (!Array.isArray(events) || events.length === 0) {
  console.error('EVENTS_FILE must name a JSON file holding a non-empty array of events');
  process.exit(1);
}
const lastEventId = String(events[events.length - 1].id);

const http = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', socketIo: socketIoVersion, events: events.length }));
    return;
  }
  res.writeHead(404).end();
});

// The same engine options as the app's gateway (src/realtime/realtime.gateway.ts).
const io = new Server(http, { path: '/socket.io', maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 10_000 });
io.on('connection', (socket) => {
  for (const event of events) socket.emit('event', event);
  socket.emit('replay.done', { lastEventId });
});

http.listen(port, '127.0.0.1', () => {
  console.log(`bare socket.io ${socketIoVersion} replay server on http://127.0.0.1:${port} (${events.length} events)`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => {
    void io.close();
    process.exit(0);
  });
}
