import type { EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { preparedQuery } from '../database/prepared.js';
import type { SquadStatus } from '../contracts/squads.js';
import type { NewEvent } from '../events/events.service.js';

/**
 * The one owner of a squad's status: every change of it — by hand, or as a dispatch moves — goes
 * through `changeSquadStatus`, which writes the row and returns its event for the caller's transaction,
 * or, for a caller that writes it inside a statement of its own, `planSquadStatus` and `setSquadStatus`.
 */
export interface LockedSquad {
  id: string;
  code: string;
  name: string;
  status: SquadStatus;
}

/**
 * The statement that locks the squads whose ids are the parameter `ids` ('$1'), as LockedSquad rows: in
 * id order, so two transactions locking several squads never deadlock. On its own (lockSquads), or as
 * a subquery of a caller's statement that takes its other locks first (a dispatch's).
 */
export const lockSquadsStatement = (ids: string) => `SELECT id, code, name, status FROM squads WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;

export function lockSquads(m: EntityManager, ids: string[]): Promise<LockedSquad[]> {
  return preparedQuery(m, 'squads.lock', lockSquadsStatement('$1'), [ids]);
}

/** A change of locked squads' status, not yet written: the squads it changes, and their events. */
export interface SquadStatusChange {
  ids: string[];
  to: SquadStatus;
  /** A `squad.status_changed` event for each squad that changes. */
  events: NewEvent[];
}

export function planSquadStatus(actor: AuthUser | null, squads: LockedSquad[], to: SquadStatus): SquadStatusChange {
  const changing = squads.filter((s) => s.status !== to);
  return {
    ids: changing.map((s) => s.id),
    to,
    events: changing.map((s) => ({ type: 'squad.status_changed', squadId: s.id, actor, payload: { code: s.code, name: s.name, from: s.status, to } })),
  };
}

/**
 * The statement that writes a planned change, its ids and status given as the parameters `ids` and `to`
 * ('$1', '$2'): on its own, or as a CTE of a caller's statement, saving that write a round trip.
 */
export const setSquadStatus = (ids: string, to: string) => `UPDATE squads SET status = ${to}, status_changed_at = now() WHERE id = ANY(${ids}::uuid[])`;

/** Sets locked squads to `to`; returns a `squad.status_changed` event for each one that changed. */
export async function changeSquadStatus(m: EntityManager, actor: AuthUser | null, squads: LockedSquad[], to: SquadStatus): Promise<NewEvent[]> {
  const change = planSquadStatus(actor, squads, to);
  if (change.ids.length) await preparedQuery(m, 'squads.set_status', setSquadStatus('$1', '$2'), [change.ids, to]);
  return change.events;
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
