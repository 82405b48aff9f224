import { setImmediate } from 'node:timers/promises';
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

/** Rows per statement at most: few statements, each well under the statement timeout. */
const MAX_CHUNK = 1000;
const MIN_CHUNK = 50;
/**
 * How long one statement should take. The embedded database runs in this thread, so while a statement
 * runs nothing else is answered (a 1,000-row upsert there takes ~150 ms, longer than a health probe may
 * wait); on a server the same rule only costs a few more round trips.
 */
const STATEMENT_MS = 25;

/**
 * Writes `items` a chunk per `write` call, sizing each chunk from the time the last one took so a
 * statement holds the database about STATEMENT_MS, and lets the event loop turn in between.
 */
export async function writeInChunks<T>(items: T[], write: (chunk: T[]) => Promise<void>, progress?: Progress): Promise<void> {
  let size = 200;
  for (let done = 0; done < items.length; ) {
    const chunk = items.slice(done, done + size);
    const started = performance.now();
    await write(chunk);
    const took = Math.max(performance.now() - started, 1);
    done += chunk.length;
    progress?.(done);
    size = Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.round((chunk.length * STATEMENT_MS) / took)));
    await setImmediate();
  }
}

/** The codes among `codes` that already exist in `table`, with a grid zone's area (else null). */
export async function existing(m: EntityManager, table: 'areas' | 'grid_zones' | 'facilities', codes: string[]): Promise<Map<string, string | null>> {
  if (!codes.length) return new Map();
  const extra = table === 'grid_zones' ? 'area_code' : 'NULL';
  const rows: { code: string; extra: string | null }[] = await m.query(`SELECT code, ${extra} AS extra FROM ${table} WHERE code = ANY($1::text[])`, [codes]);
  return new Map(rows.map((r) => [r.code, r.extra]));
}
