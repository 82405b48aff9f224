import { JwtService } from '@nestjs/jwt';
import { startTestApp, type TestApp } from './helpers/test-app.js';

describe('auth and roles (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('logs in a demo account and returns a token that /api/auth/me accepts', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'leader-017', password: 'pingji-demo' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'leader-017', role: 'squad_leader' });
    const me = await t.http().get('/api/auth/me').set('authorization', `Bearer ${res.body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'leader-017', role: 'squad_leader', id: res.body.user.id });
  });

  it('answers a wrong password and an unknown user alike: 401 with the same message', async () => {
    const wrong = await t.http().post('/api/auth/login').send({ username: 'commander', password: 'not-the-password' });
    const unknown = await t.http().post('/api/auth/login').send({ username: 'nobody-here', password: 'pingji-demo' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual({ statusCode: 401, code: 'AUTH.INVALID_CREDENTIALS', message: 'Wrong username or password.' });
    expect(unknown.body).toEqual(wrong.body);
  });

  it('refuses requests without a token, with a forged token and with an expired token', async () => {
    const none = await t.http().get('/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('AUTH.UNAUTHORIZED');

    const claims = { sub: 'x', username: 'commander', role: 'commander', squadId: null };
    const forged = new JwtService({ secret: 'some-other-secret-some-other-secret!!' }).sign(claims);
    const forgedRes = await t.http().get('/api/auth/me').set('authorization', `Bearer ${forged}`);
    expect(forgedRes.status).toBe(401);

    const expired = new JwtService({ secret: t.config.jwtSecret }).sign({ ...claims, exp: Math.floor(Date.now() / 1000) - 10 });
    const expiredRes = await t.http().get('/api/auth/me').set('authorization', `Bearer ${expired}`);
    expect(expiredRes.status).toBe(401);
    expect(expiredRes.body.code).toBe('AUTH.TOKEN_EXPIRED');

    const garbage = await t.http().get('/api/auth/me').set('authorization', 'Bearer not.a.jwt');
    expect(garbage.status).toBe(401);
  });

  it('enforces roles on the server: a viewer may not create accounts (403), a commander may', async () => {
    const viewer = await t.login('viewer');
    const body = { username: 'grid-worker-7', password: 'long enough password', role: 'viewer' };
    const denied = await t.http().post('/api/users').set('authorization', `Bearer ${viewer}`).send(body);
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('AUTH.FORBIDDEN');

    const commander = await t.login('commander');
    const created = await t.http().post('/api/users').set('authorization', `Bearer ${commander}`).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'grid-worker-7', role: 'viewer' });
    expect(created.body.passwordHash).toBeUndefined();
    await expect(t.login('grid-worker-7', 'long enough password')).resolves.toEqual(expect.any(String));

    const again = await t.http().post('/api/users').set('authorization', `Bearer ${commander}`).send(body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('USER.USERNAME_TAKEN');
  });

  it('rejects a bad body with field messages and creates nothing', async () => {
    const commander = await t.login('commander');
    const before = await t.http().get('/api/users').set('authorization', `Bearer ${commander}`);
    const res = await t
      .http()
      .post('/api/users')
      .set('authorization', `Bearer ${commander}`)
      .send({ username: 'x', password: 'short', role: 'admiral' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('REQUEST.VALIDATION');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['password', 'role', 'username']);
    expect(res.body.message).toContain('role must be one of');
    const after = await t.http().get('/api/users').set('authorization', `Bearer ${commander}`);
    expect(after.body).toEqual(before.body);
  });

  it('rejects unknown fields instead of ignoring them', async () => {
    const res = await t.http().post('/api/auth/login').send({ username: 'commander', password: 'pingji-demo', isAdmin: true });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'isAdmin', messages: ['property isAdmin should not exist'] }]);
  });
});

describe('login rate limit (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '3' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers 429 with Retry-After once an address has tried too often, even with the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await t.http().post('/api/auth/login').send({ username: 'commander', password: 'wrong-guess' });
      expect(res.status).toBe(401);
    }
    const limited = await t.http().post('/api/auth/login').send({ username: 'commander', password: 'pingji-demo' });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('AUTH.RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Another account from the same address still has its own allowance.
    await expect(t.login('viewer')).resolves.toEqual(expect.any(String));
  });
});
