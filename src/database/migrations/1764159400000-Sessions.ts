import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sessions that can end: a user can be disabled (`disabled_at`), and every access token carries the
 * user's `token_version`, which disabling raises, so tokens issued before stop working. Existing users
 * start enabled at version 0 — what tokens without a version claim count as.
 * Refresh tokens are kept as SHA-256 hashes only; each is used once (`used_at`) and replaced by a new
 * one of the same `family_id` (one login); reusing a spent one revokes its whole family.
 */
export class Sessions1764159400000 implements MigrationInterface {
  name = 'Sessions1764159400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN disabled_at timestamptz,
        ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        family_id uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query('CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL');
    await q.query('CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE refresh_tokens');
    await q.query('ALTER TABLE users DROP COLUMN token_version, DROP COLUMN disabled_at');
  }
}
