import { DataSource } from 'typeorm';
import { Plans1764159700000 } from '../src/database/migrations/1764159700000-Plans.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { embeddedFor, openDataSource } from './helpers/data-source.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';

// What the app does on start (AppDataSource.migrate): a database that lacks some of this release's
// migrations gets them, and one that has them all is left as it is — the quick "all applied" check
// must never mistake the first for the second.
describe('migrations on start (e2e)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('applies what a database of the previous release lacks, then finds nothing to do', async () => {
    const pglite = await embeddedFor(db);
    const open = (migrations: typeof MIGRATIONS) => openDataSource(db, { migrations, pglite });
    const previous = await open(MIGRATIONS.slice(0, MIGRATIONS.indexOf(Plans1764159700000)));
    await previous.migrate();
    await previous.query('INSERT INTO areas (code, name, lat, lng) VALUES ($1, $2, 24.74, 118.63)', ['hubin', '湖滨']);
    // An AppDataSource closes its embedded database too: keep that open for the next one.
    await DataSource.prototype.destroy.call(previous);

    const current = await open(MIGRATIONS);
    try {
      const applied = async () => (await current.query('SELECT name FROM migrations ORDER BY id')).map((r: { name: string }) => r.name);
      expect(await applied()).toHaveLength(MIGRATIONS.indexOf(Plans1764159700000));
      await current.migrate();
      const all = MIGRATIONS.map((M) => new M().name);
      expect(await applied()).toEqual(all);
      // The old row is kept, and the last migration's column is there.
      expect(await current.query('SELECT code FROM areas')).toEqual([{ code: 'hubin' }]);
      expect(await current.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'squads' AND column_name = 'phone_online'`)).toEqual([
        { n: 1 },
      ]);

      await current.migrate();
      expect(await applied()).toEqual(all);
    } finally {
      await current.destroy();
    }
  });
});
