import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import pg from 'pg';
import type { Server } from 'socket.io';
import type { AppConfig } from '../config/config.js';

type AdapterFactory = Parameters<Server['adapter']>[0];

/** How socket.io broadcasts reach the sockets of other instances, and how to let go of it. */
export interface ClusterAdapter {
  kind: 'redis' | 'postgres';
  factory: AdapterFactory;
  close(): Promise<void>;
}

const logger = new Logger('SocketAdapter');

/**
 * The socket.io adapter for several instances: Redis when REDIS_URL is set, else the PostgreSQL server
 * (no other infrastructure needed), none on the embedded database (one process by nature).
 *
 * The event log does not travel this way: every instance's relay reads the shared log and emits to its
 * own sockets (`server.local`), which keeps order and replay. The adapter carries the rest: messages for
 * one user's sockets wherever they are connected (import progress). The PostgreSQL adapter waits for its
 * NOTIFY before even local delivery, so its pool has the same short timeouts as the app's: a stalled
 * database delays such a message by DB_TIMEOUT_MS at most, and log events not at all.
 */
export async function clusterAdapterFor(config: AppConfig): Promise<ClusterAdapter | undefined> {
  // The adapters are imported only when used: the Redis client alone is a good part of a start's module
  // loading, and the embedded database needs neither.
  if (config.redisUrl) {
    // One after the other: two imports at once can race in a module loader (Jest's ESM runtime fails one).
    const { createClient } = await import('redis');
    const { createAdapter: createRedisAdapter } = await import('@socket.io/redis-adapter');
    const pub = createClient({ url: config.redisUrl, socket: { connectTimeout: config.dbTimeoutMs } });
    const sub = pub.duplicate();
    for (const client of [pub, sub]) client.on('error', (e: Error) => logger.warn(`redis: ${e.message}`));
    await Promise.all([pub.connect(), sub.connect()]);
    return { kind: 'redis', factory: createRedisAdapter(pub, sub, { key: `${config.redisPrefix}:socket.io` }), close: async () => void (await Promise.allSettled([pub.quit(), sub.quit()])) };
  }
  if (!config.databaseUrl) return undefined;
  const { createAdapter: createPostgresAdapter } = await import('@socket.io/postgres-adapter');
  const pool = new pg.Pool({
    connectionString: config.databaseUrl,
    max: 2,
    connectionTimeoutMillis: config.dbTimeoutMs,
    query_timeout: config.dbTimeoutMs,
  });
  const warn = (e: Error) => logger.warn(`socket.io postgres adapter: ${e.message}`);
  pool.on('error', warn);
  // The adapter keeps one client checked out for LISTEN without an 'error' listener of its own: a lost
  // connection would be an unhandled 'error' event and take the process down. It reconnects on 'end'.
  const clients = new Set<pg.PoolClient>();
  pool.on('connect', (client) => {
    clients.add(client);
    client.on('error', warn);
    client.on('end', () => clients.delete(client));
  });
  return {
    kind: 'postgres',
    factory: createPostgresAdapter(pool, { errorHandler: warn }),
    // pool.end() waits for every checked-out client, and the adapter may still be reconnecting its
    // LISTEN client when the app stops (a database that is gone): wait a little, then cut them.
    close: async () => {
      const grace = new Promise((resolve) => setTimeout(resolve, config.dbTimeoutMs).unref());
      await Promise.race([pool.end().catch(warn), grace]);
      for (const client of clients) (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    },
  };
}

/** Nest's socket.io adapter, with the cluster adapter plugged into the server it creates. */
export class ClusterIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly cluster: ClusterAdapter,
  ) {
    super(app);
  }

  override createIOServer(...args: Parameters<IoAdapter['createIOServer']>): ReturnType<IoAdapter['createIOServer']> {
    const server = super.createIOServer(...args);
    // Nest bundles its own copy of socket.io; the adapter works with either, only the types differ.
    server.adapter(this.cluster.factory as Parameters<typeof server.adapter>[0]);
    return server;
  }

  /** After the servers are closed (app.close()): let go of the adapter's connections. */
  override async dispose(): Promise<void> {
    await this.cluster.close();
  }
}
