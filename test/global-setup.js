// Once per `jest` run: an initialised, empty embedded PostgreSQL data folder saved as a tarball, so each
// test app loads it (~0.6 s) instead of running initdb again (~2–3 s). Tests on a server skip it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/** The template folder for this PGlite version, made once and kept in the temp directory. */
async function embeddedTemplate() {
  const { version } = JSON.parse(readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'));
  const file = join(tmpdir(), `pingji-pglite-template-${version}.tar`);
  if (!existsSync(file)) {
    const db = await PGlite.create();
    const dump = await db.dumpDataDir('none');
    await db.close();
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  }
  return file;
}

export default async function globalSetup() {
  // Test apps on a server (TEST_DATABASE_URL) make their own databases there and need no template.
  if (!process.env.TEST_DATABASE_URL) process.env.PGLITE_TEMPLATE = await embeddedTemplate();
}
