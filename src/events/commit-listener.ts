import { Logger } from '@nestjs/common';
import pg from 'pg';
import type { AppDataSource } from '../database/data-source-options.js';

/**
 * Calls `onNotify` whenever a transaction that appended events commits, in this or any other process
 * on the same database (PostgreSQL delivers NOTIFY on commit only), with the notification's payload
 * (undefined when it is a catch-up call after (re)connecting). The embedded database is listened
 * to in-process; a server through one dedicated connection that reconnects by itself. Returns `stop`.
 */
export async function listenForCommits(dataSource: AppDataSource, channel: string, onNotify: (payload?: string) => void): Promise<() => Promise<void>> {
  if (dataSource.embedded) {
    const unlisten = await dataSource.embedded.listen(channel, (payload) => onNotify(payload));
    return async () => {
      if (!dataSource.embedded?.closed) await unlisten();
    };
  }
  const logger = new Logger('CommitListener');
  const options = dataSource.options as { url?: string; extra?: { connectionTimeoutMillis?: number } };
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: options.url, connectionTimeoutMillis: options.extra?.connectionTimeoutMillis ?? 5000 });
    const reconnect = () => {
      if (stopped || client !== c) return;
      client = undefined;
      void c.end().catch(() => {});
      retry = setTimeout(() => void connect(), 1000);
    };
    client = c;
    c.on('notification', (msg) => onNotify(msg.payload));
    c.on('error', (e) => {
      logger.warn(`event listener connection lost: ${e.message}`);
      reconnect();
    });
    c.on('end', reconnect);
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      onNotify(); // catch up on whatever committed while we were not listening
    } catch (e) {
      logger.warn(`event listener cannot connect: ${(e as Error).message}`);
      reconnect();
    }
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}
