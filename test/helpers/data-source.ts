import type { PGlite } from '@electric-sql/pglite';
import { AppDataSource, dataSourceOptions } from '../../src/database/data-source-options.js';
import { openEmbeddedPostgres } from '../../src/database/embedded.js';
import type { MIGRATIONS } from '../../src/database/migrations/index.js';
import { ENTITIES } from '../../src/entities.js';
import type { TestDatabase } from './test-database.js';

/** The embedded database a test's data sources share (none on a server): fresh, in memory. */
export const embeddedFor = (db: TestDatabase): Promise<PGlite | undefined> => (db.url ? Promise.resolve(undefined) : openEmbeddedPostgres('memory://'));

/**
 * A data source straight on a test database, opened as the app opens its own, that knows only
 * `migrations` (all of them when not given; fewer: a database as an earlier release left it). On the
 * embedded database it runs on `pglite`, a new one unless a test passes the one it keeps across sources.
 */
export async function openDataSource(db: TestDatabase, opts: { migrations?: typeof MIGRATIONS; pglite?: PGlite } = {}): Promise<AppDataSource> {
  const pglite = opts.pglite ?? (await embeddedFor(db));
  const options = dataSourceOptions({ databaseUrl: db.url, dbPoolSize: 2, dbTimeoutMs: 10_000 }, ENTITIES, pglite);
  const ds = new AppDataSource(opts.migrations ? { ...options, migrations: opts.migrations } : options, pglite);
  await ds.initialize();
  return ds;
}
