import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Users1764158400000 implements MigrationInterface {
  name = 'Users1764158400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CONSTRAINT users_role_check CHECK (role IN ('commander', 'squad_leader', 'coordinator', 'viewer')),
        squad_id uuid,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_squad_only_for_leaders CHECK (squad_id IS NULL OR role = 'squad_leader')
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE users');
  }
}
