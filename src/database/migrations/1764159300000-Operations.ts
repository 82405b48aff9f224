import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A night of operations: when a returning squad was last reported overdue (so each stint is reported
 * once), and the areas' approximate boundaries for a map without tiles. Both start empty on old rows:
 * no squad has been reported yet, and the seed or an import gives areas their shapes.
 */
export class Operations1764159300000 implements MigrationInterface {
  name = 'Operations1764159300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE squads ADD COLUMN return_alerted_at timestamptz');
    await q.query('ALTER TABLE areas ADD COLUMN boundary jsonb');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE areas DROP COLUMN boundary');
    await q.query('ALTER TABLE squads DROP COLUMN return_alerted_at');
  }
}
