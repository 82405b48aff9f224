import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Response plans (应急预案) by level, their activations, the sites each covers with their conversion,
 * the conversion and demobilisation tasks, and the squads put on standby (an order, not a status: a
 * squad on standby stays dispatchable). New tables only: no old row needs a backfill.
 */
export class Plans1764159700000 implements MigrationInterface {
  name = 'Plans1764159700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE response_plans (
        code text PRIMARY KEY,
        name text NOT NULL,
        name_en text NOT NULL,
        hazard text NOT NULL CHECK (hazard IN ('typhoon', 'rainstorm', 'cold_wave', 'public_health', 'other')),
        levels jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE plan_activations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plan_code text NOT NULL REFERENCES response_plans (code),
        level int NOT NULL CHECK (level BETWEEN 1 AND 4),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'standing_down', 'closed')),
        exercise boolean NOT NULL DEFAULT false,
        reason text NOT NULL,
        actor_id uuid REFERENCES users (id),
        actor_name text,
        activated_at timestamptz NOT NULL DEFAULT now(),
        stood_down_at timestamptz,
        closed_at timestamptz,
        shortfalls_at_activation jsonb NOT NULL DEFAULT '[]',
        shortfalls_at_stand_down jsonb
      )`);
    await q.query('CREATE INDEX plan_activations_status_idx ON plan_activations (status)');
    await q.query(`
      CREATE TABLE activation_sites (
        activation_id uuid NOT NULL REFERENCES plan_activations (id),
        facility_id uuid NOT NULL REFERENCES facilities (id),
        switched boolean NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        expected_ready_at timestamptz NOT NULL,
        ready_at timestamptz,
        overdue_alerted_at timestamptz,
        released_at timestamptz,
        PRIMARY KEY (activation_id, facility_id)
      )`);
    await q.query('CREATE INDEX activation_sites_facility_idx ON activation_sites (facility_id)');
    await q.query(`
      CREATE TABLE conversion_tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        activation_id uuid NOT NULL REFERENCES plan_activations (id),
        facility_id uuid NOT NULL REFERENCES facilities (id),
        kind text NOT NULL CHECK (kind IN ('conversion', 'demobilisation')),
        title text NOT NULL,
        title_en text,
        who text,
        expected_minutes numeric NOT NULL CHECK (expected_minutes >= 0),
        position int NOT NULL DEFAULT 0,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
        created_at timestamptz NOT NULL DEFAULT now(),
        done_at timestamptz,
        done_by text,
        note text
      )`);
    await q.query('CREATE INDEX conversion_tasks_activation_idx ON conversion_tasks (activation_id, facility_id)');
    await q.query(`
      CREATE TABLE squad_standby (
        activation_id uuid NOT NULL REFERENCES plan_activations (id),
        squad_id uuid NOT NULL REFERENCES squads (id),
        ordered_at timestamptz NOT NULL DEFAULT now(),
        released_at timestamptz,
        PRIMARY KEY (activation_id, squad_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE squad_standby');
    await q.query('DROP TABLE conversion_tasks');
    await q.query('DROP TABLE activation_sites');
    await q.query('DROP TABLE plan_activations');
    await q.query('DROP TABLE response_plans');
  }
}
