import { mkdirSync, readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { createPgConfig } from '@electric-sql/pglite/node-postgres';

export const IN_MEMORY = 'memory://';

/** PGlite's node-postgres adapter: loaded with PGlite itself, which an instance on a server never needs. */
let pgConfigFor: typeof createPgConfig | undefined;

/**
 * PGlite and its adapter, loaded once and one after the other: the two share chunks, and two imports of
 * them at once can race in a module loader (Jest's ESM runtime fails one of them).
 */
let loading: Promise<typeof import('@electric-sql/pglite')> | undefined;
const loadPglite = () =>
  (loading ??= (async () => {
    const pglite = await import('@electric-sql/pglite');
    pgConfigFor = (await import('@electric-sql/pglite/node-postgres')).createPgConfig;
    return pglite;
  })());

/** One database opened ahead of time (startOpeningEmbeddedPostgres), for the next openEmbeddedPostgres of its folder. */
let opening: { dir: string; template?: string; pglite: Promise<PGlite> } | undefined;

/**
 * Starts opening the embedded database before the app's modules load: its file reads and WebAssembly
 * compilation run while the main thread loads the modules (main.ts), instead of after them.
 */
export function startOpeningEmbeddedPostgres(dir: string, template?: string): void {
  const pglite = openEmbeddedPostgres(dir, template);
  pglite.catch(() => {}); // the app's own open reports a failure, when it takes this one over
  opening = { dir, template, pglite };
}

/**
 * Opens the embedded PostgreSQL (PGlite). FACTS.md: hand TypeORM's ordinary `postgres` driver the
 * PGlite node-postgres adapter with a pool of one connection; pass an instance, not a path, and
 * create the folder first. One process per data folder, or rows are silently lost.
 */
export async function openEmbeddedPostgres(dir: string, template?: string): Promise<PGlite> {
  const early = opening;
  opening = undefined;
  if (early?.dir === dir && early.template === template) return early.pglite;
  const { PGlite } = await loadPglite();
  if (dir === IN_MEMORY) return PGlite.create(template ? { loadDataDir: new Blob([readFileSync(template)]) } : {});
  mkdirSync(dir, { recursive: true });
  return PGlite.create(dir);
}

/** The driver options for a PGlite that openEmbeddedPostgres opened. */
export function embeddedPgConfig(pglite: PGlite) {
  if (!pgConfigFor) throw new Error('embeddedPgConfig: open the embedded database with openEmbeddedPostgres first');
  return pgConfigFor(pglite);
}
