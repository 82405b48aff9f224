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

