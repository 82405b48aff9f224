import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accountability in the field (issue #17): site managers bound to their sites, site self-reports and
 * supply requests, emergency capacity and occupancy, 叫应 roll calls with their escalation state, the
 * outbound message table, and check-in timers on dispatches. Every deadline lives in a column a sweeper
 * reads, so a restart forgets nothing.
 */
export class FieldAccountability1764159800000 implements MigrationInterface {
  name = 'FieldAccountability1764159800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP CONSTRAINT users_role_check');
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('commander', 'squad_leader', 'coordinator', 'viewer', 'site_manager'))`);
    await q.query(`
      CREATE TABLE user_facilities (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        facility_id uuid NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, facility_id)
      )`);
    await q.query('CREATE INDEX user_facilities_facility_idx ON user_facilities (facility_id)');

    // Null emergency_capacity: the site's ordinary capacity stands in (no backfill needed, and imported sites get it too).
    await q.query(`ALTER TABLE facilities
      ADD COLUMN emergency_capacity integer CHECK (emergency_capacity >= 0),
      ADD COLUMN occupancy integer NOT NULL DEFAULT 0 CHECK (occupancy >= 0),
      ADD COLUMN site_status text CHECK (site_status IN ('open', 'limited', 'full', 'closed')),
      ADD COLUMN site_reported_at timestamptz`);
    await q.query(`
      CREATE TABLE site_reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('open', 'limited', 'full', 'closed')),
        occupancy integer CHECK (occupancy >= 0),
        capacity integer CHECK (capacity >= 0),
        needs jsonb NOT NULL DEFAULT '[]',
        note text,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        actor_name text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX site_reports_facility_idx ON site_reports (facility_id, at DESC)');
    await q.query(`
      CREATE TABLE supply_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities (id) ON DELETE CASCADE,
        report_id uuid NOT NULL REFERENCES site_reports (id) ON DELETE CASCADE,
        item_code text NOT NULL REFERENCES supply_items (code),
        quantity integer NOT NULL CHECK (quantity > 0),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fulfilled')),
        transfer_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        fulfilled_at timestamptz
      )`);
    await q.query(`CREATE INDEX supply_requests_open_idx ON supply_requests (created_at) WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE roll_calls (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        message text NOT NULL,
        audience jsonb NOT NULL,
        exercise boolean NOT NULL DEFAULT false,
        source text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'switchover', 'plan')),
        switchover_id uuid REFERENCES switchovers (id),
        answer_within_seconds integer NOT NULL CHECK (answer_within_seconds > 0),
        deadline timestamptz NOT NULL,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_by_name text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE roll_call_entries (
        roll_call_id uuid NOT NULL REFERENCES roll_calls (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        username text NOT NULL,
        reply_code text NOT NULL UNIQUE,
        answered_at timestamptz,
        answered_via text CHECK (answered_via IN ('app', 'reply')),
        note text,
        escalated_at timestamptz,
        resent_at timestamptz,
        PRIMARY KEY (roll_call_id, user_id)
      )`);
    await q.query('CREATE INDEX roll_call_entries_user_idx ON roll_call_entries (user_id)');
    await q.query('CREATE INDEX roll_call_entries_due_idx ON roll_call_entries (roll_call_id) WHERE answered_at IS NULL AND escalated_at IS NULL');

    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        channel text NOT NULL CHECK (channel IN ('sms', 'voice')),
        recipient_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        recipient text NOT NULL,
        body text NOT NULL,
        reply_code text,
        topic text NOT NULL,
        ref_id uuid,
        exercise boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        driver text,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query('CREATE INDEX outbox_unsent_idx ON outbox (id) WHERE sent_at IS NULL');

    await q.query(`ALTER TABLE dispatches
      ADD COLUMN check_in_due_at timestamptz,
      ADD COLUMN check_in_misses integer NOT NULL DEFAULT 0,
      ADD COLUMN last_check_in_at timestamptz`);
    await q.query(`CREATE INDEX dispatches_check_in_due_idx ON dispatches (check_in_due_at) WHERE status = 'on_scene'`);
    // Squads already on scene when this release starts check in too: their first check-in is due after the
    // default interval (PAR_INTERVAL_MINUTES' default), counted from the upgrade.
    await q.query(`UPDATE dispatches SET check_in_due_at = now() + interval '20 minutes' WHERE status = 'on_scene'`);
    await q.query(`
      CREATE TABLE dispatch_check_ins (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        dispatch_id uuid NOT NULL REFERENCES dispatches (id) ON DELETE CASCADE,
        at timestamptz NOT NULL DEFAULT now(),
        note text,
        lat double precision CHECK (lat BETWEEN -90 AND 90),
        lng double precision CHECK (lng BETWEEN -180 AND 180),
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL
      )`);
    await q.query('CREATE INDEX dispatch_check_ins_dispatch_idx ON dispatch_check_ins (dispatch_id, at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE dispatch_check_ins');
    await q.query('DROP INDEX dispatches_check_in_due_idx');
    await q.query('ALTER TABLE dispatches DROP COLUMN check_in_due_at, DROP COLUMN check_in_misses, DROP COLUMN last_check_in_at');
    await q.query('DROP TABLE outbox');
    await q.query('DROP TABLE roll_call_entries');
    await q.query('DROP TABLE roll_calls');
    await q.query('DROP TABLE supply_requests');
    await q.query('DROP TABLE site_reports');
    await q.query('ALTER TABLE facilities DROP COLUMN emergency_capacity, DROP COLUMN occupancy, DROP COLUMN site_status, DROP COLUMN site_reported_at');
    await q.query('DROP TABLE user_facilities');
    await q.query(`DELETE FROM users WHERE role = 'site_manager'`);
    await q.query('ALTER TABLE users DROP CONSTRAINT users_role_check');
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('commander', 'squad_leader', 'coordinator', 'viewer'))`);
  }
}
