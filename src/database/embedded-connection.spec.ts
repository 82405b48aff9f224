import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { embeddedPgConfig, type ProtocolEndpoint } from './embedded-connection.js';
import { IN_MEMORY, makeEmbeddedTemplate, prepareEmbeddedFolder } from './embedded-template.js';

/**
 * Runs `test` with a pool of one on an in-memory PGlite, counting the exchanges that reach PGlite.
 * From the build's template: initdb in each case took most of this file's time.
 */
async function onPglite(test: (pool: pg.Pool, counted: { exchanges: number }) => Promise<void>) {
  const db = await PGlite.create(await prepareEmbeddedFolder(IN_MEMORY, (await makeEmbeddedTemplate()).tarball));
  const counted = { exchanges: 0 };
  const endpoint: ProtocolEndpoint = {
    waitReady: db.waitReady,
    execProtocolStream: (message, options) => {
      counted.exchanges++;
      return db.execProtocolStream(message, options) as ReturnType<ProtocolEndpoint['execProtocolStream']>;
    },
  };
  const pool = new pg.Pool({ ...embeddedPgConfig(endpoint), max: 1 });
  try {
    await test(pool, counted);
  } finally {
    await pool.end();
    await db.close();
  }
}

describe('EmbeddedConnection (node-postgres on PGlite)', () => {
  it('hands PGlite a parameterised query in one exchange, and gives back its rows typed as pg does', () =>
    onPglite(async (pool, counted) => {
      await pool.query('CREATE TABLE t (id int PRIMARY KEY, n bigint, at timestamptz)');
      counted.exchanges = 0;
      const { rows } = await pool.query('INSERT INTO t VALUES ($1, $2, $3) RETURNING *', [1, '9007199254740993', new Date('2026-01-02T03:04:05Z')]);
      expect(counted.exchanges).toBe(1); // parse, bind, describe, execute and sync together (five with PGlite's adapter)
      expect(rows).toEqual([{ id: 1, n: '9007199254740993', at: new Date('2026-01-02T03:04:05Z') }]);
    }));

  it('reports PostgreSQL errors with their codes, keeps the session usable, and rolls back', () =>
    onPglite(async (pool) => {
      await pool.query('CREATE TABLE t (id int PRIMARY KEY)');
      await pool.query('INSERT INTO t VALUES (1)');
      await expect(pool.query('INSERT INTO t VALUES ($1)', [1])).rejects.toMatchObject({ code: '23505', table: 't' });
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO t VALUES (2)');
        await expect(client.query('SELECT 1/0')).rejects.toMatchObject({ code: '22012' });
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      expect((await pool.query('SELECT id FROM t ORDER BY id')).rows).toEqual([{ id: 1 }]);
    }));

  it('answers queries sent together in the order they were sent', () =>
    onPglite(async (pool) => {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => pool.query('SELECT $1::int AS i', [i])));
      expect(answers.map((a) => a.rows[0].i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    }));
});
