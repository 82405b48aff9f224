// Once per `jest` run: an initialised, empty embedded PostgreSQL data folder saved as a tarball, so each
// test app loads it (~0.6 s) instead of running initdb again (~2–3 s). Tests on a server skip it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

export default async function globalSetup() {
  if (process.env.TEST_DATABASE_URL) return;
  const { version } = JSON.parse(readFileSync(new URL('../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'));
  const file = join(tmpdir(), `pingji-pglite-template-${version}.tar`);
  if (!existsSync(file)) {
    const db = await PGlite.create();
    const dump = await db.dumpDataDir('none');
    await db.close();
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  }
  process.env.PGLITE_TEMPLATE = file;
}
