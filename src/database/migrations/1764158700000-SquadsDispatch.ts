import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SquadsDispatch1764158700000 implements MigrationInterface {
  name = 'SquadsDispatch1764158700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE squads (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        area_code text NOT NULL REFERENCES areas (code),
        base_facility_id uuid REFERENCES facilities (id),
        skills text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'available'
          CHECK (status IN ('available', 'assigned', 'en_route', 'on_scene', 'returning', 'unavailable')),
        status_changed_at timestamptz,
        lat double precision CHECK (lat BETWEEN -90 AND 90),
        lng double precision CHECK (lng BETWEEN -180 AND 180),
        position_accuracy double precision,
        position_at timestamptz,
        -- the position_at last announced as a squad.position event (PositionBroadcaster)
        position_announced_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE squad_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        squad_id uuid NOT NULL REFERENCES squads (id),
        name text NOT NULL,
        phone text,
        party_member boolean NOT NULL DEFAULT false,
        is_leader boolean NOT NULL DEFAULT false,
        skills text[] NOT NULL DEFAULT '{}'
      )`);
    await q.query('CREATE INDEX squad_members_squad_idx ON squad_members (squad_id)');
    await q.query('ALTER TABLE users ADD CONSTRAINT users_squad_id_fkey FOREIGN KEY (squad_id) REFERENCES squads (id)');
    await q.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kind text NOT NULL CHECK (kind IN ('typhoon', 'flood', 'storm_surge', 'fire', 'medical', 'rescue', 'public_health', 'other')),
        severity text NOT NULL CHECK (severity IN ('extreme', 'severe', 'moderate', 'minor')),
        title text NOT NULL,
        description text,
        lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
        lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
        required_skills text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'cancelled')),
        exercise boolean NOT NULL DEFAULT false,
        drill_id uuid,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE dispatches (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        incident_id uuid NOT NULL REFERENCES incidents (id),
        squad_id uuid NOT NULL REFERENCES squads (id),
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'accepted', 'declined', 'expired', 'en_route', 'on_scene', 'completed', 'cancelled')),
        note text,
        ack_deadline timestamptz NOT NULL,
        exercise boolean NOT NULL DEFAULT false,
        drill_id uuid,
        created_by uuid REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_at timestamptz,
        decline_reason text,
        en_route_at timestamptz,
        on_scene_at timestamptz,
        completed_at timestamptz,
        cancelled_at timestamptz,
        cancel_reason text,
        expired_at timestamptz
      )`);
    // A squad has at most one real dispatch under way: the database says so too, not only the code.
    await q.query(`CREATE UNIQUE INDEX dispatches_one_active_per_squad ON dispatches (squad_id)
      WHERE NOT exercise AND status IN ('pending', 'accepted', 'en_route', 'on_scene')`);
    await q.query(`CREATE INDEX dispatches_pending_deadline_idx ON dispatches (ack_deadline) WHERE status = 'pending'`);
    await q.query('CREATE INDEX dispatches_squad_idx ON dispatches (squad_id, created_at)');
    await q.query('CREATE INDEX dispatches_incident_idx ON dispatches (incident_id)');
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        key text NOT NULL,
        request text NOT NULL,
        status integer,
        body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
    await q.query('DROP TABLE dispatches');
    await q.query('DROP TABLE incidents');
    await q.query('ALTER TABLE users DROP CONSTRAINT users_squad_id_fkey');
    await q.query('DROP TABLE squad_members');
    await q.query('DROP TABLE squads');
  }
}
