import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error.js';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service.js';
import type { AuthUser } from '../common/auth-user.js';
import { ALLOW_API_TOKEN, IS_PUBLIC, ROLES_KEY } from '../common/decorators.js';
import { SessionsService } from './sessions.service.js';
import { TokenService } from './token.service.js';
import type { Role } from '../contracts/auth.js';

type Targets = Parameters<Reflector['getAllAndOverride']>[1];

/**
 * The user behind an Authorization header: a login (JWT) checked by SessionsService, or a read-only API
 * token (`pjt_…`) where `allowApiToken`; a DomainError (401) otherwise — thrown at once for an API
 * token where none is allowed, else a rejection. The guard's check, also used before routing
 * (uploadGate) so that an upload is refused before its body is read.
 */
export function authenticateHeader(
  header: string | undefined,
  sessions: SessionsService,
  apiTokens: ApiTokensService,
  allowApiToken: boolean,
): Promise<AuthUser> {
  const token = TokenService.fromHeader(header);
  if (token?.startsWith(API_TOKEN_PREFIX)) {
    if (!allowApiToken) {
      throw new DomainError(
        'AUTH.API_TOKEN_NOT_ALLOWED',
        'unauthorized',
        'API tokens can only read the CAP feed and CAP alerts (GET /api/cap/feed, GET /api/alerts/:id/cap); log in for anything else.',
      );
    }
    return apiTokens.authenticate(token);
  }
  return sessions.authenticate(token).then(({ user }) => user);
}

/** AUTH.FORBIDDEN (403) unless the user has one of `roles` (none named: anyone logged in). */
export function checkRoles(user: AuthUser, roles: readonly Role[] | undefined): void {
  if (roles && !roles.includes(user.role)) {
    throw new DomainError('AUTH.FORBIDDEN', 'forbidden', { roles: roles.join(' or '), role: user.role });
  }
}

/**
 * Global: every route needs a valid token unless @Public, and one of its @Roles if it names any.
 * A login (JWT) is checked by SessionsService — signature and expiry, then its user (exists, enabled,
 * token version), from a short cache; a read-only API token (`pjt_…`) is looked up, and only on routes
 * marked @AllowApiToken.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionsService,
    private readonly apiTokens: ApiTokensService,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    if (context.getType() === 'ws') return this.authorize(this.socketUser(context), targets);
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    const allowApiToken = !!this.reflector.getAllAndOverride<boolean>(ALLOW_API_TOKEN, targets);
    return authenticateHeader(req.headers.authorization, this.sessions, this.apiTokens, allowApiToken).then((user) => {
      req.user = user;
      return this.authorize(user, targets);
    });
  }

  private authorize(user: AuthUser, targets: Targets): boolean {
    checkRoles(user, this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets));
    return true;
  }

  /** A socket proved its token in the handshake (the gateway refuses it otherwise). */
  private socketUser(context: ExecutionContext): AuthUser {
    const user = context.switchToWs().getClient<{ data?: { user?: AuthUser } }>().data?.user;
    if (!user) throw new DomainError('AUTH.UNAUTHORIZED', 'unauthorized', 'Log in first.');
    return user;
  }
}
