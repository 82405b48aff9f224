import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { SessionEnded } from '../src/contracts/socket.js';
import { type ClientSocket, connectClient, refusal } from './helpers/sockets.js';
import { startTestApp, type TestApp } from './helpers/test-app.js';
import { createTestDatabase, serverUrl, type TestDatabase } from './helpers/test-database.js';
import { until } from './helpers/until.js';

const PASSWORD = 'a long enough password';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Resolves with the session.ended a socket is sent, once the socket has been disconnected too. */
function sessionEnd(socket: ClientSocket, ms = 5000): Promise<{ ended: SessionEnded; disconnected: string }> {
  return new Promise((resolve, reject) => {
    let ended: SessionEnded | undefined;
    const timer = setTimeout(() => reject(new Error(`no session.ended + disconnect within ${ms} ms (ended: ${JSON.stringify(ended)})`)), ms);
    socket.once('session.ended', (info) => (ended = info));
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      if (!ended) return reject(new Error(`disconnected (${reason}) without session.ended`));
      resolve({ ended, disconnected: reason });
    });
  });
}

/** A new account made by the commander; returns its id. */
async function newUser(t: TestApp, commander: string, role: 'viewer' | 'coordinator' = 'viewer'): Promise<{ id: string; username: string }> {
  const username = `u-${randomBytes(5).toString('hex')}`;
  const res = await t.http().post('/api/users').set(bearer(commander)).send({ username, password: PASSWORD, role });
  expect(res.status).toBe(201);
  return { id: res.body.id, username };
}

async function loginPair(t: TestApp, username: string, password = PASSWORD) {
  const res = await t.http().post('/api/auth/login').send({ username, password });
  expect(res.status).toBe(200);
  return res.body as { accessToken: string; refreshToken: string; expiresIn: number; user: { id: string } };
}

describe('sessions (e2e)', () => {
  let t: TestApp;
  let commander: string;
  beforeAll(async () => {
    t = await startTestApp();
    commander = await t.login('commander');
  });
  afterAll(async () => {
    await t.close();
  });

  it("refuses a deleted user's token at once, and within seconds even when its user was checked just before", async () => {
    const fresh = await newUser(t, commander);
    const { accessToken } = await loginPair(t, fresh.username);
    await t.app.get(DataSource).query('DELETE FROM users WHERE id = $1', [fresh.id]);
    const res = await t.http().get('/api/auth/me').set(bearer(accessToken));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('AUTH.TOKEN_REVOKED');

    // Checked (and cached) first, then deleted behind the app's back: the cache expires within seconds.
    const cached = await newUser(t, commander);
    const second = await loginPair(t, cached.username);
    expect((await t.http().get('/api/auth/me').set(bearer(second.accessToken))).status).toBe(200);
    await t.app.get(DataSource).query('DELETE FROM users WHERE id = $1', [cached.id]);
    await until('the revoked token is refused', 7000, async () => (await t.http().get('/api/auth/me').set(bearer(second.accessToken))).status === 401);
    expect(await refusal(t.url, second.accessToken)).toBe('unauthorized');
  });

  it('disabling a user refuses their login, tokens, refresh and socket, disconnects their open socket, and enabling restores logins', async () => {
    const user = await newUser(t, commander, 'coordinator');
    const pair = await loginPair(t, user.username);
    const client = await connectClient(t.url, pair.accessToken);
    await client.replayDone;
    const end = sessionEnd(client.socket);

    const disabled = await t.http().post(`/api/users/${user.id}/disable`).set(bearer(commander));
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ id: user.id, username: user.username, disabledAt: expect.any(String) });

    await expect(end).resolves.toMatchObject({ ended: { reason: 'disabled' }, disconnected: 'io server disconnect' });
    const me = await t.http().get('/api/auth/me').set(bearer(pair.accessToken));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('AUTH.USER_DISABLED');
    const login = await t.http().post('/api/auth/login').send({ username: user.username, password: PASSWORD });
    expect(login.status).toBe(401);
    expect(login.body.code).toBe('AUTH.USER_DISABLED');
    const refresh = await t.http().post('/api/auth/refresh').send({ refreshToken: pair.refreshToken });
    expect(refresh.status).toBe(401);
    expect(refresh.body.code).toBe('AUTH.INVALID_REFRESH_TOKEN');
    expect(await refusal(t.url, pair.accessToken)).toBe('unauthorized');
    const users = await t.http().get('/api/users').set(bearer(commander));
    expect(users.body.find((u: { id: string }) => u.id === user.id).disabledAt).toEqual(expect.any(String));

    // Disabling again changes nothing and logs nothing.
    expect((await t.http().post(`/api/users/${user.id}/disable`).set(bearer(commander))).status).toBe(200);

    const enabled = await t.http().post(`/api/users/${user.id}/enable`).set(bearer(commander));
    expect(enabled.status).toBe(200);
    expect(enabled.body.disabledAt).toBeNull();
    const again = await loginPair(t, user.username);
    expect((await t.http().get('/api/auth/me').set(bearer(again.accessToken))).status).toBe(200);
    // Tokens from before the disable stay dead.
    const old = await t.http().get('/api/auth/me').set(bearer(pair.accessToken));
    expect(old.status).toBe(401);
    expect(old.body.code).toBe('AUTH.TOKEN_REVOKED');

    // Each change is in the audit trail, with who did it.
    const events = await t.http().get('/api/events?latest=true&limit=20').set(bearer(commander));
    const audit = events.body.filter((e: { type: string; payload: { userId?: string } }) => e.type.startsWith('user.') && e.payload.userId === user.id);
    expect(audit.map((e: { type: string; actor: { username: string } }) => [e.type, e.actor.username])).toEqual([
      ['user.disabled', 'commander'],
      ['user.enabled', 'commander'],
    ]);
  });

  it('lets only a commander disable, never themselves, and answers 404 for an unknown user', async () => {
    const me = await t.http().get('/api/auth/me').set(bearer(commander));
    const self = await t.http().post(`/api/users/${me.body.id}/disable`).set(bearer(commander));
    expect(self.status).toBe(409);
    expect(self.body.code).toBe('USER.CANNOT_DISABLE_SELF');
    const target = await newUser(t, commander);
    const viewer = await t.login('viewer');
    const denied = await t.http().post(`/api/users/${target.id}/disable`).set(bearer(viewer));
    expect(denied.status).toBe(403);
    const unknown = await t.http().post('/api/users/00000000-0000-4000-8000-000000000000/disable').set(bearer(commander));
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('USER.NOT_FOUND');
    expect((await t.http().get('/api/auth/me').set(bearer(commander))).status).toBe(200);
  });

  it('rotates refresh tokens: a new pair that works, the spent one refused, and reusing it ends that login', async () => {
    const user = await newUser(t, commander);
    const first = await loginPair(t, user.username);
    expect(first.expiresIn).toBe(t.config.jwtTtlSeconds);
    const refreshed = await t.http().post('/api/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({ user: { id: user.id, username: user.username }, accessToken: expect.any(String) });
    expect(refreshed.body.refreshToken).not.toBe(first.refreshToken);
    expect((await t.http().get('/api/auth/me').set(bearer(refreshed.body.accessToken))).status).toBe(200);

    const reused = await t.http().post('/api/auth/refresh').send({ refreshToken: first.refreshToken });
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('AUTH.INVALID_REFRESH_TOKEN');
    // Two holders of one token, one of them a thief: the whole family is revoked.
    const next = await t.http().post('/api/auth/refresh').send({ refreshToken: refreshed.body.refreshToken });
    expect(next.status).toBe(401);
    // Another login of the same user is untouched.
    const other = await loginPair(t, user.username);
    expect((await t.http().post('/api/auth/refresh').send({ refreshToken: other.refreshToken })).status).toBe(200);
    expect((await t.http().post('/api/auth/refresh').send({ refreshToken: 'not-a-token' })).status).toBe(401);
    // Logging out ends that login: its refresh token is refused from then on.
    const third = await loginPair(t, user.username);
    expect((await t.http().post('/api/auth/logout').send({ refreshToken: third.refreshToken })).status).toBe(204);
    const afterLogout = await t.http().post('/api/auth/refresh').send({ refreshToken: third.refreshToken });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body.code).toBe('AUTH.INVALID_REFRESH_TOKEN');
    // Only hashes are stored.
    const stored = await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM refresh_tokens WHERE token_hash = $1', [other.refreshToken]);
    expect(stored[0].n).toBe(0);
  });
});

describe('short-lived access tokens (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ JWT_TTL: '2s' });
  });
  afterAll(async () => {
    await t.close();
  });

  it("tells a socket its session ended when its token expires, disconnects it, and a refresh gets back in", async () => {
    const pair = await loginPair(t, 'viewer', 'pingji-demo');
    expect(pair.expiresIn).toBe(2);
    const client = await connectClient(t.url, pair.accessToken);
    await client.replayDone;
    const started = Date.now();
    const { ended } = await sessionEnd(client.socket, 5000);
    expect(ended.reason).toBe('expired');
    expect(Date.now() - started).toBeLessThan(3000);

    const expired = await t.http().get('/api/auth/me').set(bearer(pair.accessToken));
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('AUTH.TOKEN_EXPIRED');
    expect(await refusal(t.url, pair.accessToken)).toBe('unauthorized');

    const refreshed = await t.http().post('/api/auth/refresh').send({ refreshToken: pair.refreshToken });
    expect(refreshed.status).toBe(200);
    const back = await connectClient(t.url, refreshed.body.accessToken);
    await back.replayDone;
    expect(back.socket.connected).toBe(true);
    back.close();
  });
});

describe('login limiting that cannot lock out others (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '5', LOGIN_ADDRESS_LIMIT: '70', TRUST_PROXY: 'loopback' });
  });
  afterAll(async () => {
    await t.close();
  });
  const attempt = (username: string, password: string, address: string) =>
    t.http().post('/api/auth/login').set('x-forwarded-for', address).send({ username, password });

  it("60 wrong attempts from one address for many usernames do not block another user's correct login from it", async () => {
    for (let batch = 0; batch < 6; batch++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(`nobody-${batch}-${i}`, 'wrong password', '198.51.100.7')));
      expect(answers.map((r) => r.status)).toEqual(Array(10).fill(401));
    }
    expect((await attempt('commander', 'pingji-demo', '198.51.100.7')).status).toBe(200);
    // Successful logins do not count: another 10 failures still fit the address's 70.
    const more = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(`nobody-x${i}`, 'wrong password', '198.51.100.7')));
    expect(more.map((r) => r.status)).toEqual(Array(10).fill(401));
    const limited = await attempt('viewer', 'pingji-demo', '198.51.100.7');
    expect(limited.status).toBe(429);
    // The limit is the forwarded address's (TRUST_PROXY), not the proxy's.
    expect((await attempt('viewer', 'pingji-demo', '198.51.100.8')).status).toBe(200);
  });

  it('backs one username off after repeated failures, from any address, and a success resets it', async () => {
    for (let i = 0; i < 5; i++) expect((await attempt('coordinator', 'wrong password', `203.0.113.${i}`)).status).toBe(401);
    const limited = await attempt('coordinator', 'pingji-demo', '203.0.113.50');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('AUTH.RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBe(1);
    expect((await attempt('leader-001', 'pingji-demo', '203.0.113.50')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    expect((await attempt('coordinator', 'pingji-demo', '203.0.113.50')).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await attempt('coordinator', 'wrong password', '203.0.113.51')).status).toBe(401);
  });
});

describe('login limiting without TRUST_PROXY (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '100', LOGIN_ADDRESS_LIMIT: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('ignores X-Forwarded-For: a client cannot pick a new address per attempt', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.http().post('/api/auth/login').set('x-forwarded-for', `192.0.2.${i}`).send({ username: `nobody-${i}`, password: 'wrong password' });
      expect(res.status).toBe(401);
    }
    const res = await t.http().post('/api/auth/login').set('x-forwarded-for', '192.0.2.99').send({ username: 'viewer', password: 'pingji-demo' });
    expect(res.status).toBe(429);
  });
});

// Several instances share a PostgreSQL server; the embedded database is one process by nature.
const describeOnServer = serverUrl() ? describe : describe.skip;

describeOnServer('disabling across two instances (e2e, server)', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    [a, b] = await Promise.all([startTestApp({}, db), startTestApp({}, db)]);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await db?.drop();
  });

  it("disabling on A disconnects the user's socket on B and B refuses their token", async () => {
    const commander = await a.login('commander');
    const user = await newUser(a, commander);
    const { accessToken } = await loginPair(b, user.username);
    expect((await b.http().get('/api/auth/me').set(bearer(accessToken))).status).toBe(200); // now cached on B
    const onB = await connectClient(b.url, accessToken);
    await onB.replayDone;
    const end = sessionEnd(onB.socket, 5000);
    expect((await a.http().post(`/api/users/${user.id}/disable`).set(bearer(commander))).status).toBe(200);
    await expect(end).resolves.toMatchObject({ ended: { reason: 'disabled' } });
    // B's relay dropped its cached state with the event: refused at once, not after the cache's TTL.
    const me = await b.http().get('/api/auth/me').set(bearer(accessToken));
    expect(me.status).toBe(401);
    expect(me.body.code).toBe('AUTH.USER_DISABLED');
  });
});
