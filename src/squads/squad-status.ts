import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { preparedQuery } from '../database/prepared.js';
import type { SquadStatus } from '../contracts/squads.js';
import type { NewEvent } from '../events/events.service.js';

/**
 * The one owner of a squad's status: every change of it — by hand, or as a dispatch moves — goes
 * through `changeSquadStatus`, which writes the row and returns its event for the caller's transaction.
 */
export interface LockedSquad {
  id: string;
  code: string;
  name: string;
  status: SquadStatus;
}

/** Locks the squads' rows in id order, so two transactions locking several squads never deadlock. */
export function lockSquads(m: EntityManager, ids: string[]): Promise<LockedSquad[]> {
  return preparedQuery(m, 'squads.lock', 'SELECT id, code, name, status FROM squads WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE', [ids]);
}

/** Sets locked squads to `to`; returns a `squad.status_changed` event for each one that changed. */
export async function changeSquadStatus(m: EntityManager, actor: AuthUser | null, squads: LockedSquad[], to: SquadStatus): Promise<NewEvent[]> {
  const changing = squads.filter((s) => s.status !== to);
  if (!changing.length) return [];
  await preparedQuery(m, 'squads.set_status', 'UPDATE squads SET status = $2, status_changed_at = now() WHERE id = ANY($1::uuid[])', [changing.map((s) => s.id), to]);
  return changing.map((s) => ({ type: 'squad.status_changed', squadId: s.id, actor, payload: { code: s.code, name: s.name, from: s.status, to } }));
}

/** What a leader (or the command center) may set by hand: only while no dispatch drives the squad. */
const SETTABLE_BY_HAND: Record<SquadStatus, SquadStatus[]> = {
  available: ['unavailable'],
  unavailable: ['available'],
  returning: ['available', 'unavailable'],
  assigned: [],
  en_route: [],
  on_scene: [],
};

export function assertManualSquadStatus(from: SquadStatus, to: SquadStatus): void {
  if (from === to) return;
  if (!SETTABLE_BY_HAND[from].includes(to)) {
    throw new DomainError(
      'SQUAD.INVALID_STATUS',
      'conflict',
      { from, to, allowed: SETTABLE_BY_HAND[from].join(' or ') || undefined },
    );
  }
}
