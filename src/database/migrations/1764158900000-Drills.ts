import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Drills1764158900000 implements MigrationInterface {
  name = 'Drills1764158900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE drills (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('drill', 'training')),
        scenario text,
        areas text[] NOT NULL DEFAULT '{}',
        planned_start timestamptz NOT NULL,
        planned_end timestamptz NOT NULL,
        actual_start timestamptz,
        actual_end timestamptz,
        status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'running', 'finished', 'cancelled')),
        summary text,
        coordinator_id uuid REFERENCES users (id),
        coordinator_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT drills_planned_order CHECK (planned_end > planned_start)
      )`);
    await q.query('CREATE INDEX drills_planned_start_idx ON drills (planned_start)');
    await q.query(`
      CREATE TABLE drill_squads (
        drill_id uuid NOT NULL REFERENCES drills (id),
        squad_id uuid NOT NULL REFERENCES squads (id),
        PRIMARY KEY (drill_id, squad_id)
      )`);
    await q.query(`
      CREATE TABLE drill_facilities (
        drill_id uuid NOT NULL REFERENCES drills (id),
        facility_id uuid NOT NULL REFERENCES facilities (id),
        PRIMARY KEY (drill_id, facility_id)
      )`);
    await q.query(`
      CREATE TABLE drill_log (
        id bigserial PRIMARY KEY,
        drill_id uuid NOT NULL REFERENCES drills (id),
        at timestamptz NOT NULL,
        text text NOT NULL,
        actor_id uuid,
        actor_name text,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX drill_log_drill_idx ON drill_log (drill_id, at)');
    await q.query('CREATE INDEX dispatches_drill_idx ON dispatches (drill_id) WHERE drill_id IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX dispatches_drill_idx');
    for (const table of ['drill_log', 'drill_facilities', 'drill_squads', 'drills']) await q.query(`DROP TABLE ${table}`);
  }
}
