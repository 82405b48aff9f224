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
}

/** Issues and checks access tokens: the one check behind both HTTP and websocket authentication. */
@Injectable()
export class TokenService {
  private readonly jwt: JwtService;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.jwt = new JwtService({
      // A KeyObject: given a string, jsonwebtoken first tries to parse it as a public key on every
      // verify (~1 ms each; measured by bench/fanout.js); a secret key object skips that.
      secret: createSecretKey(Buffer.from(config.jwtSecret)),
      signOptions: { expiresIn: config.jwtTtlSeconds, algorithm: 'HS256' },
      verifyOptions: { algorithms: ['HS256'] },
    });
  }

  issue(user: AuthUser): string {
    const claims: Claims = { sub: user.id, username: user.username, role: user.role, squadId: user.squadId };
    return this.jwt.sign(claims);
  }

  /** The user a token proves, or AUTH.UNAUTHORIZED for a missing, forged, expired or malformed one. */
  verify(token: string | undefined): AuthUser {
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
    if (typeof claims.sub !== 'string' || !ROLES.includes(claims.role)) {
      throw new DomainError('AUTH.UNAUTHORIZED', 'unauthorized', 'The access token is not valid; log in again.');
    }
    return { id: claims.sub, username: claims.username, role: claims.role, squadId: claims.squadId ?? null };
  }

  /** "Bearer abc" → "abc". */
  static fromHeader(header: string | undefined): string | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    return match?.[1];
  }
}
