import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import { FOREIGN_KEY_VIOLATION, pgError, UNIQUE_VIOLATION } from '../common/pg-errors.js';
import type { AuthUser } from '../common/auth-user.js';
import { hashPassword } from './passwords.js';
import { User } from './user.entity.js';
import type { Role } from '../contracts/auth.js';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  squadId?: string | null;
  /** Required for site_manager: the sites they look after. */
  facilityIds?: string[];
}

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'passwordHashing'>,
  ) {}

  list(): Promise<AuthUser[]> {
    return this.users.find({ select: { id: true, username: true, role: true, squadId: true }, order: { username: 'ASC' } });
  }

  async create(input: NewUser): Promise<AuthUser> {
    if ((input.role === 'squad_leader') !== Boolean(input.squadId)) {
      throw new DomainError('USER.SQUAD_MISMATCH', 'invalid', 'A squad_leader needs a squadId, and only a squad_leader may have one.');
    }
    const facilityIds = [...new Set(input.facilityIds ?? [])];
    if ((input.role === 'site_manager') !== facilityIds.length > 0) {
      throw new DomainError('USER.FACILITIES_MISMATCH', 'invalid', {});
    }
    const hash = await hashPassword(input.password, this.config.passwordHashing);
    try {
      return await this.users.manager.transaction(async (m) => {
        const rows: AuthUser[] = await m.query(
          `INSERT INTO users (username, password_hash, role, squad_id) VALUES ($1, $2, $3, $4)
           RETURNING id, username, role, squad_id AS "squadId"`,
          [input.username, hash, input.role, input.squadId ?? null],
        );
        if (facilityIds.length) {
          await m.query('INSERT INTO user_facilities (user_id, facility_id) SELECT $1, unnest($2::uuid[])', [rows[0].id, facilityIds]);
        }
        return facilityIds.length ? { ...rows[0], facilityIds } : rows[0];
      });
    } catch (e) {
      if (pgError(e).code === FOREIGN_KEY_VIOLATION && pgError(e).constraint?.startsWith('user_facilities')) {
        throw new DomainError('FACILITY.NOT_FOUND', 'not_found', `Not every facilityId is a site: ${facilityIds.join(', ')}.`);
      }
      if (pgError(e).code === UNIQUE_VIOLATION) {
        throw new DomainError('USER.USERNAME_TAKEN', 'conflict', { username: input.username });
      }
      if (pgError(e).code === FOREIGN_KEY_VIOLATION) {
        throw new DomainError('SQUAD.NOT_FOUND', 'not_found', { id: input.squadId ?? undefined });
      }
      throw e;
    }
  }
}
