import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { EventChain1764159500000 } from '../src/database/migrations/1764159500000-EventChain.js';
import { MIGRATIONS } from '../src/database/migrations/index.js';
import { verifyEventChain } from '../src/events/event-chain.js';
import { appendEvents } from './helpers/events.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { openDataSource } from './helpers/data-source.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';

const run = promisify(execFile);
const CLI = join(process.cwd(), 'dist/cli/audit-verify.js');

/** What a superuser could do behind the application's back: the append-only trigger off for one statement. */
async function tamper(ds: DataSource, sql: string, params: unknown[] = []): Promise<void> {
  await ds.transaction(async (m) => {
    await m.query('ALTER TABLE events DISABLE TRIGGER events_append_only');
    await m.query(sql, params);
    await m.query('ALTER TABLE events ENABLE TRIGGER events_append_only');
  });
}

describe('the tamper-evident event log (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let commander: string;
  beforeAll(async () => {
    t = await startTestApp();
    ds = t.app.get(DataSource);
    commander = await t.login('commander');
  });
  afterAll(async () => {
    await t.close();
  });
  const verify = (token = commander) => t.http().get('/api/audit/verify').set('authorization', `Bearer ${token}`);

  it('chains every append, batches and single events alike, and a clean log verifies', async () => {
    await appendEvents(t, [{ type: 'test.one', payload: { b: 2, a: '平急 "quoted" \\ back', nested: { z: [1, 2.50, null], y: true } } }]);
    await appendEvents(t, Array.from({ length: 300 }, (_, i) => ({ type: 'test.batch', payload: { i, text: `第${i}条` } })));
    // A rolled-back append leaves a gap in the ids: not a tampering.
    await ds.transaction(async (m) => {
      await m.query(`SELECT nextval(pg_get_serial_sequence('events', 'id'))`);
    });
    await expect(ds.transaction(async (m) => {
      await t.app.get((await import('../src/events/events.service.js')).EventsService).append(m, [{ type: 'notice.posted', payload: { text: 'x' } } as never]);
      throw new Error('rolled back');
    })).rejects.toThrow('rolled back');
    await appendEvents(t, [{ type: 'test.after-gap' }]);
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM events');
    const res = await verify();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, checked: n });
    expect(res.body.firstBadId).toBeUndefined();
    // Each row's prev_hash is the stored hash of the row before it, in id order.
    const [{ unlinked }] = await ds.query(`SELECT count(*)::int AS unlinked FROM (
      SELECT prev_hash, lag(hash) OVER (ORDER BY id) AS before FROM events) x WHERE before IS NOT NULL AND prev_hash <> before`);
    expect(unlinked).toBe(0);
    const [{ distinct }] = await ds.query('SELECT count(DISTINCT hash)::int AS distinct FROM events');
    expect(distinct).toBe(n);
  });

  it('keeps one chain when many transactions append at once (the server runs them concurrently)', async () => {
    // Batches and single events (the two append statements), interleaved.
    await Promise.all(Array.from({ length: 40 }, (_, i) => appendEvents(t, i % 2
      ? [{ type: 'test.concurrent', payload: { i } }, { type: 'test.concurrent', payload: { i, second: true } }]
      : [{ type: 'test.concurrent', payload: { i } }])));
    expect((await verify()).body).toMatchObject({ ok: true });
  });

  it('finds a payload altered directly in SQL, and verifies again once it is put back', async () => {
    const [victim] = await ds.query(`SELECT id::text AS id, payload FROM events WHERE type = 'test.batch' ORDER BY events.id LIMIT 1 OFFSET 150`);
    await tamper(ds, `UPDATE events SET payload = jsonb_set(payload, '{text}', '"改过"') WHERE id = $1`, [victim.id]);
    expect((await verify()).body).toMatchObject({ ok: false, firstBadId: victim.id, problem: 'altered' });
    // Any column counts, not only the payload.
    await tamper(ds, `UPDATE events SET payload = $2::jsonb WHERE id = $1`, [victim.id, JSON.stringify(victim.payload)]);
    expect((await verify()).body).toMatchObject({ ok: true });
    await tamper(ds, `UPDATE events SET at = at + interval '1 second' WHERE id = $1`, [victim.id]);
    expect((await verify()).body).toMatchObject({ ok: false, firstBadId: victim.id });
    await tamper(ds, `UPDATE events SET at = at - interval '1 second' WHERE id = $1`, [victim.id]);
    expect((await verify()).body).toMatchObject({ ok: true });
  });

  it('finds a row edited together with its own hash: the next row no longer links', async () => {
    const [a, b] = await ds.query(`SELECT id::text AS id FROM events WHERE type = 'test.batch' ORDER BY events.id LIMIT 2 OFFSET 10`);
    await tamper(ds, `UPDATE events SET severity = 'critical', hash = sha256(prev_hash || convert_to(event_chain_text(id, type, at, 'critical', audience, exercise,
      actor_id, actor_name, facility_id, squad_id, dispatch_id, incident_id, drill_id, payload), 'UTF8')) WHERE id = $1`, [a.id]);
    expect((await verify()).body).toMatchObject({ ok: false, firstBadId: b.id, problem: 'missing_before' });
  });

  it('finds a deleted row: the one after it no longer links', async () => {
    // A fresh log state: the previous test left a break, so look only at what follows a new append.
    const fresh = await appendEvents(t, Array.from({ length: 5 }, (_, i) => ({ type: 'test.delete', payload: { i } })));
    await tamper(ds, 'DELETE FROM events WHERE id = $1', [fresh[2].id]);
    const [{ first }] = await ds.query(`SELECT min(id)::text AS first FROM events WHERE type = 'test.delete'`);
    expect(first).toBe(fresh[0].id);
    const { body } = await verify();
    expect(body.ok).toBe(false);
    // The earlier break is still reported first; the chain check itself, run from the deletion on, finds the gap.
    const after: { bad: string }[] = await ds.query(`SELECT id::text AS bad FROM (
      SELECT id, prev_hash <> lag(hash) OVER (ORDER BY id) AS unlinked FROM events WHERE id >= $1) x WHERE unlinked ORDER BY id`, [fresh[0].id]);
    expect(after.map((r) => r.bad)).toEqual([fresh[3].id]);
  });

  it('is for commanders only', async () => {
    for (const who of ['viewer', 'coordinator']) {
      expect((await verify(await t.login(who))).status).toBe(403);
    }
    expect((await t.http().get('/api/audit/verify')).status).toBe(401);
  });
});

describe('deletion and audit:verify on a log that was clean (e2e)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = mkdtempSync(join(tmpdir(), 'pingji-audit-'));
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the first event after a deleted one, from the API and from the command line', async () => {
    // The command line needs the database when the app is stopped: a folder for the embedded one.
    const env: Record<string, string> = db.url ? { DATABASE_URL: db.url } : { PGLITE_DIR: dir };
    const t = await startTestApp(env, db);
    const ds = t.app.get(DataSource);
    const commander = await t.login('commander');
    const events = await appendEvents(t, Array.from({ length: 4 }, (_, i) => ({ type: 'test.cli', payload: { i } })));
    expect((await t.http().get('/api/audit/verify').set('authorization', `Bearer ${commander}`)).body).toMatchObject({ ok: true });
    await tamper(ds, 'DELETE FROM events WHERE id = $1', [events[1].id]);
    const [{ n }] = await ds.query('SELECT count(*)::int AS n FROM events');
    const res = await t.http().get('/api/audit/verify').set('authorization', `Bearer ${commander}`);
    expect(res.body).toEqual(expect.objectContaining({ ok: false, checked: n, firstBadId: events[2].id, problem: 'missing_before' }));
    await t.close();

    const cliEnv = { ...process.env, LOG_LEVEL: 'silent', DATABASE_URL: '', PGLITE_DIR: '', ...env };
    const failed = await run(process.execPath, [CLI], { env: cliEnv }).then(() => undefined, (e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed?.code).toBe(1);
    expect(JSON.parse(failed!.stdout.split('\n')[0])).toMatchObject({ ok: false, firstBadId: events[2].id });
    expect(failed!.stderr).toContain(`event ${events[2].id}`);
  });
});

describe('the chain migration on a log written by the previous release (e2e)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('chains every existing row in id order, keeps the rows as they were, and keeps the log append-only', async () => {
    const before = MIGRATIONS.slice(0, MIGRATIONS.indexOf(EventChain1764159500000));
    const ds = await openDataSource(db, { migrations: before });
    try {
      await ds.runMigrations({ transaction: 'all' });
      // Rows as the previous release wrote them: gaps in the ids, unicode, nested payloads, every column.
      await ds.query(`INSERT INTO events (type, severity, audience, payload, actor_name, squad_id) VALUES
        ('notice.posted', 'info', 'everyone', '{"text": "台风来了", "n": 1.50, "z": {"b": [1, {"a": null}]}}', 'commander', NULL),
        ('squad.status_changed', 'warning', 'squad', '{"from": "available", "to": "busy"}', NULL, gen_random_uuid())`);
      await ds.query(`SELECT setval(pg_get_serial_sequence('events', 'id'), 40)`);
      await ds.query(`INSERT INTO events (type, severity, audience, exercise, payload) VALUES ('drill.logged', 'critical', 'staff', true, '{}')`);
      const old = await ds.query('SELECT id::text AS id, type, at, severity, audience, exercise, payload FROM events ORDER BY id');
      expect(old.map((r: { id: string }) => r.id)).toEqual(['1', '2', '41']);

      const q = ds.createQueryRunner();
      await q.startTransaction();
      await new EventChain1764159500000().up(q);
      await q.commitTransaction();
      await q.release();

      expect(await ds.query('SELECT id::text AS id, type, at, severity, audience, exercise, payload FROM events ORDER BY id')).toEqual(old);
      expect(await verifyEventChain(ds)).toMatchObject({ ok: true, checked: 3, headId: '41' });
      const [{ missing }] = await ds.query('SELECT count(*)::int AS missing FROM events WHERE hash IS NULL OR prev_hash IS NULL');
      expect(missing).toBe(0);
      // A row inserted without the service (an instance of the previous release, a script) is chained too.
      await ds.query(`INSERT INTO events (type, severity, audience, payload) SELECT 'notice.posted', 'info', 'everyone', jsonb_build_object('n', g) FROM generate_series(1, 3) g`);
      expect(await verifyEventChain(ds)).toMatchObject({ ok: true, checked: 6 });
      await expect(ds.query(`UPDATE events SET payload = '{}' WHERE id = 1`)).rejects.toThrow(/append-only/);
      await expect(ds.query('DELETE FROM events WHERE id = 41')).rejects.toThrow(/append-only/);
      // Editing a migrated row behind the trigger is found like any other.
      await tamper(ds, `UPDATE events SET payload = '{"text": "没有台风"}' WHERE id = 1`);
      expect(await verifyEventChain(ds)).toMatchObject({ ok: false, firstBadId: '1', problem: 'altered' });
    } finally {
      await ds.destroy();
    }
  });
});

if (!serverUrl()) console.info('audit: the same tests run on a PostgreSQL server with TEST_DATABASE_URL');
