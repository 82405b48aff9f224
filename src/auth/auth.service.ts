import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Raw, type Repository } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from '../common/auth-user.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { TokenService } from './token.service.js';
import { User } from './user.entity.js';

export interface LoginResult {
  accessToken: string;
  user: AuthUser;
}

@Injectable()
export class AuthService {
  private readonly limiter: LoginRateLimiter;
  private readonly demoAccountsAllowed: boolean;
  // Verified against when the username is unknown, so both failures take the same time.
  private decoyHash?: Promise<string>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly tokens: TokenService,
  ) {
    this.limiter = new LoginRateLimiter(config.loginAttemptsPerMinute);
    this.demoAccountsAllowed = config.demoData;
  }

  async login(username: string, password: string, clientAddress: string): Promise<LoginResult> {
    this.limiter.take(clientAddress, username);
    const user = await this.users.findOne({
      // Usernames are unique whatever their case (a unique index on lower(username)), and match so.
      where: { username: Raw((column) => `lower(${column}) = lower(:username)`, { username }) },
      select: { id: true, username: true, role: true, squadId: true, passwordHash: true, isDemo: true },
    });
    this.decoyHash ??= hashPassword('a decoy password that matches no account');
    const ok = await verifyPassword(user?.passwordHash ?? (await this.decoyHash), password);
    // Demo accounts left in a database that now runs without demo data (production) never log in.
    if (!user || !ok || (user.isDemo && !this.demoAccountsAllowed)) throw new DomainError('AUTH.INVALID_CREDENTIALS', 'unauthorized', 'Wrong username or password.');
    const authUser: AuthUser = { id: user.id, username: user.username, role: user.role, squadId: user.squadId };
    return { accessToken: this.tokens.issue(authUser), user: authUser };
  }
}
