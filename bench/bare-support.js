// Shared by the bare baseline servers (bench/bare-socketio-server.js, bench/bare-dispatch-server.js):
// the copy of socket.io the app runs, and the PORT to listen on.
import { createRequire } from 'node:module';

/** socket.io as @nestjs/platform-socket.io resolves it, else as this project does. */
export function loadSocketIo() {
  let from = import.meta.url;
  try {
    from = import.meta.resolve('@nestjs/platform-socket.io');
  } catch {
    // no Nest adapter installed: the project's own socket.io
  }
  const require = createRequire(from);
  const entry = require.resolve('socket.io');
  const { version } = require(require.resolve('socket.io/package.json'));
  return { Server: require(entry).Server, version, entry };
}

/** PORT from the environment; exits 1 when it is not a port number. */
export function portFromEnv() {
  const port = Number(process.env.PORT);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`PORT must be a port number (got ${JSON.stringify(process.env.PORT)})`);
    process.exit(1);
  }
  return port;
}

/**
 * Reads a JSON request body of at most `maxBytes` (a larger one destroys the request), then calls
 * `onBody(body)` ({} when empty) or, when it is not JSON, `onBadJson()`.
 */
export function readJsonBody(req, maxBytes, onBody, onBadJson) {
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size > maxBytes) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      onBadJson();
      return;
    }
    onBody(body);
  });
}
