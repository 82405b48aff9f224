// Once per `jest` run, two templates for the test apps on the embedded database (test/helpers/
// test-database.ts): the build's initialised, empty data folder (npm test builds first; made here when
// it is missing), which saves each app initdb (~1 s); and a database made from it here, migrated and
// seeded with the demo data as a test app would seed it, which saves each app with demo data the
// migrations and the seed (~1 s more). Fresh databases still meet migrations and seed: with
// DEMO_DATA off, in the seed's own tests, and in every app started as a process (app-process.ts).
// Tests on a server (TEST_DATABASE_URL) make their own databases there and need neither.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../dist/config/config.js';
import { AppDataSource, dataSourceOptions } from '../dist/database/data-source-options.js';
import { makeEmbeddedTemplate } from '../dist/database/embedded-template.js';
import { openEmbeddedPostgres } from '../dist/database/embedded.js';
import { ENTITIES } from '../dist/entities.js';
import { seedDemoData } from '../dist/seed/seed.js';
import { TEST_APP_ENV } from './helpers/test-app-env.js';

export default async function globalSetup() {
  if (!process.env.TEST_DATABASE_URL) await makeTemplates();
}

async function makeTemplates() {
  const empty = (await makeEmbeddedTemplate()).tarball;
  process.env.PGLITE_TEMPLATE = empty;
  process.env.PGLITE_TEMPLATE_DEMO = await demoTemplate(empty);
}

/** The demo template lives for one run (its data is seeded by this run's code); jest.config.js's globalTeardown. */
export function removeDemoTemplate() {
  const demo = process.env.PGLITE_TEMPLATE_DEMO;
  if (demo) rmSync(dirname(demo), { recursive: true, force: true });
}

async function demoTemplate(empty) {
  const config = loadConfig({ ...TEST_APP_ENV, PGLITE_DIR: 'memory://', PGLITE_TEMPLATE: empty });
  const pglite = await openEmbeddedPostgres(config.pgliteDir, config.pgliteTemplate);
  const dataSource = new AppDataSource(dataSourceOptions(config, ENTITIES, pglite), pglite);
  await dataSource.initialize();
  try {
    await dataSource.migrate();
    await seedDemoData(dataSource, { demoPassword: config.demoPassword, passwordHashing: config.passwordHashing });
    const tarball = join(mkdtempSync(join(tmpdir(), 'pingji-demo-template-')), 'demo.tar');
    writeFileSync(tarball, Buffer.from(await (await pglite.dumpDataDir('none')).arrayBuffer()));
    return tarball;
  } finally {
    await dataSource.destroy();
  }
}
