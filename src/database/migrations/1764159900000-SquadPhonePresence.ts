import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a squad leader's phone holds a socket, and since when: the dispatch board tells "accepted but
 * offline" from "ignored". Old rows start offline with no time (never seen since this release).
 */
export class SquadPhonePresence1764159900000 implements MigrationInterface {
  name = 'SquadPhonePresence1764159900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE squads ADD COLUMN phone_online boolean NOT NULL DEFAULT false');
    await q.query('ALTER TABLE squads ADD COLUMN phone_changed_at timestamptz');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE squads DROP COLUMN phone_changed_at');
    await q.query('ALTER TABLE squads DROP COLUMN phone_online');
  }
}
