import type { EntityManager } from 'typeorm';

// What the import service and the per-kind write steps (facility-writes, squad-writes) share, so the
// steps need nothing from the service that calls them.

/** What one apply step reports; the service adds the bookkeeping. */
export interface Applied {
  created: number;
  updated: number;
  areasCreated: string[];
}

/** Reports progress as the parsed items (sites, squads) are written: how many are done. */
export type Progress = (itemsDone: number) => void;

/** Rows per upsert statement: big enough to be fast, small enough to report progress and stay under the statement timeout. */
export const IMPORT_CHUNK = 1000;

/** The codes among `codes` that already exist in `table`, with a grid zone's area (else null). */
export async function existing(m: EntityManager, table: 'areas' | 'grid_zones' | 'facilities', codes: string[]): Promise<Map<string, string | null>> {
  if (!codes.length) return new Map();
  const extra = table === 'grid_zones' ? 'area_code' : 'NULL';
  const rows: { code: string; extra: string | null }[] = await m.query(`SELECT code, ${extra} AS extra FROM ${table} WHERE code = ANY($1::text[])`, [codes]);
  return new Map(rows.map((r) => [r.code, r.extra]));
}
