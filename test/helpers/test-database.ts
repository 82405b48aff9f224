import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A database for one test app: with TEST_DATABASE_URL a fresh database on that server, created here
 * and dropped by `drop()`; without it the embedded PostgreSQL in memory.
 */
export interface TestDatabase {
  env: Record<string, string>;
  /** The server database's URL, when there is one. */
  url?: string;
  drop(): Promise<void>;
}

export const serverUrl = (): string | undefined => process.env.TEST_DATABASE_URL || undefined;

async function onServer(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = serverUrl();
  // In memory, from the template that test/global-setup.js names (initdb is seconds of WebAssembly).
  if (!admin) return { env: { PGLITE_DIR: 'memory://', PGLITE_TEMPLATE: process.env.PGLITE_TEMPLATE ?? '' }, drop: async () => {} };
  const name = `pingji_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(admin, `CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    drop: () => onServer(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
