import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { loadConfig } from '../config/config.js';
import type { ApiTokensService } from './api-tokens.service.js';
import type { AuthUser } from '../common/auth-user.js';
import { AuthGuard } from './auth.guard.js';
import { AllowApiToken, Public, Roles } from '../common/decorators.js';
import type { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';

class Routes {
  @Public() open() {}
  anyUser() {}
  @Roles('commander', 'coordinator') planners() {}
  @AllowApiToken() capFeed() {}
  @AllowApiToken() @Roles('commander') commanderCap() {}
}

const tokens = new TokenService(loadConfig({ JWT_SECRET: 'g'.repeat(40) }));
const GOOD_API_TOKEN = `pjt_${'a'.repeat(43)}`;
const lookups: string[] = [];
// Stands in for the database lookup: one known token, counted so the tests can see when it is read.
const apiTokens = {
  async authenticate(token: string): Promise<AuthUser> {
    lookups.push(token);
    if (token !== GOOD_API_TOKEN) throw new Error('This API token is not valid or has been revoked');
    return { id: 't1', username: 'api-token:platform', role: 'viewer', squadId: null };
  },
} as unknown as ApiTokensService;
// Stands in for the user check (tested end to end): the token's signature and expiry only.
const sessions = { authenticate: async (token: string | undefined) => tokens.verifyToken(token) } as unknown as SessionsService;
const guard = new AuthGuard(new Reflector(), sessions, apiTokens);
const activate = (ctx: ExecutionContext) => Promise.resolve(guard.canActivate(ctx));

function context(handler: keyof Routes, authorization?: string) {
  const req: { headers: Record<string, string | undefined>; user?: unknown } = { headers: { authorization } };
  const ctx = {
    getType: () => 'http',
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => req }),
  } as unknown as ExecutionContext;
  return { ctx, req };
}

const bearer = (role: 'commander' | 'viewer' | 'coordinator') =>
  `Bearer ${tokens.issue({ id: 'u1', username: role, role, squadId: null })}`;

describe('AuthGuard', () => {
  it('takes a websocket message from the user its handshake proved, and applies @Roles to it', () => {
    const ws = (user?: object) =>
      ({ getType: () => 'ws', getHandler: () => Routes.prototype.planners, getClass: () => Routes, switchToWs: () => ({ getClient: () => ({ data: { user } }) }) }) as unknown as ExecutionContext;
    expect(guard.canActivate(ws({ id: 'u', username: 'c', role: 'coordinator', squadId: null }))).toBe(true);
    expect(() => guard.canActivate(ws({ id: 'u', username: 'v', role: 'viewer', squadId: null }))).toThrow('This needs the role');
    expect(() => guard.canActivate(ws(undefined))).toThrow('Log in first');
  });

  it('lets @Public routes through without a token', () => {
    expect(guard.canActivate(context('open').ctx)).toBe(true);
  });

  it('requires a valid bearer token elsewhere and puts the user on the request', async () => {
    await expect(activate(context('anyUser').ctx)).rejects.toThrow('Log in first');
    await expect(activate(context('anyUser', 'Basic abc').ctx)).rejects.toThrow('Log in first');
    const { ctx, req } = context('anyUser', bearer('viewer'));
    await expect(activate(ctx)).resolves.toBe(true);
    expect(req.user).toEqual({ id: 'u1', username: 'viewer', role: 'viewer', squadId: null });
  });

  it('accepts an API token only on @AllowApiToken routes, as a viewer, with a database lookup', async () => {
    lookups.length = 0;
    expect(() => guard.canActivate(context('anyUser', `Bearer ${GOOD_API_TOKEN}`).ctx)).toThrow('API tokens can only read the CAP feed and CAP alerts');
    expect(lookups).toEqual([]);
    const { ctx, req } = context('capFeed', `Bearer ${GOOD_API_TOKEN}`);
    await expect(guard.canActivate(ctx)).resolves.toBe(true);
    expect(req.user).toMatchObject({ id: 't1', role: 'viewer', squadId: null });
    await expect(Promise.resolve(guard.canActivate(context('capFeed', `Bearer pjt_${'b'.repeat(43)}`).ctx))).rejects.toThrow('not valid or has been revoked');
    await expect(Promise.resolve(guard.canActivate(context('commanderCap', `Bearer ${GOOD_API_TOKEN}`).ctx))).rejects.toThrow('This needs the role commander');
  });

  it('checks a login on @AllowApiToken routes as a login, without an API token lookup', async () => {
    lookups.length = 0;
    const { ctx, req } = context('capFeed', bearer('viewer'));
    await expect(activate(ctx)).resolves.toBe(true);
    expect(req.user).toMatchObject({ role: 'viewer' });
    expect(lookups).toEqual([]);
  });

  it('enforces @Roles: listed roles pass, others get 403 naming the role needed', async () => {
    await expect(activate(context('planners', bearer('coordinator')).ctx)).resolves.toBe(true);
    await expect(activate(context('planners', bearer('commander')).ctx)).resolves.toBe(true);
    await expect(activate(context('planners', bearer('viewer')).ctx)).rejects.toThrow(
      'This needs the role commander or coordinator; you are viewer.',
    );
  });
});
