import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `event_log_head()`: takes the event-log lock (advisory lock 7400001, as every append) and then reads the newest event,
 * so an append can do both inside its own statement, one round trip fewer for every change.
 *
 * Why a function: a statement's snapshot is taken when it starts, before a lock it waits for inside, so
 * it could miss the event of the transaction it waited on. A VOLATILE plpgsql function reads with a fresh
 * snapshot per query, taken after its lock (as the chain-fill trigger of EventChain does).
 * An empty log has the genesis head: id 0 and 32 zero bytes.
 */
export class EventLogHead1764160000000 implements MigrationInterface {
  name = 'EventLogHead1764160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION event_log_head(OUT id bigint, OUT hash bytea) LANGUAGE plpgsql VOLATILE AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(7400001);
        SELECT e.id, e.hash INTO id, hash FROM events e ORDER BY e.id DESC LIMIT 1;
        IF NOT FOUND THEN
          id := 0;
          hash := decode(repeat('00', 32), 'hex');
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP FUNCTION event_log_head()');
  }
}
