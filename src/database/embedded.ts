import type { PGlite } from '@electric-sql/pglite';
import { prepareEmbeddedFolder } from './embedded-template.js';

/** One database opened ahead of time (startOpeningEmbeddedPostgres), for the next openEmbeddedPostgres of its folder. */
let opening: { dir: string; template?: string; pglite: Promise<PGlite> } | undefined;

/**
 * Starts opening the embedded database before the app's modules load: its file reads and copies and
 * its WebAssembly compilation run while the main thread loads the modules (main.ts), not after them.
 */
export function startOpeningEmbeddedPostgres(dir: string, template?: string): void {
  const pglite = openEmbeddedPostgres(dir, template);
  pglite.catch(() => {}); // the app's own open reports a failure, when it takes this one over
  opening = { dir, template, pglite };
}

/**
 * Opens the embedded PostgreSQL (PGlite). FACTS.md: TypeORM's ordinary `postgres` driver talks to it
 * through a pool of one connection (embedded-connection.ts), given an instance, not a path, in a
 * folder made first. One process per data folder, or rows are silently lost.
 */
export async function openEmbeddedPostgres(dir: string, template?: string): Promise<PGlite> {
  const early = opening;
  opening = undefined;
  if (early?.dir === dir && early.template === template) return early.pglite;
  // PGlite is loaded on first use (prepareEmbeddedFolder loads it): an instance on a server never needs it.
  const options = await prepareEmbeddedFolder(dir, template);
  const { PGlite } = await import('@electric-sql/pglite');
  return PGlite.create(options);
}
