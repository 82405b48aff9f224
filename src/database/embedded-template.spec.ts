import { existsSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { IN_MEMORY, makeEmbeddedTemplate, prepareEmbeddedFolder } from './embedded-template.js';

describe('the embedded database template', () => {
  let dir: string;
  beforeAll(() => makeEmbeddedTemplate()); // the build made it; made here if a test run skipped the build
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'pingji-template-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fills a new folder with an initialised database that opens and takes writes', async () => {
    const folder = path.join(dir, 'pglite');
    const options = await prepareEmbeddedFolder(folder);
    expect(options).toMatchObject({ dataDir: folder });
    expect(existsSync(path.join(folder, 'PG_VERSION'))).toBe(true);
    const db = await PGlite.create(options);
    try {
      await db.exec('CREATE TABLE t (id int); INSERT INTO t VALUES (7)');
      expect((await db.query('SELECT id FROM t')).rows).toEqual([{ id: 7 }]);
      // PostgreSQL's 128 MB would be set up at every open (EMBEDDED_SETTINGS).
      expect((await db.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await db.close();
    }
  });

  it('copies again over a copy cut short (no database mark), and leaves a database alone', async () => {
    const folder = path.join(dir, 'pglite');
    await prepareEmbeddedFolder(folder);
    unlinkSync(path.join(folder, 'PG_VERSION'));
    writeFileSync(path.join(folder, 'base', '1', 'PG_VERSION'), 'torn');
    await prepareEmbeddedFolder(folder);
    const db = await PGlite.create(folder);
    try {
      expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await db.exec('CREATE TABLE kept (id int)');
    } finally {
      await db.close();
    }
    await prepareEmbeddedFolder(folder);
    const reopened = await PGlite.create(folder);
    try {
      expect((await reopened.query("SELECT to_regclass('kept') IS NOT NULL AS kept")).rows).toEqual([{ kept: true }]);
    } finally {
      await reopened.close();
    }
  });

  it('starts a database in memory from a tarball', async () => {
    const { tarball } = await makeEmbeddedTemplate();
    const db = await PGlite.create(await prepareEmbeddedFolder(IN_MEMORY, tarball));
    try {
      expect((await db.query('SELECT current_database() AS name')).rows).toEqual([{ name: 'postgres' }]);
      expect((await db.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
    } finally {
      await db.close();
    }
  });
});
