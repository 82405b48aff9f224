import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PGliteOptions } from '@electric-sql/pglite';

/** PGLITE_DIR's value for a database in memory (tests), not in a folder. */
export const IN_MEMORY = 'memory://';

/**
 * PostgreSQL settings of the embedded database, given after PGlite's own. shared_buffers: PostgreSQL's
 * default of 128 MB is set up at every open, in WebAssembly on the main thread, which was some 0.4 s of
 * a 0.6 s open (16 MB: 0.2 s). A city's database is a few tens of MB, and the OS caches its files too.
 */
const EMBEDDED_SETTINGS = ['-c', 'shared_buffers=16MB'];

/** The file whose presence marks a data folder as a database. */
const DATABASE_MARK = 'PG_VERSION';

/**
 * An initialised, empty embedded database, one per installed PGlite version, kept under
 * node_modules/.cache/pingji/: a data folder, and the same as a tarball. The build makes them
 * (npm run build:server). A new data folder is copied from the folder (a fraction of a second,
 * and off the main thread) instead of running PostgreSQL's initdb in WebAssembly (several seconds
 * on a slow machine); tests load the tarball into memory. Without them, PGlite runs initdb as before.
 */
export function embeddedTemplate(): { folder: string; tarball: string } {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const packageDir = entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const folder = path.join(packageDir, '..', '..', '.cache', 'pingji', `pglite-${version}`);
  return { folder, tarball: `${folder}.tar` };
}

/** Makes the template unless this PGlite version has one already; returns its paths. */
export async function makeEmbeddedTemplate(): Promise<{ folder: string; tarball: string }> {
  const template = embeddedTemplate();
  if (existsSync(path.join(template.folder, DATABASE_MARK)) && existsSync(template.tarball)) return template;
  // Made aside and renamed: a build stopped halfway leaves no half template behind.
  const partial = `${template.folder}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(partial);
  const dump = await db.dumpDataDir('none');
  await db.close();
  writeFileSync(`${partial}.tar`, Buffer.from(await dump.arrayBuffer()));
  rmSync(template.folder, { recursive: true, force: true });
  renameSync(partial, template.folder);
  renameSync(`${partial}.tar`, template.tarball);
  return template;
}

/**
 * Readies `dir` (IN_MEMORY or a folder) for PGlite.create and returns its options, with EMBEDDED_SETTINGS.
 * A database in memory starts from the tarball `template`, if given. A folder is made; when it holds
 * no database yet, the template folder is copied in, its database mark last, so that a copy cut
 * short is copied again at the next start rather than opened half-made.
 */
export async function prepareEmbeddedFolder(dir: string, template?: string): Promise<PGliteOptions> {
  const pglite = import('@electric-sql/pglite'); // loads while the folder is readied
  const where = dir === IN_MEMORY ? await inMemory(template) : await readyFolder(dir);
  const { PGlite } = await pglite;
  return { ...where, startParams: [...PGlite.defaultStartParams, ...EMBEDDED_SETTINGS] };
}

async function inMemory(template?: string): Promise<PGliteOptions> {
  return template ? { loadDataDir: new Blob([await readFile(template)]) } : {};
}

async function readyFolder(dir: string): Promise<PGliteOptions> {
  await mkdir(dir, { recursive: true });
  const { folder } = embeddedTemplate();
  if (!existsSync(path.join(dir, DATABASE_MARK)) && existsSync(path.join(folder, DATABASE_MARK))) await copyFolder(folder, dir, DATABASE_MARK);
  return { dataDir: dir };
}

/**
 * Copies folder `from` into `to`, all files at once and the file `last` after them (fs.cp, which
 * goes file by file, took twice as long for the template's thousand files).
 */
async function copyFolder(from: string, to: string, last: string): Promise<void> {
  const files: string[] = [];
  for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
    const relative = path.relative(from, path.join(entry.parentPath, entry.name));
    if (entry.isDirectory()) mkdirSync(path.join(to, relative), { recursive: true });
    else if (relative !== last) files.push(relative);
  }
  await Promise.all(files.map((file) => copyFile(path.join(from, file), path.join(to, file))));
  await copyFile(path.join(from, last), path.join(to, last));
}
