import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from '../common/auth-user.js';

/**
 * A squad leader acts only for their own squad. `commanderToo` lets the command center act as well
 * (progress, status), where API.md says "own leader, commander".
 */
export function assertActsForSquad(user: AuthUser, squadId: string, opts: { commanderToo: boolean }): void {
  if (opts.commanderToo && user.role === 'commander') return;
  if (user.role === 'squad_leader' && user.squadId === squadId) return;
  throw new DomainError('AUTH.NOT_YOUR_SQUAD', 'forbidden', 'You can only act for your own squad.');
}


/** Anything that can run a query: a DataSource or a transaction's EntityManager. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * A site manager acts only on the sites they are bound to (user_facilities); the commander on every
 * site. Checked on the server for every write a manager can reach; everyone else gets 403.
 */
export async function assertManagesSite(db: Queryable, user: AuthUser, facilityId: string): Promise<void> {
  if (user.role === 'commander') return;
  if (user.role === 'site_manager') {
    const rows = (await db.query('SELECT 1 FROM user_facilities WHERE user_id = $1 AND facility_id = $2', [user.id, facilityId])) as unknown[];
    if (rows.length) return;
  }
  throw new DomainError('SITE.NOT_YOUR_SITE', 'forbidden', {});
}
