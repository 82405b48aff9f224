import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log becomes tamper-evident: every row carries `hash` = sha256(prev_hash ‖ the row's canonical
 * text), where prev_hash is the hash of the row before it in id order (32 zero bytes for the first). The
 * canonical text is computed by `event_chain_text` from the stored row (jsonb::text is PostgreSQL's own
 * normalised form), so anyone can recompute it; the `event_chain` aggregate runs the chain over an ordered
 * set (as a window, one pass; its step is plpgsql, which runs faster there than a SQL function). Rows written by the previous release are chained here, in id order, with
 * the append-only trigger off for that one UPDATE; rows inserted later without a hash are chained by a trigger.
 */
export class EventChain1764159500000 implements MigrationInterface {
  name = 'EventChain1764159500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION event_chain_text(id bigint, type text, at timestamptz, severity text, audience text, exercise boolean,
        actor_id uuid, actor_name text, facility_id uuid, squad_id uuid, dispatch_id uuid, incident_id uuid, drill_id uuid,
        payload jsonb) RETURNS text LANGUAGE sql STABLE AS $$
        SELECT jsonb_build_array(id, type, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), severity, audience,
          exercise, actor_id, actor_name, facility_id, squad_id, dispatch_id, incident_id, drill_id, payload)::text
      $$`);
    await q.query(`
      CREATE FUNCTION event_chain_step(state bytea, prev bytea, canonical text) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        RETURN sha256(coalesce(state, prev) || convert_to(canonical, 'UTF8'));
      END $$`);
    await q.query('CREATE AGGREGATE event_chain(bytea, text) (SFUNC = event_chain_step, STYPE = bytea)');
    await q.query('ALTER TABLE events ADD COLUMN prev_hash bytea, ADD COLUMN hash bytea');
    await q.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await q.query(`
      UPDATE events e SET prev_hash = c.prev_hash, hash = c.hash
      FROM (
        SELECT id, hash, coalesce(lag(hash) OVER (ORDER BY id), decode(repeat('00', 32), 'hex')) AS prev_hash
        FROM (
          SELECT id, event_chain(decode(repeat('00', 32), 'hex'), event_chain_text(id, type, at, severity, audience, exercise,
                   actor_id, actor_name, facility_id, squad_id, dispatch_id, incident_id, drill_id, payload)) OVER (ORDER BY id) AS hash
          FROM events
        ) h
      ) c
      WHERE e.id = c.id`);
    await q.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    await q.query('ALTER TABLE events ALTER COLUMN prev_hash SET NOT NULL, ALTER COLUMN hash SET NOT NULL');
    // EventsService.append chains its rows itself, set-based. A row inserted any other way (an instance of
    // the previous release during a rolling upgrade, a script) is chained here, one row at a time, under the
    // event-log lock (EVENT_LOG_LOCK, 7400001). The WHEN clause keeps the trigger off the append's rows.
    await q.query(`
      CREATE FUNCTION events_chain_fill() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(7400001);
        NEW.prev_hash := coalesce((SELECT hash FROM events ORDER BY id DESC LIMIT 1), decode(repeat('00', 32), 'hex'));
        NEW.hash := sha256(NEW.prev_hash || convert_to(event_chain_text(NEW.id, NEW.type, NEW.at, NEW.severity, NEW.audience, NEW.exercise,
          NEW.actor_id, NEW.actor_name, NEW.facility_id, NEW.squad_id, NEW.dispatch_id, NEW.incident_id, NEW.drill_id, NEW.payload), 'UTF8'));
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER events_chain_fill BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.hash IS NULL)
      EXECUTE FUNCTION events_chain_fill()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER events_chain_fill ON events');
    await q.query('DROP FUNCTION events_chain_fill');
    await q.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await q.query('ALTER TABLE events DROP COLUMN hash, DROP COLUMN prev_hash');
    await q.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    await q.query('DROP AGGREGATE event_chain(bytea, text)');
    await q.query('DROP FUNCTION event_chain_step');
    await q.query('DROP FUNCTION event_chain_text');
  }
}
