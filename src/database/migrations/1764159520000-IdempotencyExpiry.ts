import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys are now claimed and answered inside the action's transaction, so a key without an
 * answer can no longer be committed; the ones an older release left "in progress" (a crash between
 * claim and answer) are dropped, so their retries run. Keys expire after 24 hours: an index for the cleanup.
 */
export class IdempotencyExpiry1764159520000 implements MigrationInterface {
  name = 'IdempotencyExpiry1764159520000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM idempotency_keys WHERE status IS NULL');
    await q.query('CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idempotency_keys_created_idx');
  }
}
