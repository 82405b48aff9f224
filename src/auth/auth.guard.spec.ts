import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { loadConfig } from '../config/config.js';
import { AuthGuard } from './auth.guard.js';
import { Public, Roles } from './decorators.js';
import { TokenService } from './token.service.js';

class Routes {
  @Public() open() {}
  anyUser() {}
  @Roles('commander', 'coordinator') planners() {}
}

const tokens = new TokenService(loadConfig({ JWT_SECRET: 'g'.repeat(40) }));
const guard = new AuthGuard(new Reflector(), tokens);

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

  it('requires a valid bearer token elsewhere and puts the user on the request', () => {
    expect(() => guard.canActivate(context('anyUser').ctx)).toThrow('Log in first');
    expect(() => guard.canActivate(context('anyUser', 'Basic abc').ctx)).toThrow('Log in first');
    const { ctx, req } = context('anyUser', bearer('viewer'));
    expect(guard.canActivate(ctx)).toBe(true);
    expect(req.user).toEqual({ id: 'u1', username: 'viewer', role: 'viewer', squadId: null });
  });

  it('enforces @Roles: listed roles pass, others get 403 naming the role needed', () => {
    expect(guard.canActivate(context('planners', bearer('coordinator')).ctx)).toBe(true);
    expect(guard.canActivate(context('planners', bearer('commander')).ctx)).toBe(true);
    expect(() => guard.canActivate(context('planners', bearer('viewer')).ctx)).toThrow(
      'This needs the role commander or coordinator; you are viewer.',
    );
  });
});
