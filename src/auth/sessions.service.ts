import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { EventRelay } from '../events/event-relay.js';
import type { Role } from '../contracts/auth.js';
import { TokenService, type VerifiedToken } from './token.service.js';

/** What a token is checked against: the user as the database has them now (null: no such user). */
export interface UserState {
  username: string;
  role: Role;
  squadId: string | null;
  disabled: boolean;
  tokenVersion: number;
}

/**
 * How long a user's state is believed without asking the database again. Disabling on this instance
 * drops it at once, and every instance drops it when the `user.disabled` event reaches its relay
 * (within ~1 s): the TTL only bounds changes made outside the app (a row deleted in SQL).
 */
export const USER_STATE_TTL_MS = 5_000;
const MAX_ENTRIES = 50_000;

export const userDisabledError = () =>
  new DomainError('AUTH.USER_DISABLED', 'unauthorized', 'This account has been disabled; ask a commander to enable it.');

/**
 * The one check behind HTTP and the socket handshake: a token's signature and expiry (TokenService),
 * then its user — still there, not disabled, and at the token's version. Users' states are cached for a
 * few seconds so the hot path (every request, every reconnect) costs no query; concurrent misses for
 * one user share a single read.
 */
@Injectable()
export class SessionsService implements OnModuleInit, OnModuleDestroy {
  private readonly cache = new Map<string, { state: UserState | null; at: number }>();
  private readonly loading = new Map<string, Promise<UserState | null>>();
  /** Raised by every invalidation: a read that started before one must not refill the cache. */
  private epoch = 0;
  private unsubscribe?: () => void;

  constructor(
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
    private readonly relay: EventRelay,
  ) {}

  onModuleInit(): void {
    // Disabling on another instance reaches this one through the shared event log.
    this.unsubscribe = this.relay.subscribe((events) => {
      for (const e of events) if (e.type === 'user.disabled' || e.type === 'user.enabled') this.invalidate(e.payload.userId);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * The token's user as they are now, with the token's version and expiry; AUTH.TOKEN_EXPIRED,
   * AUTH.UNAUTHORIZED, AUTH.USER_DISABLED or AUTH.TOKEN_REVOKED (401) otherwise. A database that is
   * away fails with its own error (503), never with 401: an outage must not end anyone's session.
   */
  async authenticate(token: string | undefined): Promise<VerifiedToken> {
    const verified = this.tokens.verifyToken(token);
    const state = await this.userState(verified.user.id);
    if (state?.disabled) throw userDisabledError();
    if (!state || state.tokenVersion !== verified.version) {
      throw new DomainError('AUTH.TOKEN_REVOKED', 'unauthorized', 'This session has been ended; log in again.');
    }
    return { ...verified, user: { id: verified.user.id, username: state.username, role: state.role, squadId: state.squadId } };
  }

  /** Forget what is known about a user (after disabling or enabling them). */
  invalidate(userId: string): void {
    this.epoch += 1;
    this.cache.delete(userId);
    this.loading.delete(userId);
  }

  private userState(userId: string): Promise<UserState | null> {
    const hit = this.cache.get(userId);
    if (hit && Date.now() - hit.at < USER_STATE_TTL_MS) return Promise.resolve(hit.state);
    const pending = this.loading.get(userId);
    if (pending) return pending;
    const epoch = this.epoch;
    const load = this.load(userId).then(
      (state) => {
        if (this.loading.get(userId) === load) this.loading.delete(userId);
        if (epoch === this.epoch) this.remember(userId, state);
        return state;
      },
      (e: unknown) => {
        if (this.loading.get(userId) === load) this.loading.delete(userId);
        throw e;
      },
    );
    this.loading.set(userId, load);
    return load;
  }

  protected async load(userId: string): Promise<UserState | null> {
    // A token's subject is a uuid we issued; anything else (a forged-but-signed token cannot exist) is no user.
    if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
    const [row]: { username: string; role: Role; squad_id: string | null; disabled: boolean; token_version: number }[] = await this.dataSource.query(
      'SELECT username, role, squad_id, disabled_at IS NOT NULL AS disabled, token_version FROM users WHERE id = $1',
      [userId],
    );
    return row ? { username: row.username, role: row.role, squadId: row.squad_id, disabled: row.disabled, tokenVersion: row.token_version } : null;
  }

  private remember(userId: string, state: UserState | null): void {
    if (this.cache.size >= MAX_ENTRIES) {
      const now = Date.now();
      for (const [id, entry] of this.cache) if (now - entry.at >= USER_STATE_TTL_MS) this.cache.delete(id);
      if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    }
    this.cache.set(userId, { state, at: Date.now() });
  }
}
