import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A record of every applied import (who, what file, what it changed), for the city's audit trail. */
export class Imports1764159100000 implements MigrationInterface {
  name = 'Imports1764159100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE imports (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('facilities', 'squads')),
        format text NOT NULL CHECK (format IN ('csv', 'geojson')),
        file_name text,
        file_sha256 text NOT NULL,
        rows integer NOT NULL,
        created integer NOT NULL,
        updated integer NOT NULL,
        unchanged integer NOT NULL,
        areas_created text[] NOT NULL DEFAULT '{}',
        actor_id uuid REFERENCES users (id),
        actor_name text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX imports_at_idx ON imports (at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE imports');
  }
}
