import type { DataSource, EntityManager } from 'typeorm';

/**
 * The event log's hash chain (migration EventChain): each row's `hash` is
 * sha256(prev_hash ‖ event_chain_text(row)), `prev_hash` being the hash of the row before it in id order
 * (32 zero bytes for the first). The canonical text is made in SQL from the stored row, so the append,
 * the migration's backfill and any auditor compute it identically.
 */
export const GENESIS_SQL = `decode(repeat('00', 32), 'hex')`;

/**
 * The canonical text of a row (optionally of a table alias): the columns as a JSON array, `at` in UTC to
 * the microsecond, the payload as PostgreSQL's normalised jsonb text. The same expression as the SQL
 * function `event_chain_text` (migration EventChain), which the backfill and the insert trigger use;
 * written out here because the planner then computes it inline, cheaper per append than a function call.
 * The tests verify rows chained by the function with this expression, so the two cannot drift apart.
 */
export function chainTextSql(alias = ''): string {
  const p = alias ? `${alias}.` : '';
  return `jsonb_build_array(${p}id, ${p}type, to_char(${p}at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ${p}severity, ${p}audience,
    ${p}exercise, ${p}actor_id, ${p}actor_name, ${p}facility_id, ${p}squad_id, ${p}dispatch_id, ${p}incident_id, ${p}drill_id, ${p}payload)::text`;
}

export interface ChainVerification {
  ok: boolean;
  /** How many events were checked (the whole log). */
  checked: number;
  /** The first event whose row was altered, or the first one after events that are missing. */
  firstBadId?: string;
  /** `altered`: the row is not what was hashed; `missing_before`: the row is intact but the one(s) before it are gone or altered. */
  problem?: 'altered' | 'missing_before';
  /** The newest event's hash (hex): write it down, and a later verification proves nothing before it changed. */
  headHash?: string;
  headId?: string;
}

/**
 * Checks the whole chain in one statement (one snapshot): every row's prev_hash must be the stored hash
 * of the row before it, and its hash must be what its own fields give. Ids may have gaps (a rolled-back
 * transaction uses up sequence numbers): the chain links rows, not numbers, so only a real deletion or
 * edit breaks it.
 */
export async function verifyEventChain(db: DataSource | EntityManager): Promise<ChainVerification> {
  const [row]: { checked: number; first_bad: string | null; problem: 'altered' | 'missing_before' | null; head_id: string | null; head_hash: string | null }[] =
    await db.query(`
      WITH checked AS (
        SELECT id,
               hash <> sha256(prev_hash || convert_to(${chainTextSql()}, 'UTF8')) AS altered,
               prev_hash <> coalesce(lag(hash) OVER (ORDER BY id), ${GENESIS_SQL}) AS unlinked
        FROM events
      ), first_bad AS (
        SELECT id, CASE WHEN altered THEN 'altered' ELSE 'missing_before' END AS problem
        FROM checked WHERE altered OR unlinked ORDER BY id LIMIT 1
      ), head AS (SELECT id, hash FROM events ORDER BY id DESC LIMIT 1)
      SELECT (SELECT count(*)::int FROM checked) AS checked,
             (SELECT id::text FROM first_bad) AS first_bad, (SELECT problem FROM first_bad) AS problem,
             (SELECT id::text FROM head) AS head_id, (SELECT encode(hash, 'hex') FROM head) AS head_hash`);
  const result: ChainVerification = { ok: row.first_bad === null, checked: row.checked };
  if (row.first_bad !== null) {
    result.firstBadId = row.first_bad;
    result.problem = row.problem!;
  }
  if (row.head_id !== null) {
    result.headId = row.head_id;
    result.headHash = row.head_hash!;
  }
  return result;
}
