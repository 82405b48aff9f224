import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from './auth-user.js';
import { IS_PUBLIC, ROLES_KEY } from './decorators.js';
import type { Role } from './roles.js';
import { TokenService } from './token.service.js';

/** Global: every route needs a valid token unless @Public, and one of its @Roles if it names any. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const user = this.authenticate(context);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw new DomainError('AUTH.FORBIDDEN', 'forbidden', `This needs the role ${roles.join(' or ')}; you are ${user.role}.`);
    }
    return true;
  }

  private authenticate(context: ExecutionContext): AuthUser {
    // A socket proved its token in the handshake (the gateway refuses it otherwise).
    if (context.getType() === 'ws') {
      const user = context.switchToWs().getClient<{ data?: { user?: AuthUser } }>().data?.user;
      if (!user) throw new DomainError('AUTH.UNAUTHORIZED', 'unauthorized', 'Log in first.');
      return user;
    }
    const req = context.switchToHttp().getRequest<Request & { user?: AuthUser }>();
    req.user = this.tokens.verify(TokenService.fromHeader(req.headers.authorization));
    return req.user;
  }
}
