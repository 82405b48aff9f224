import pg from 'pg';
import { io } from 'socket.io-client';
import { api, killAppProcesses, loginAt, startAppProcess, type AppProcess } from '../helpers/app-process.js';
import type { ClientSocket } from '../helpers/sockets.js';
import { createTestDatabase, serverUrl, type TestDatabase } from '../helpers/test-database.js';
import type { EventView } from '../../src/contracts/events.js';
import { until } from '../helpers/until.js';

// Two instances in processes of their own on one database: a server database.
const describeOnServer = serverUrl() ? describe : describe.skip;
if (!serverUrl()) console.info('instance-loss: skipped, set TEST_DATABASE_URL to run it against a PostgreSQL server');

const SWEEP_LOCK = 7_400_101; // src/dispatch/deadline-sweeper.ts
const CLIENTS_ON_A = 10;
const CLIENTS_ON_B = 2;
const TRAFFIC_MS = 3000;
const KILL_AFTER_MS = 1500;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A dashboard that, like the real one, resumes on the surviving instance from the last id it has. */
interface Client {
  name: string;
  token: string;
  events: EventView[];
  /** Events received on each socket it had, in order. */
  perSocket: number[];
  /** Of those, how many came as replay (before replay.done). */
  replayed: number[];
  socket?: ClientSocket;
  reconnecting?: Promise<void>;
  closing: boolean;
  errors: string[];
}

describeOnServer('losing one of two instances mid-traffic (fault, server)', () => {
  let db: TestDatabase;
  let sql: pg.Client;
  /** The log's epoch: sent with every lastEventId, or the gateway would not resume from it. */
  let epoch: string;
  let a: AppProcess;
  let b: AppProcess;
  const clients: Client[] = [];
  // Loops the test runs in the background; afterAll stops and awaits them even when the test failed.
  let sampling = false;
  let trafficOn = false;
  const background: Promise<unknown>[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const env = { SWEEP_INTERVAL_MS: '200', DISPATCH_ACK_TIMEOUT_SECONDS: '2' };
    // One after the other: the first migrates and seeds; the second finds both done.
    a = await startAppProcess({ databaseUrl: db.url!, name: 'A', env });
    b = await startAppProcess({ databaseUrl: db.url!, name: 'B', env });
  }, 120_000);

  afterAll(async () => {
    sampling = trafficOn = false;
    await Promise.allSettled(background);
    for (const c of clients) {
      c.closing = true;
      c.socket?.close();
    }
    await Promise.all(clients.map((c) => c.reconnecting));
    await killAppProcesses();
    await sql?.end();
    await db?.drop();
  });

  /** Connects `client` to `url` resuming after `lastEventId`; resolves on replay.done. */
  function open(client: Client, url: string, lastEventId: string): Promise<void> {
    const socket: ClientSocket = io(url, { auth: { token: client.token, lastEventId, epoch }, transports: ['websocket'], reconnection: false, forceNew: true });
    client.socket = socket;
    const slot = client.perSocket.push(0) - 1;
    socket.on('event', (e) => {
      client.events.push(e);
      client.perSocket[slot]++;
    });
    socket.on('disconnect', (reason) => {
      if (client.closing || client.socket !== socket) return;
      client.reconnecting = reconnect(client, reason).catch((e: Error) => void client.errors.push(e.message));
    });
    return new Promise((resolve, reject) => {
      socket.once('replay.done', () => {
        client.replayed[slot] = client.perSocket[slot];
        resolve();
      });
      socket.once('connect_error', (e) => {
        socket.close();
        reject(e);
      });
    });
  }

  /** To B (the survivor), from the last id received; retried until a deadline. */
  async function reconnect(client: Client, reason: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const last = client.events.at(-1)?.id ?? baseline;
      try {
        return await open(client, b.url, last);
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`${client.name} could not reconnect after ${reason}: ${(e as Error).message}`, { cause: e });
        await pause(100);
      }
    }
  }

  let baseline = '0';
  const logIds = async (): Promise<string[]> =>
    (await sql.query('SELECT id::text AS id FROM events WHERE id > $1 ORDER BY events.id', [baseline])).rows.map((r) => r.id as string);

  it("moves A's clients to B without losing or repeating an event, and B takes over the scheduled jobs", async () => {
    const started = Date.now();
    const tokens = await Promise.all(['viewer', 'commander', 'coordinator'].map((u) => loginAt(b.url, u)));
    const commander = tokens[1];
    baseline = (await sql.query('SELECT coalesce(max(id), 0)::text AS id FROM events')).rows[0].id;
    epoch = (await sql.query('SELECT epoch::text AS epoch FROM log_identity')).rows[0].epoch;
    for (let i = 0; i < CLIENTS_ON_A + CLIENTS_ON_B; i++) {
      clients.push({ name: i < CLIENTS_ON_A ? `A${i}` : `B${i - CLIENTS_ON_A}`, token: tokens[i % 3], events: [], perSocket: [], replayed: [], closing: false, errors: [] });
    }
    await Promise.all(clients.map((c, i) => open(c, i < CLIENTS_ON_A ? a.url : b.url, baseline)));

    // Who holds the deadline sweeper's lock, sampled until the kill (for the log: it moves between instances).
    const lockHolders: number[] = [];
    sampling = true;
    const sampler = (async () => {
      const probe = new pg.Client({ connectionString: db.url });
      await probe.connect();
      try {
        while (sampling) {
          const rows = (await probe.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted`, [SWEEP_LOCK])).rows;
          lockHolders.push(...rows.map((r) => r.pid as number));
          await pause(10);
        }
      } finally {
        await probe.end();
      }
    })();

    // Traffic: notices through both instances, each about every 30 ms; A dies in the middle.
    trafficOn = true;
    let aKilled = false;
    const posted = { A: 0, B: 0, failed: 0 };
    const poster = async (app: AppProcess, key: 'A' | 'B') => {
      for (let n = 0; trafficOn; n++) {
        try {
          const res = await api(app.url, 'POST', '/api/notices', { token: commander, body: { title: `traffic ${key} ${n}` } });
          if (res.status === 201) posted[key]++;
          else throw new Error(`notice through ${key}: status ${res.status}: ${JSON.stringify(res.body)}; its log:\n${app.output().slice(-3000)}`);
        } catch (e) {
          if (key === 'A' && aKilled) return; // its in-flight request died with it
          posted.failed++;
          throw e;
        }
        await pause(30);
      }
    };
    const traffic = Promise.all([poster(a, 'A'), poster(b, 'B')]);
    // Handled here so a failure is reported where the test awaits it, not as an unhandled rejection.
    background.push(sampler.catch(() => undefined), traffic.catch(() => undefined));
    await pause(KILL_AFTER_MS);
    sampling = false;
    await sampler;
    aKilled = true;
    await a.kill9();
    const killedAt = Date.now();
    await pause(TRAFFIC_MS - KILL_AFTER_MS); // traffic through B goes on while A's clients move
    trafficOn = false;
    await traffic;
    expect(posted.A).toBeGreaterThan(0);
    expect(posted.B).toBeGreaterThan(0);

    // Every client of A noticed and resumed on B; B's own clients never dropped.
    await until("A's clients reconnected to B", 10_000, () => clients.slice(0, CLIENTS_ON_A).every((c) => c.perSocket.length >= 2 && c.socket!.connected));
    await Promise.all(clients.map((c) => c.reconnecting));
    expect(clients.flatMap((c) => c.errors)).toEqual([]);
    expect(clients.slice(CLIENTS_ON_A).map((c) => c.perSocket.length)).toEqual(clients.slice(CLIENTS_ON_A).map(() => 1));

    // The scheduled jobs go on: a dispatch nobody acknowledges expires, swept by B.
    const incident = await api(b.url, 'POST', '/api/incidents', {
      token: commander,
      body: { kind: 'rescue', severity: 'severe', title: '实例故障后的派遣', lat: 24.781, lng: 118.762, requiredSkills: ['water_rescue'] },
    });
    expect(incident.status).toBe(201);
    const squads = (await api(b.url, 'GET', '/api/squads', { token: commander })).body as { id: string; status: string }[];
    const squad = squads.find((s) => s.status === 'available')!;
    const dispatched = await api(b.url, 'POST', `/api/incidents/${incident.body.id}/dispatches`, { token: commander, body: { squadIds: [squad.id] } });
    expect(dispatched.status).toBe(201);
    const dispatchId: string = dispatched.body[0].id;
    const dispatchedAt = Date.now();
    await until('the dispatch expired in the database', 6000, async () => {
      const { rows } = await sql.query('SELECT status FROM dispatches WHERE id = $1', [dispatchId]);
      return rows[0].status === 'expired';
    });
    await until('a client got dispatch.expired', 3000, () => clients[0].events.some((e) => e.type === 'dispatch.expired' && e.dispatchId === dispatchId));
    const expiredAfter = Date.now() - dispatchedAt;

    // Settled: every client has the whole log since the baseline — each event once, in id order.
    let log = await logIds();
    for (;;) {
      const last = log.at(-1);
      await until(`every client has event ${last}`, 10_000, () => clients.every((c) => c.events.at(-1)?.id === last)).catch((e: Error) => {
        const behind = clients.filter((c) => c.events.at(-1)?.id !== last);
        throw new Error(`${e.message}; log ${log.join(',')}; behind: ${behind.map((c) => `${c.name} (sockets ${c.perSocket.join('+')}) has ${c.events.map((x) => x.id).join(',')}`).join(' | ')}`, { cause: e });
      });
      const again = await logIds();
      if (again.length === log.length) break;
      log = again;
    }
    const notices = (await sql.query(`SELECT count(*)::int AS n FROM events WHERE id > $1 AND type = 'notice.posted'`, [baseline])).rows[0].n;
    expect(notices).toBeGreaterThanOrEqual(posted.A + posted.B);
    for (const c of clients) {
      const got = c.events.map((e) => e.id);
      const counts = new Map<string, number>();
      for (const id of got) counts.set(id, (counts.get(id) ?? 0) + 1);
      const inLog = new Set(log);
      expect({
        client: c.name,
        duplicates: [...counts].filter(([, n]) => n > 1).map(([id]) => id),
        missing: log.filter((id) => !counts.has(id)),
        notInLog: got.filter((id) => !inLog.has(id)),
        outOfOrder: got.filter((id, i) => i > 0 && BigInt(id) <= BigInt(got[i - 1])).length,
      }).toEqual({ client: c.name, duplicates: [], missing: [], notInLog: [], outOfOrder: 0 });
      expect(got).toEqual(log);
    }

    // Which instance held the sweeper lock before the kill: A's sessions are the ones that are gone now.
    const live = new Set((await sql.query('SELECT pid FROM pg_stat_activity')).rows.map((r) => r.pid as number));
    const byA = lockHolders.filter((pid) => !live.has(pid)).length;
    console.info(
      `instance-loss: ${log.length} events (${notices} notices: ${posted.A} posted through A, ${posted.B} through B), ` +
        `${CLIENTS_ON_A} clients moved from A to B (live from A before the kill: ${clients.slice(0, CLIENTS_ON_A).map((c) => c.perSocket[0]).join(',')}; ` +
        `on B: ${clients.slice(0, CLIENTS_ON_A).map((c) => `${c.perSocket[1]} (${c.replayed[1]} replayed)`).join(',')}), all ${clients.length} clients got every event once, in order; ` +
        `sweeper lock seen held ${lockHolders.length} times before the kill, ${byA} by A; ` +
        `dispatch expired ${expiredAfter} ms after it was made (ack timeout 2 s, A dead for ${Math.round((dispatchedAt - killedAt) / 1000)} s); ` +
        `${Math.round((Date.now() - started) / 1000)} s`,
    );
  }, 120_000);
});
