import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import type { AuthUser } from '../common/auth-user.js';
import { EventsService } from '../events/events.service.js';
import type { Role } from '../contracts/auth.js';
import { RefreshTokens } from './refresh-tokens.js';
import { SessionsService } from './sessions.service.js';

export interface AccountView extends AuthUser {
  disabledAt: string | null;
}

interface AccountRow {
  id: string;
  username: string;
  role: Role;
  squad_id: string | null;
  disabled_at: Date | null;
}

const toView = (r: AccountRow): AccountView => ({
  id: r.id,
  username: r.username,
  role: r.role,
  squadId: r.squad_id,
  disabledAt: r.disabled_at ? new Date(r.disabled_at).toISOString() : null,
});

/**
 * Disabling and enabling accounts. Disabling ends every session of the user at once: their token
 * version goes up (every access token they hold is refused), their refresh tokens are revoked, and the
 * `user.disabled` event — the audit record — reaches every instance's relay, which drops its cached
 * state of the user and disconnects their sockets.
 */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly sessions: SessionsService,
  ) {}

  async list(): Promise<AccountView[]> {
    const rows: AccountRow[] = await this.dataSource.query('SELECT id, username, role, squad_id, disabled_at FROM users ORDER BY username');
    return rows.map(toView);
  }

  /** Disabling a disabled user changes nothing (and logs nothing). */
  async disable(actor: AuthUser, id: string): Promise<AccountView> {
    if (actor.id === id) {
      throw new DomainError('USER.CANNOT_DISABLE_SELF', 'conflict', 'You cannot disable your own account; ask another commander.');
    }
    const view = await this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, id);
      if (row.disabled_at) return toView(row);
      const [updated] = rowsOf<AccountRow>(await m.query(
        `UPDATE users SET disabled_at = now(), token_version = token_version + 1 WHERE id = $1
         RETURNING id, username, role, squad_id, disabled_at`,
        [id],
      ));
      await RefreshTokens.revokeAll(m, id);
      await this.events.append(m, {
        type: 'user.disabled',
        audience: 'staff',
        actor,
        payload: { userId: id, username: row.username, role: row.role },
      });
      return toView(updated);
    });
    this.sessions.invalidate(id);
    return view;
  }

  /** The user may log in again; tokens from before the disable stay refused (their version is gone). */
  async enable(actor: AuthUser, id: string): Promise<AccountView> {
    const view = await this.dataSource.transaction(async (m) => {
      const row = await this.lock(m, id);
      if (!row.disabled_at) return toView(row);
      const [updated] = rowsOf<AccountRow>(await m.query(
        'UPDATE users SET disabled_at = NULL WHERE id = $1 RETURNING id, username, role, squad_id, disabled_at',
        [id],
      ));
      await this.events.append(m, { type: 'user.enabled', audience: 'staff', actor, payload: { userId: id, username: row.username, role: row.role } });
      return toView(updated);
    });
    this.sessions.invalidate(id);
    return view;
  }

  private async lock(m: EntityManager, id: string): Promise<AccountRow> {
    const [row]: AccountRow[] = await m.query('SELECT id, username, role, squad_id, disabled_at FROM users WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new DomainError('USER.NOT_FOUND', 'not_found', { id });
    return row;
  }
}
