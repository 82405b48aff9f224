import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log becomes tamper-evident: every row carries `hash` = sha256(prev_hash ‖ the row's canonical
 * text), where prev_hash is the hash of the row before it in id order (32 zero bytes for the first). The
 * canonical text is computed by `event_chain_text` from the stored row (jsonb::text is PostgreSQL's own
 * normalised form), so anyone can recompute it; the `event_chain` aggregate runs the chain over an ordered
 * set (as a window, one pass). Rows written by the previous release are chained here, in id order, with
 * the append-only trigger off for that one UPDATE.
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
      CREATE FUNCTION event_chain_step(state bytea, prev bytea, canonical text) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
        SELECT sha256(coalesce(state, prev) || convert_to(canonical, 'UTF8'))
      $$`);
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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await q.query('ALTER TABLE events DROP COLUMN hash, DROP COLUMN prev_hash');
    await q.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
    await q.query('DROP AGGREGATE event_chain(bytea, text)');
    await q.query('DROP FUNCTION event_chain_step');
    await q.query('DROP FUNCTION event_chain_text');
  }
}
