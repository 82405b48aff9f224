import net from 'node:net';

/**
 * A loopback TCP proxy in front of the database, so a test can misbehave like a network or a server:
 * `pause()` stops forwarding in both directions while keeping every connection open (a stall),
 * `resume()` forwards again, `dropConnections()` cuts every connection but keeps accepting (a restart),
 * `close()` drops everything and stops listening, leaving a closed port where the database was.
 */
export interface TcpProxy {
  port: number;
  pause(): void;
  resume(): void;
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let paused = false;
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
    // After pipe(), which resumes its source: a connection opened during a stall stalls too.
    if (paused) for (const s of [client, upstream]) s.pause();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    pause() {
      paused = true;
      for (const s of sockets) s.pause();
    },
    resume() {
      paused = false;
      for (const s of sockets) s.resume();
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
