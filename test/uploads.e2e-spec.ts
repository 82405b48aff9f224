import { randomUUID } from 'node:crypto';
import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { toCsv } from '../src/common/csv.js';
import { connectClient } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';
import { type AppProcess, killAppProcesses, loginAt, startAppProcess } from './helpers/app-process.js';

const FACILITY_HEADER = 'code,name,nameEn,type,kind,areaCode,areaName,gridZoneCode,lat,lng,capacity,openingHours,parentCode,emergencyFunction';
const MB = 1024 * 1024;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * An upload over a bare socket, so the test controls exactly what is sent: the head (announcing
 * `length` bytes of body), then only `first` bytes of it. `answer` resolves with the response parsed
 * from whatever the server has sent; `sent` counts the body bytes written so far; `closed` resolves
 * when the server ends the connection.
 */
function rawUpload(url: string, path: string, opts: { token?: string; length: number; first: string }) {
  const { port } = new URL(url);
  const socket: Socket = connect(Number(port), '127.0.0.1');
  let received = '';
  let sent = 0;
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    'Content-Type: text/csv',
    `Content-Length: ${opts.length}`,
    ...(opts.token ? [`Authorization: Bearer ${opts.token}`] : []),
    '',
    '',
  ].join('\r\n');
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    const tryParse = () => {
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const body = received.slice(end + 4);
      if (Buffer.byteLength(body) < Number(headers['content-length'] ?? 0)) return;
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('utf8');
      tryParse();
    });
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`connection closed without a whole answer: ${JSON.stringify(received.slice(0, 200))}`)));
  });
  answer.catch(() => undefined); // observed by the caller; never an unhandled rejection
  socket.write(head);
  socket.write(opts.first, () => (sent += Buffer.byteLength(opts.first)));
  return {
    answer,
    closed,
    sent: () => sent,
    /** Sends more of the body. */
    write: (text: string) =>
      new Promise<void>((resolve, reject) => socket.write(text, (e) => (e ? reject(e) : ((sent += Buffer.byteLength(text)), resolve())))),
    destroy: () => socket.destroy(),
  };
}

/** Resolves with the answer, or rejects after `ms`: a refused upload must not wait for its body. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** GET /health (over a kept-alive connection, as a load balancer's probe): the time to a whole answer. */
function timeHealth(url: string, agent: Agent): Promise<{ ms: number; status: number; db: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    get(`${url}/health`, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.once('end', () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0, db: (JSON.parse(body) as { db: string }).db }));
      res.once('error', reject);
    }).once('error', reject);
  });
}

describe('uploads (e2e): refused from their headers before their body is read', () => {
  let t: TestApp;
  let commander: string;
  let viewer: string;
  beforeAll(async () => {
    t = await startTestApp();
    commander = await t.login('commander');
    viewer = await t.login('viewer');
  });
  afterAll(async () => {
    await t.close();
  });

  // A 15 MB upload of which only the first 16 KB are ever sent: an answer can only come from the headers.
  const first = `${FACILITY_HEADER}\n${'X-1,站,,elder_canteen,,hubin,,,24.73,118.65,,,,\n'.repeat(300)}`.slice(0, 16 * 1024);

  it.each([
    ['without a token', undefined, 401, 'AUTH.UNAUTHORIZED'],
    ['with a forged token', 'not-a-jwt', 401, 'AUTH.UNAUTHORIZED'],
    ['with an API token', 'pjt_0123456789abcdef', 401, 'AUTH.API_TOKEN_NOT_ALLOWED'],
    ['from a viewer', 'viewer', 403, 'AUTH.FORBIDDEN'],
  ])('a 15 MB upload %s is refused from its headers, without reading the body', async (_what, who, status, code) => {
    const token = who === 'viewer' ? viewer : who;
    for (const kind of ['facilities', 'squads']) {
      const started = performance.now();
      const upload = rawUpload(t.url, `/api/imports/${kind}?dryRun=true`, { token, length: 15 * MB, first });
      try {
        const res = await within(upload.answer, 3000, `${kind} ${_what}`);
        expect(res.status).toBe(status);
        expect(JSON.parse(res.body)).toMatchObject({ statusCode: status, code });
        expect(res.headers.connection).toBe('close');
        expect(upload.sent()).toBe(Buffer.byteLength(first)); // nothing more was sent
        expect(performance.now() - started).toBeLessThan(2000);
        // The server ends the connection: the client need not send the remaining 15 MB.
        await within(upload.closed, 3000, 'the server closing the connection');
      } finally {
        upload.destroy();
      }
    }
  });

  it("a commander's upload over the same socket is read and imported (the refusal above is not just a fast answer)", async () => {
    const csv = `${FACILITY_HEADER}\nSLOW-01,慢上传,,elder_canteen,,hubin,,,24.73,118.65,,,,\n`;
    const half = Math.floor(csv.length / 2);
    const upload = rawUpload(t.url, '/api/imports/facilities?dryRun=true', { token: commander, length: Buffer.byteLength(csv), first: csv.slice(0, half) });
    try {
      const early = await Promise.race([upload.answer.then(
        () => 'answered',
        () => 'failed',
      ), new Promise((resolve) => setTimeout(() => resolve('waiting'), 300))]);
      expect(early).toBe('waiting'); // the body is needed, so the server waits for it
      await upload.write(csv.slice(half));
      const res = await within(upload.answer, 5000, 'the commander upload');
      expect(res.status).toBe(201);
      expect(JSON.parse(res.body)).toMatchObject({ dryRun: true, rows: 1, created: 1 });
    } finally {
      upload.destroy();
    }
  });

  it('a refused upload sent whole still gets its 401 or 403 (supertest)', async () => {
    const big = `${FACILITY_HEADER}\n${'Y-1,站,,elder_canteen,,hubin,,,24.73,118.65,,,,\n'.repeat(Math.ceil((2 * MB) / 44))}`;
    const anonymous = await t.http().post('/api/imports/facilities').set('content-type', 'text/csv').send(big).catch((e: unknown) => e);
    expect((anonymous as { status?: number }).status).toBe(401);
    const asViewer = await t.http().post('/api/imports/squads').set('authorization', `Bearer ${viewer}`).set('content-type', 'text/csv').send(big).catch((e: unknown) => e);
    expect((asViewer as { status?: number }).status).toBe(403);
  });
});

// The app in a process of its own, as in production: what is measured is the server's event loop, not
// the test runner's (its heap, its garbage collections, the other tests' leftovers).
describe('a 20,000-row import (e2e, the app in its own process)', () => {
  let db: TestDatabase;
  let app: AppProcess;
  let commander: string;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startAppProcess({ name: 'uploads', databaseUrl: db.url ?? '', env: db.url ? {} : { PGLITE_DIR: 'memory://' } });
    commander = await loginAt(app.url, 'commander');
  }, 120_000);
  afterAll(async () => {
    await killAppProcesses();
    await db.drop();
  });

  it('/health answers within 100 ms (95% of polls, none over 800 ms) all through a 20,000-row dry run, on both databases', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => [`HUGE-${i}`, `两万站点 ${i}`, null, 'self_service_area', null, 'huge_city', i ? null : '巨城', null,
      30 + (i % 100) / 1000, 120 + Math.floor(i / 100) / 1000, 10, '24h', null, null]);
    const csv = toCsv([FACILITY_HEADER.split(','), ...rows]);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    expect((await timeHealth(app.url, agent)).status).toBe(200); // warm
    const client = await connectClient(app.url, commander);
    await client.replayDone;
    const importId = randomUUID();
    // When the rows are checked and the transaction writes (the first 'writing' message arrives).
    let writingAt = Infinity;
    client.socket.on('import.progress', (p) => {
      if (p.importId === importId && p.phase === 'writing') writingAt = Math.min(writingAt, performance.now());
    });

    let done = false;
    const importing = (async () => {
      try {
        const res = await fetch(`${app.url}/api/imports/facilities?dryRun=true&importId=${importId}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${commander}`, 'content-type': 'text/csv' },
          body: csv,
        });
        return { status: res.status, body: (await res.json()) as unknown };
      } finally {
        done = true;
      }
    })();
    const samples: { ms: number; status: number; db: string; end: number }[] = [];
    const started = performance.now();
    try {
      while (!done) {
        const sample = await timeHealth(app.url, agent);
        samples.push({ ...sample, end: performance.now() });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    } finally {
      const res = await importing;
      client.close();
      agent.destroy();
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ importId, dryRun: true, rows: 20_000, created: 20_000, areasCreated: ['huge_city'] });
    }
    const took = performance.now() - started;
    expect(writingAt).toBeLessThan(Infinity);
    expect(samples.every((s) => s.status === 200)).toBe(true);
    // On the embedded database the transaction holds its one connection while it writes: /health says
    // so ('busy') instead of waiting; on the server the import uses one connection of many.
    const writing = samples.filter((s) => s.end > writingAt);
    expect(writing.length).toBeGreaterThan(0);
    const said = new Set(writing.map((s) => s.db));
    if (serverUrl()) expect([...said]).toEqual(['up']);
    else expect(said.has('busy') && [...said].every((db) => db === 'up' || db === 'busy')).toBe(true);
    const measured = samples;
    // Checking 20,000 rows takes about a second: polls every few ms must have seen it, not slipped past it.
    expect(measured.length).toBeGreaterThanOrEqual(10);
    const sorted = measured.map((s) => s.ms).sort((a, b) => a - b);
    const worst = sorted[sorted.length - 1];
    const p95 = sorted[Math.floor(sorted.length * 0.95)];
    const summary = `worst ${Math.round(worst)} ms, 95th percentile ${Math.round(p95)} ms over ${measured.length} of ${samples.length} polls during ${Math.round(took)} ms`;
    // 100 ms for 95% of the polls. The worst may take up to 800 ms: on a shared two-core CI machine one
    // statement of the embedded database (which runs in the app's thread) or one garbage collection now
    // and then takes 250–600 ms (595 ms seen once in CI, 66–96 ms on a quiet machine). Without the
    // yielding, a poll waits out a whole check or write (0.9–2 s) and one in ten takes over 150 ms.
    expect(p95 < 100 && worst < 800 ? 'within bounds' : summary).toBe('within bounds');
  });
});
