import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log's identity: one random id per database, made here (so an existing database gets one
 * too) and never changed. A client keeps it with its resume point; after a database reset the log has
 * a new epoch, and an event id from the old one is not resumed from (the client starts fresh).
 */
export class LogEpoch1764159600000 implements MigrationInterface {
  name = 'LogEpoch1764159600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE log_identity (
      singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
      epoch uuid NOT NULL DEFAULT gen_random_uuid()
    )`);
    await q.query('INSERT INTO log_identity DEFAULT VALUES');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE log_identity');
  }
}
