import { mkdirSync, readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';

export const IN_MEMORY = 'memory://';

/**
 * Opens the embedded PostgreSQL (PGlite). FACTS.md: hand TypeORM's ordinary `postgres` driver the
 * PGlite node-postgres adapter with a pool of one connection; pass an instance, not a path, and
 * create the folder first. One process per data folder, or rows are silently lost.
 */
export async function openEmbeddedPostgres(dir: string, template?: string): Promise<PGlite> {
  if (dir === IN_MEMORY) return PGlite.create(template ? { loadDataDir: new Blob([readFileSync(template)]) } : {});
  mkdirSync(dir, { recursive: true });
  return PGlite.create(dir);
}

export function embeddedPgConfig(pglite: PGlite) {
  return createPgConfig(pglite);
}
