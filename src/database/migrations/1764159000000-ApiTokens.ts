import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Read-only tokens for warning platforms that cannot log in (they read the CAP feed). Only a
 * SHA-256 of each token is kept: the token itself is shown once, when it is made.
 */
export class ApiTokens1764159000000 implements MigrationInterface {
  name = 'ApiTokens1764159000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        token_hash text NOT NULL UNIQUE,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_tokens');
  }
}
