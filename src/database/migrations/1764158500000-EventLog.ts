import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EventLog1764158500000 implements MigrationInterface {
  name = 'EventLog1764158500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        id bigserial PRIMARY KEY,
        type text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_name text,
        exercise boolean NOT NULL DEFAULT false,
        severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        audience text NOT NULL CHECK (audience IN ('everyone', 'staff', 'squad')),
        facility_id uuid,
        squad_id uuid,
        dispatch_id uuid,
        incident_id uuid,
        drill_id uuid,
        payload jsonb NOT NULL DEFAULT '{}',
        CONSTRAINT events_squad_audience_has_squad CHECK (audience <> 'squad' OR squad_id IS NOT NULL)
      )`);
    await q.query('CREATE INDEX events_squad_idx ON events (squad_id, id) WHERE squad_id IS NOT NULL');
    await q.query(`CREATE INDEX events_alerts_idx ON events (id) WHERE severity <> 'info'`);
    await q.query('CREATE INDEX events_at_idx ON events (at)');
    // The audit trail is append-only: no one rewrites history, not even the application.
    await q.query(`
      CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only';
      END $$`);
    await q.query(`CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION events_append_only()`);
    await q.query(`
      CREATE TABLE alert_acks (
        event_id bigint PRIMARY KEY REFERENCES events (id),
        acked_by uuid NOT NULL REFERENCES users (id),
        acked_by_name text NOT NULL,
        acked_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE alert_acks');
    await q.query('DROP TABLE events');
    await q.query('DROP FUNCTION events_append_only');
  }
}
