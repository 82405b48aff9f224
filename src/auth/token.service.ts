import { createSecretKey } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from '../common/auth-user.js';
import { type Role, ROLES } from '../contracts/auth.js';

interface Claims {
  sub: string;
  username: string;
  role: Role;
  squadId: string | null;
  /** The user's token_version when issued; disabling a user raises it (absent in older tokens: 0). */
  ver?: number;
  exp?: number;
}

/** What a valid access token proves: the user, the token version it was issued at, and when it expires. */
export interface VerifiedToken {
  user: AuthUser;
  version: number;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

/** Issues and checks access tokens: the one check behind both HTTP and websocket authentication. */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.ttlSeconds = config.jwtTtlSeconds;
    this.jwt = new JwtService({
      // A KeyObject: given a string, jsonwebtoken first tries to parse it as a public key on every
      // verify (~1 ms each; measured by bench/fanout.js); a secret key object skips that.
      secret: createSecretKey(Buffer.from(config.jwtSecret)),
      signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    });
  }

  readonly ttlSeconds: number;

  issue(user: AuthUser, version = 0): string {
    const claims: Claims = { sub: user.id, username: user.username, role: user.role, squadId: user.squadId, ver: version };
    return this.jwt.sign(claims);
  }

  /** The user a token proves, or AUTH.UNAUTHORIZED for a missing, forged, expired or malformed one. */
  verify(token: string | undefined): AuthUser {
    return this.verifyToken(token).user;
  }

  /**
   * The signature and expiry only: whether the user still exists, is enabled and the version still
   * holds is SessionsService's question (it needs the database, this does not).
   */
  verifyToken(token: string | undefined): VerifiedToken {
    if (!token) throw new DomainError('AUTH.UNAUTHORIZED', 'unauthorized', 'Log in first: send Authorization: Bearer <token>.');
    let claims: Claims;
    try {
      claims = this.jwt.verify<Claims>(token);
    } catch (e) {
      const expired = (e as Error).name === 'TokenExpiredError';
      throw new DomainError(
        expired ? 'AUTH.TOKEN_EXPIRED' : 'AUTH.UNAUTHORIZED',
        'unauthorized',
        expired ? 'Your session has expired; log in again.' : 'The access token is not valid; log in again.',
      );
    }
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role) || typeof claims.exp !== 'number' || (claims.ver !== undefined && !Number.isInteger(claims.ver))) {
      throw new DomainError('AUTH.UNAUTHORIZED', 'unauthorized', 'The access token is not valid; log in again.');
    }
    return {
      user: { id: claims.sub, username: claims.username, role: claims.role, squadId: claims.squadId ?? null },
      version: claims.ver ?? 0,
      expiresAt: claims.exp * 1000,
    };
  }

  /** "Bearer abc" → "abc". */
  static fromHeader(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return match?.[1];
  }
}
