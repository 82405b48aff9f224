import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser } from './auth-user.js';
import type { Role } from './roles.js';

export const IS_PUBLIC = 'pingji:public';
export const ROLES_KEY = 'pingji:roles';

/** The route needs no token (login, health). Everything else under /api does. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; the others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated user of the request. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
