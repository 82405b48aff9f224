import type { EntityManager } from 'typeorm';

/** Held (transaction-scoped) by every write that sets parents, so two of them cannot make a cycle together. */
export const FACILITY_PARENTS_LOCK = 7_400_011;

export interface ParentCycle {
  id: string;
  code: string;
  /** Codes from the site up its parents and back to itself: `A → B → A`. */
  chain: string[];
}

/**
 * Sites among `ids` that are (now) inside themselves, following parent_id upwards, with the chain that
 * closes the loop. Call it after the write, in the write's transaction and under FACILITY_PARENTS_LOCK.
 * Each walk stops at the top or at a site it has already passed, so it ends even on a cycle elsewhere.
 */
export async function findParentCycles(m: EntityManager, ids: string[]): Promise<ParentCycle[]> {
  if (!ids.length) return [];
  return m.query(
    `WITH RECURSIVE walk(start, id, path) AS (
       SELECT f.id, f.parent_id, ARRAY[f.id] FROM facilities f WHERE f.id = ANY($1::uuid[]) AND f.parent_id IS NOT NULL
       UNION ALL
       SELECT w.start, f.parent_id, w.path || f.id
       FROM walk w JOIN facilities f ON f.id = w.id
       WHERE w.id <> w.start AND f.parent_id IS NOT NULL AND NOT f.id = ANY(w.path)
     )
     SELECT w.start AS id, s.code,
            (SELECT array_agg(c.code ORDER BY u.n) FROM unnest(w.path || w.start) WITH ORDINALITY AS u(fid, n) JOIN facilities c ON c.id = u.fid) AS chain
     FROM walk w JOIN facilities s ON s.id = w.start
     WHERE w.id = w.start
     ORDER BY s.code`,
    [ids],
  );
}

export const describeCycle = (c: ParentCycle) => `${c.chain.join(' → ')}`;
