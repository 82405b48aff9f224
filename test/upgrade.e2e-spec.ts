import { Plans1764159700000 } from '../src/database/migrations/1764159700000-Plans.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { verifyEventChain } from '../src/events/event-chain.js';
import { openDataSource } from './helpers/data-source.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.js';

// A database written by the previous release (migrations up to LogEpoch) opens in this one: the plans,
// field accountability, phone presence and position announcement migrations keep every row and event,
// and backfill what the new columns mean for old rows (a squad already on scene has a check-in due).
describe('a database of the previous release, migrated forward (e2e)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('keeps every row and event, and gives squads already on scene a check-in deadline', async () => {
    const previous = MIGRATIONS.slice(0, MIGRATIONS.indexOf(Plans1764159700000));
    const ds = await openDataSource(db, { migrations: previous });
    try {
      await ds.runMigrations({ transaction: 'all' });
      await ds.query(`INSERT INTO areas (code, name, lat, lng) VALUES ('hubin', '湖滨', 24.74, 118.63)`);
      await ds.query(`INSERT INTO facilities (code, name, type, area_code, lat, lng, capacity) VALUES ('HB-NC-01', '湖滨社区中心', 'neighborhood_center', 'hubin', 24.74, 118.63, 60)`);
      await ds.query(`INSERT INTO squads (code, name, area_code, status) VALUES ('SQ-001', '一队', 'hubin', 'on_scene'), ('SQ-002', '二队', 'hubin', 'available')`);
      // SQ-001's position was announced to dashboards, SQ-002's newer one not yet.
      await ds.query(`UPDATE squads SET lat = 24.74, lng = 118.63, position_at = '2026-11-01T08:00:00Z',
        position_announced_at = CASE code WHEN 'SQ-001' THEN '2026-11-01T08:00:00Z'::timestamptz ELSE '2026-11-01T07:00:00Z' END`);
      await ds.query(`INSERT INTO incidents (kind, severity, title, lat, lng) VALUES ('flood', 'severe', '内涝', 24.74, 118.63)`);
      await ds.query(`INSERT INTO dispatches (incident_id, squad_id, status, ack_deadline)
        SELECT i.id, s.id, CASE s.code WHEN 'SQ-001' THEN 'on_scene' ELSE 'completed' END, now()
        FROM incidents i, squads s`);
      await ds.query(`INSERT INTO events (type, severity, audience, payload) VALUES ('notice.posted', 'info', 'everyone', '{"title": "台风"}'),
        ('dispatch.progress', 'info', 'staff', '{"to": "on_scene"}')`);
      const read = async () => ({
        facilities: await ds.query('SELECT id, code, name, type, area_code, lat, lng, capacity, mode FROM facilities ORDER BY id'),
        squads: await ds.query('SELECT id, code, status FROM squads ORDER BY id'),
        dispatches: await ds.query('SELECT id, incident_id, squad_id, status, ack_deadline FROM dispatches ORDER BY id'),
        events: await ds.query('SELECT id::text AS id, type, at, payload, hash FROM events ORDER BY id'),
      });
      const before = await read();

      const q = ds.createQueryRunner();
      await q.startTransaction();
      for (const Migration of MIGRATIONS.slice(previous.length)) await new Migration().up(q);
      await q.commitTransaction();
      await q.release();

      expect(await read()).toEqual(before);
      expect(await verifyEventChain(ds)).toMatchObject({ ok: true, checked: 2 });
      const dispatches: { status: string; due: boolean; misses: number }[] = await ds.query(
        'SELECT status, check_in_due_at > now() AS due, check_in_misses AS misses FROM dispatches ORDER BY status',
      );
      expect(dispatches).toEqual([{ status: 'completed', due: null, misses: 0 }, { status: 'on_scene', due: true, misses: 0 }]);
      expect(await ds.query('SELECT phone_online FROM squads')).toEqual([{ phone_online: false }, { phone_online: false }]);
      expect(await ds.query('SELECT occupancy, site_status FROM facilities')).toEqual([{ occupancy: 0, site_status: null }]);
      // Each squad's announced position is kept, so the first sweep after the upgrade announces SQ-002 only.
      expect(await ds.query(`SELECT s.code, s.position_at IS DISTINCT FROM a.position_at AS news
        FROM squads s JOIN squad_position_announcements a ON a.squad_id = s.id ORDER BY s.code`)).toEqual([{ code: 'SQ-001', news: false }, { code: 'SQ-002', news: true }]);
    } finally {
      await ds.destroy();
    }
  });
});
