import type { AppDataSource } from '../src/database/data-source-options.js';
import { seedDemoData } from '../src/seed/seed.js';
import { openDataSource } from './helpers/data-source.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';

const TABLES = ['users', 'areas', 'grid_zones', 'facilities', 'user_facilities', 'squads', 'squad_members', 'supply_items', 'reserve_requirements',
  'stock_lots', 'stock_movements', 'drills', 'drill_squads', 'response_plans'];

// The demo seed runs on every start with DEMO_DATA: a second run must add and change nothing, and one on
// a database missing a piece must put it back (its quick "already there" checks skip only what is).
describe('the demo seed (e2e)', () => {
  let db: TestDatabase;
  let ds: AppDataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await openDataSource(db);
    await ds.migrate();
  });
  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const counts = async () => {
    const row: Record<string, number>[] = await ds.query(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);
    return row[0];
  };
  const seed = () => seedDemoData(ds, { demoPassword: 'demo-password-1', passwordHashing: 'light' });

  it('is complete once, the same when run again, and puts back a missing account and area shape', async () => {
    await seed();
    const first = await counts();
    for (const table of TABLES) expect(first[table]).toBeGreaterThan(0);
    const users = await ds.query('SELECT username, password_hash, squad_id FROM users ORDER BY username');
    expect(users.filter((u: { squad_id: string | null }) => u.squad_id)).toHaveLength(128);

    await seed();
    expect(await counts()).toEqual(first);
    expect(await ds.query('SELECT username, password_hash, squad_id FROM users ORDER BY username')).toEqual(users);

    await ds.query(`DELETE FROM users WHERE username = 'viewer'`);
    await ds.query(`UPDATE areas SET boundary = NULL WHERE code = 'hubin'`);
    await seed();
    expect(await counts()).toEqual(first);
    expect(await ds.query(`SELECT role FROM users WHERE username = 'viewer'`)).toEqual([{ role: 'viewer' }]);
    expect(await ds.query(`SELECT boundary IS NOT NULL AS shaped FROM areas WHERE code = 'hubin'`)).toEqual([{ shaped: true }]);
  });
});
