import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { AuthUser } from './auth-user.js';
import type { Role } from '../contracts/auth.js';

export const IS_PUBLIC = 'pingji:public';
export const ROLES_KEY = 'pingji:roles';
export const ALLOW_API_TOKEN = 'pingji:allow-api-token';

/** The route needs no token (login, health). Everything else under /api does. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may call the route; the others get 403. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Besides a login, a read-only API token (`pjt_…`) may call this route. Only the CAP routes carry it:
 * everywhere else the guard refuses API tokens.
 */
export const AllowApiToken = () => SetMetadata(ALLOW_API_TOKEN, true);

/** The authenticated user of the request. */
export const CurrentUser = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): AuthUser => ctx.switchToHttp().getRequest<{ user: AuthUser }>().user,
);
