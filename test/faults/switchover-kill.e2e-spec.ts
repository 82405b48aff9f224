import pg from 'pg';
import { api, killAppProcesses, loginAt, startAppProcess, type AppProcess, type ApiResponse } from '../helpers/app-process.js';
import { createTestDatabase, serverUrl, type TestDatabase } from '../helpers/test-database.js';

// kill -9 needs the app in a process of its own on a database that outlives it: a server database.
const describeOnServer = serverUrl() ? describe : describe.skip;
if (!serverUrl()) console.info('switchover-kill: skipped, set TEST_DATABASE_URL to run it against a PostgreSQL server');

const SITES = 5000;
const ROUNDS = 20;
const TYPES = ['neighborhood_center', 'service_station', 'elder_canteen', 'childcare_site', 'health_station', 'self_service_area', 'day_care_room', 'warm_station'];
type Mode = 'normal' | 'emergency';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Fault test: the app is killed with SIGKILL at spread-out moments of a city-wide switchover of 5,000
 * sites, 20 times. Each time, once the database has ended the dead app's sessions, either every site
 * switched with its history row and its event, or nothing changed at all.
 */
describeOnServer('kill -9 during a city-wide switchover (fault, server)', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  let app: AppProcess | undefined;

  const start = async () => (app = await startAppProcess({ databaseUrl: db.url!, name: 'switchover-kill' }));
  const one = async <T>(text: string, params: unknown[] = []): Promise<T> => (await sql.query(text, params)).rows[0] as T;

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    await start(); // migrates and seeds the demo city
    const areas = (await sql.query('SELECT code FROM areas ORDER BY code')).rows.map((r) => r.code as string);
    // Enough sites that a switchover's transaction lasts long enough to be killed inside it.
    await sql.query(
      `INSERT INTO facilities (code, name, type, area_code, lat, lng, mode)
       SELECT 'KILL-' || lpad(g::text, 5, '0'), '断电测试点位 ' || g, ($2::text[])[1 + g % 8], ($3::text[])[1 + g % cardinality($3::text[])],
              24.73 + ((g % 200) - 100) * 0.0005, 118.65 + (((g / 200) % 100) - 50) * 0.0008, 'normal'
       FROM generate_series(1, $1::int - (SELECT count(*)::int FROM facilities)) AS g`,
      [SITES, TYPES, areas],
    );
    await sql.query('ANALYZE');
  }, 120_000);

  afterAll(async () => {
    await killAppProcesses();
    await sql?.end();
    await db?.drop();
  });

  /** The one mode every site is in; fails on a partial switch. */
  async function cityMode(): Promise<Mode> {
    const modes = (await sql.query('SELECT mode, count(*)::int AS n FROM facilities GROUP BY mode')).rows;
    expect(modes).toHaveLength(1);
    expect(modes[0].n).toBe(SITES);
    return modes[0].mode;
  }

  /** Waits until no session of an app is left on the database: a dead app's transaction has ended. */
  async function appSessionsGone(): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const { n } = await one<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      );
      if (n === 0) return;
      if (Date.now() > deadline) throw new Error(`${n} sessions of the killed app still on the database after 15 s`);
      await pause(20);
    }
  }

  let checkedEventsUpTo = '0';

  /** Every switchover is whole: history rows, events and the sites' modes all agree. */
  async function checkInvariants(): Promise<void> {
    const switchovers = (await sql.query('SELECT id, mode, switched_count FROM switchovers')).rows as { id: string; mode: Mode; switched_count: number }[];
    const history = new Map<string, number>(
      (await sql.query('SELECT switchover_id AS id, count(*)::int AS n FROM facility_mode_history GROUP BY 1')).rows.map((r) => [r.id, r.n]),
    );
    const events = new Map<string, { changed: number; completed: number }>();
    for (const r of (
      await sql.query(
        `SELECT payload->>'switchoverId' AS id, type, count(*)::int AS n FROM events
         WHERE type IN ('facility.mode_changed', 'switchover.completed') GROUP BY 1, 2`,
      )
    ).rows) {
      const e = events.get(r.id) ?? { changed: 0, completed: 0 };
      if (r.type === 'facility.mode_changed') e.changed = r.n;
      else e.completed = r.n;
      events.set(r.id, e);
    }
    const seen = switchovers.map((s) => ({ id: s.id, history: history.get(s.id) ?? 0, ...(events.get(s.id) ?? { changed: 0, completed: 0 }) }));
    expect(seen).toEqual(switchovers.map((s) => ({ id: s.id, history: s.switched_count, changed: s.switched_count, completed: 1 })));
    // No event and no history row without its switchover.
    const known = new Set(switchovers.map((s) => s.id));
    expect([...events.keys()].filter((id) => !known.has(id))).toEqual([]);
    expect([...history.keys()].filter((id) => !known.has(id))).toEqual([]);
    // Each new mode_changed event names a site that has a history row of that switchover.
    const { unmatched } = await one<{ unmatched: number }>(
      `SELECT count(*)::int AS unmatched FROM events e
       WHERE e.id > $1 AND e.type = 'facility.mode_changed' AND NOT EXISTS (
         SELECT 1 FROM facility_mode_history h WHERE h.facility_id = e.facility_id AND h.switchover_id::text = e.payload->>'switchoverId')`,
      [checkedEventsUpTo],
    );
    expect(unmatched).toBe(0);
    checkedEventsUpTo = (await one<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM events')).id;
    // A site's mode is what its latest history row says (normal when it has none).
    const { wrong } = await one<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM facilities f
       LEFT JOIN LATERAL (SELECT to_mode FROM facility_mode_history h WHERE h.facility_id = f.id ORDER BY h.id DESC LIMIT 1) last ON true
       WHERE f.mode <> coalesce(last.to_mode, 'normal')`,
    );
    expect(wrong).toBe(0);
  }

  /**
   * How far the history and event id sequences have gone, and how many events exist. Sequences do not
   * roll back, so after a kill they tell how far inside its transaction the dead switchover had got.
   */
  const progress = () =>
    one<{ history: string; events: string; eventRows: string }>(
      `SELECT (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM facility_mode_history_id_seq)::text AS history,
              (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM events_id_seq)::text AS events,
              (SELECT count(*) FROM events)::text AS "eventRows"`,
    );

  const switchoverCount = async () => (await one<{ n: number }>('SELECT count(*)::int AS n FROM switchovers')).n;
  const switchTo = (url: string, token: string, mode: Mode) =>
    api(url, 'POST', '/api/switchovers', { token, body: { mode, reason: 'kill test', scope: { all: true } }, timeoutMs: 60_000 });

  it('leaves every site switched with all its events, or none, whenever the app dies', async () => {
    const suiteStarted = Date.now();
    // How long one switchover of the whole city takes here, both ways (the second one warm).
    const token = await loginAt(app!.url, 'commander');
    const durations: number[] = [];
    for (const mode of ['emergency', 'normal'] as const) {
      const started = Date.now();
      const res = await switchTo(app!.url, token, mode);
      durations.push(Date.now() - started);
      expect(res.status).toBe(201);
      expect(res.body.switched).toHaveLength(SITES);
    }
    await checkInvariants();
    await app!.kill9();
    // Tracks the machine's load: every answer a round gets is a fresh measurement.
    let duration = Math.max(...durations);

    const outcomes: { round: number; killedAt: number; waited: boolean; mode: Mode; outcome: 'switched' | 'not switched'; answered: number | string; where: string }[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Kill moments spread over [0, 1.2 × duration], visited in a scrambled order.
      const fraction = ((((round * 7) % ROUNDS) + 0.5) / ROUNDS) * 1.2;
      const delay = Math.round(fraction * duration);
      const before = await cityMode();
      const switchoversBefore = await switchoverCount();
      const progressBefore = await progress();
      const mode: Mode = before === 'normal' ? 'emergency' : 'normal';
      const current = await start();
      const commander = await loginAt(current.url, 'commander');
      const sentAt = Date.now();
      let tookMs: number | undefined;
      const request = switchTo(current.url, commander, mode).then(
        (res: ApiResponse) => {
          tookMs = Date.now() - sentAt;
          return res.status;
        },
        (e: Error) => e.message,
      );
      await pause(delay); // the moment of the crash, not a wait for a condition
      // A kill meant for after the commit waits for the answer should this switchover run late (a busy machine).
      const waited = fraction > 1 && tookMs === undefined;
      if (waited) await request;
      const killedAt = Date.now() - sentAt;
      await current.kill9();
      const answered = await request;
      if (tookMs !== undefined) duration = tookMs;
      await appSessionsGone();

      const after = await cityMode();
      const switched = (await switchoverCount()) - switchoversBefore;
      expect(switched).toBe(after === mode ? 1 : 0);
      // An answered 201 is a promise kept: that switchover must have committed.
      if (answered === 201) expect(after).toBe(mode);
      await checkInvariants();
      const progressAfter = await progress();
      const historyIdsTaken = Number(progressAfter.history) - Number(progressBefore.history);
      const eventsRolledBack = Number(progressAfter.events) - Number(progressBefore.events) - (Number(progressAfter.eventRows) - Number(progressBefore.eventRows));
      const where =
        after === mode ? 'committed' : eventsRolledBack > 0 ? 'rolled back after writing its events' : historyIdsTaken > 0 ? 'rolled back after writing sites and history' : 'nothing written';
      outcomes.push({ round, killedAt, waited, mode, outcome: after === mode ? 'switched' : 'not switched', answered, where });
    }

    const split = {
      switched: outcomes.filter((o) => o.outcome === 'switched').length,
      notSwitched: outcomes.filter((o) => o.outcome === 'not switched').length,
      insideTransaction: outcomes.filter((o) => o.where.startsWith('rolled back')).length,
    };
    console.info(
      `switchover-kill: one switchover of ${SITES} sites took ${durations.join(' / ')} ms; ` +
        `${ROUNDS} kills: ${split.switched} switched, ${split.notSwitched} not switched (${split.insideTransaction} of them inside the transaction) ` +
        `(${Math.round((Date.now() - suiteStarted) / 1000)} s)\n` +
        outcomes
          .map((o) => `  round ${o.round}: kill after ${o.killedAt} ms${o.waited ? ' (waited for the answer)' : ''} → ${o.outcome}, ${o.where} (request: ${o.answered})`)
          .join('\n'),
    );
    // The kill moments straddle the transaction: before it, inside it, after its commit.
    expect(split.switched).toBeGreaterThan(0);
    expect(split.notSwitched).toBeGreaterThan(0);
    expect(split.insideTransaction).toBeGreaterThan(0);
  }, 240_000);
});
