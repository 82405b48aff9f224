import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel.js';
import { retryOnConflict } from '../common/transaction-retry.js';
import type { AppConfig } from '../config/config.js';
import { embeddedPgConfig, type ProtocolEndpoint } from './embedded-connection.js';
import { MIGRATIONS } from './migrations/index.js';

type DbConfig = Pick<AppConfig, 'databaseUrl' | 'dbPoolSize' | 'dbTimeoutMs'>;

/** The TypeORM entities; the caller lists them (src/entities.ts), so database/ knows no feature. */
export type Entities = NonNullable<DataSourceOptions['entities']>;

/**
 * The one data-source options object, used by the app and by the TypeORM CLI alike. The schema comes
 * from migrations only (no synchronize), the same migrations for the server and the embedded database.
 */
export function dataSourceOptions(config: DbConfig, entities: Entities, pglite?: PGlite): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    // Given, not loaded by name: the bundled server (scripts/bundle-server.js) has its own copy of pg.
    driver: pg,
    entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    synchronize: false,
    // PGlite has no uuid-ossp/pgcrypto to install; gen_random_uuid() is built in everywhere we run.
    installExtensions: false,
    uuidExtension: 'pgcrypto' as const,
  };
  if (config.databaseUrl) {
    return {
      ...common,
      url: config.databaseUrl,
      // Fail fast when the server stalls: no request may wait on the database forever.
      extra: {
        max: config.dbPoolSize,
        connectionTimeoutMillis: config.dbTimeoutMs,
        statement_timeout: config.dbTimeoutMs,
        query_timeout: config.dbTimeoutMs,
      },
    };
  }
  if (!pglite) throw new Error('dataSourceOptions: no DATABASE_URL and no embedded database given');
  // One connection: PGlite is a single session, and a pool of one makes transactions queue properly.
  // PGlite types its answers with its own copy of pg-protocol's message classes: the same shapes.
  return { ...common, poolSize: 1, extra: { ...embeddedPgConfig(pglite as unknown as ProtocolEndpoint), max: 1 } };
}

/** Session-level advisory lock key held while migrations run (see AppDataSource.migrate). */
const MIGRATION_LOCK = 7_400_000;

/** A DataSource that also closes the embedded database it runs on, after its own connections. */
export class AppDataSource extends DataSource {
  constructor(
    options: DataSourceOptions,
    /** The embedded database this source runs on, if any (its own LISTEN channel is used for events). */
    readonly embedded?: PGlite,
  ) {
    super(options);
  }

  /**
   * Runs pending migrations, one instance at a time: several instances may start together on one
   * server, and TypeORM takes no lock of its own. The lock is held on a connection of its own, so
   * even a pool of one can run the migrations meanwhile.
   */
  async migrate(): Promise<void> {
    if (await this.migrationsApplied()) return;
    const url = (this.options as { url?: string }).url;
    if (this.embedded || !url) {
      await this.runMigrations({ transaction: 'all' });
      return;
    }
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    try {
      await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await this.runMigrations({ transaction: 'all' });
    } finally {
      await lock.end(); // the session lock goes with the connection
    }
  }

  /**
   * Whether every migration of this release is recorded as applied — the usual restart. Two cheap
   * catalog and table reads instead of TypeORM's own check, whose information_schema look-up alone is a
   * good part of a start on the embedded database. Anything missing, and TypeORM decides (under the lock).
   * Read outside the lock: a concurrent instance migrates in one transaction, so until it commits this
   * sees the migrations as missing and waits for the lock.
   */
  private async migrationsApplied(): Promise<boolean> {
    const table = this.options.migrationsTableName ?? 'migrations';
    const [{ found }] = await this.query('SELECT to_regclass($1) IS NOT NULL AS found', [table]);
    if (!found) return false;
    const applied = new Set((await this.query(`SELECT name FROM "${table}"`)).map((r: { name: string }) => r.name));
    return this.migrations.every((m) => applied.has(m.name || m.constructor.name));
  }

  /**
   * Every `dataSource.transaction(...)` of the app runs here: a deadlock or serialization failure
   * PostgreSQL still reports is retried once (retryOnConflict).
   */
  override transaction<T>(runInTransaction: (entityManager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(isolationLevel: IsolationLevel, runInTransaction: (entityManager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(
    levelOrRun: IsolationLevel | ((entityManager: EntityManager) => Promise<T>),
    maybeRun?: (entityManager: EntityManager) => Promise<T>,
  ): Promise<T> {
    return retryOnConflict(() =>
      typeof levelOrRun === 'function' ? super.transaction(levelOrRun) : super.transaction(levelOrRun, maybeRun!),
    );
  }

  override async destroy(): Promise<void> {
    if (this.isInitialized) await super.destroy();
    if (this.embedded && !this.embedded.closed) await this.embedded.close();
  }
}
