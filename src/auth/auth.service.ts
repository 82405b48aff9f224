import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Raw, type Repository } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from '../common/auth-user.js';
import type { LoginResult } from '../contracts/auth.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { invalidRefreshToken, RefreshTokens } from './refresh-tokens.js';
import { userDisabledError } from './sessions.service.js';
import { TokenService } from './token.service.js';
import { User } from './user.entity.js';

export type { LoginResult };

const wrongCredentials = () => new DomainError('AUTH.INVALID_CREDENTIALS', 'unauthorized', 'Wrong username or password.');

interface SessionRow {
  id: string;
  username: string;
  role: AuthUser['role'];
  squad_id: string | null;
  is_demo: boolean;
  disabled: boolean;
  token_version: number;
}

@Injectable()
export class AuthService {
  private readonly limiter: LoginRateLimiter;
  private readonly demoAccountsAllowed: boolean;
  private readonly refreshTtlSeconds: number;
  private readonly passwordHashing: AppConfig['passwordHashing'];
  // Verified against when the username is unknown, so both failures take the same time.
  private decoyHash?: Promise<string>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
  ) {
    this.limiter = new LoginRateLimiter(config.loginFailuresBeforeBackoff, config.loginAddressFailuresPerMinute);
    this.demoAccountsAllowed = config.demoData;
    this.refreshTtlSeconds = config.refreshTtlSeconds;
    this.passwordHashing = config.passwordHashing;
  }

  async login(username: string, password: string, clientAddress: string): Promise<LoginResult> {
    this.limiter.begin(clientAddress, username);
    const user = await this.users.findOne({
      // Usernames are unique whatever their case (a unique index on lower(username)), and match so.
      where: { username: Raw((column) => `lower(${column}) = lower(:username)`, { username }) },
      select: { id: true, username: true, role: true, squadId: true, passwordHash: true, isDemo: true, disabledAt: true },
    });
    this.decoyHash ??= hashPassword('a decoy password that matches no account', this.passwordHashing);
    const ok = await verifyPassword(user?.passwordHash ?? (await this.decoyHash), password);
    // Demo accounts left in a database that now runs without demo data (production) never log in.
    if (!user || !ok || (user.isDemo && !this.demoAccountsAllowed)) {
      this.limiter.failed(username);
      throw wrongCredentials();
    }
    this.limiter.succeeded(clientAddress, username);
    // Said only to whoever knows the password: the account exists but is switched off.
    if (user.disabledAt) throw userDisabledError();
    return this.dataSource.transaction(async (m) => {
      const row = await this.lockUser(m, user.id);
      if (!row) throw wrongCredentials();
      await RefreshTokens.prune(m, row.id);
      return this.pair(m, row);
    });
  }

  /** A refresh token for a new pair; the one sent is spent. */
  async refresh(refreshToken: string): Promise<LoginResult> {
    const result = await this.dataSource.transaction(async (m) => {
      const spent = await RefreshTokens.spend(m, refreshToken);
      if (!spent) return null;
      const row = await this.lockUser(m, spent.userId);
      if (!row || (row.is_demo && !this.demoAccountsAllowed)) throw invalidRefreshToken();
      return this.pair(m, row, spent.familyId);
    });
    if (!result) throw invalidRefreshToken();
    return result;
  }

  /** Logging out: the refresh token (and every token of its login) stops working. */
  async logout(refreshToken: string): Promise<void> {
    await this.dataSource.transaction((m) => RefreshTokens.revokeFamily(m, refreshToken));
  }

  /**
   * The user's row, locked against a concurrent disable (which locks it FOR UPDATE and revokes every
   * refresh token): either the disable sees the token this issues, or this sees the disable.
   */
  private async lockUser(m: EntityManager, id: string): Promise<SessionRow | undefined> {
    const [row]: SessionRow[] = await m.query(
      `SELECT id, username, role, squad_id, is_demo, disabled_at IS NOT NULL AS disabled, token_version
       FROM users WHERE id = $1 FOR SHARE`,
      [id],
    );
    return row;
  }

  private async pair(m: EntityManager, row: SessionRow, familyId?: string): Promise<LoginResult> {
    if (row.disabled) throw userDisabledError();
    const user: AuthUser = { id: row.id, username: row.username, role: row.role, squadId: row.squad_id };
    return {
      accessToken: this.tokens.issue(user, row.token_version),
      expiresIn: this.tokens.ttlSeconds,
      refreshToken: await RefreshTokens.issue(m, row.id, this.refreshTtlSeconds, familyId),
      user,
    };
  }
}
