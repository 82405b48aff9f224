import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which position of each squad dashboards were last told of, in a table of its own: the sweep that
 * announces positions used to mark it on the squad's row, and so held every moved squad's row lock
 * until its events committed — each second, the phones' position writes waited behind it. Old rows
 * keep their mark (a squad announced before the upgrade is not announced again).
 */
export class PositionAnnouncements1764160100000 implements MigrationInterface {
  name = 'PositionAnnouncements1764160100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE squad_position_announcements (
      squad_id uuid PRIMARY KEY REFERENCES squads(id) ON DELETE CASCADE,
      position_at timestamptz NOT NULL)`);
    await q.query(`INSERT INTO squad_position_announcements (squad_id, position_at)
      SELECT id, position_announced_at FROM squads WHERE position_announced_at IS NOT NULL`);
    await q.query('ALTER TABLE squads DROP COLUMN position_announced_at');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE squads ADD COLUMN position_announced_at timestamptz');
    await q.query('UPDATE squads s SET position_announced_at = a.position_at FROM squad_position_announcements a WHERE a.squad_id = s.id');
    await q.query('DROP TABLE squad_position_announcements');
  }
}
