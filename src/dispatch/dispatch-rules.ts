import { DomainError } from '../common/domain-error.js';

export const DISPATCH_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'en_route', 'on_scene', 'completed', 'cancelled'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];
export const ACTIVE_DISPATCH: DispatchStatus[] = ['pending', 'accepted', 'en_route', 'on_scene'];

export const SQUAD_STATUSES = ['available', 'assigned', 'en_route', 'on_scene', 'returning', 'unavailable'] as const;
export type SquadStatus = (typeof SQUAD_STATUSES)[number];

/** API.md: pending → accepted → en_route → on_scene → completed; pending → declined | expired; any state before completed → cancelled. */
const NEXT: Record<DispatchStatus, DispatchStatus[]> = {
  pending: ['accepted', 'declined', 'expired', 'cancelled'],
  accepted: ['en_route', 'cancelled'],
  en_route: ['on_scene', 'cancelled'],
  on_scene: ['completed', 'cancelled'],
  declined: [],
  expired: [],
  completed: [],
  cancelled: [],
};

export function canMove(from: DispatchStatus, to: DispatchStatus): boolean {
  return NEXT[from].includes(to);
}

export function assertMove(from: DispatchStatus, to: DispatchStatus): void {
  if (!canMove(from, to)) {
    const options = NEXT[from].length ? `from ${from} it can go to ${NEXT[from].join(', ')}` : `${from} is final`;
    throw new DomainError('DISPATCH.INVALID_TRANSITION', 'conflict', `A dispatch cannot go from ${from} to ${to}: ${options}.`);
  }
}

/** The squad's status that a dispatch's new state implies (real dispatches only). */
export function squadStatusFor(dispatch: DispatchStatus, previous: DispatchStatus): SquadStatus {
  switch (dispatch) {
    case 'pending':
      return 'assigned';
    case 'accepted':
    case 'en_route':
      return 'en_route';
    case 'on_scene':
      return 'on_scene';
    case 'completed':
      return 'returning';
    case 'cancelled':
      // Called off before it moved: free at once; called off on the way or on scene: coming back.
      return previous === 'pending' ? 'available' : 'returning';
    case 'declined':
    case 'expired':
      return 'available';
  }
}

/** What a leader may set by hand: only while no dispatch drives the squad. */
const LEADER_MAY_SET: Record<SquadStatus, SquadStatus[]> = {
  available: ['unavailable'],
  unavailable: ['available'],
  returning: ['available', 'unavailable'],
  assigned: [],
  en_route: [],
  on_scene: [],
};

export function assertManualSquadStatus(from: SquadStatus, to: SquadStatus): void {
  if (from === to) return;
  if (!LEADER_MAY_SET[from].includes(to)) {
    throw new DomainError(
      'SQUAD.INVALID_STATUS',
      'conflict',
      LEADER_MAY_SET[from].length
        ? `From ${from} a squad can be set to ${LEADER_MAY_SET[from].join(' or ')}, not ${to}.`
        : `The squad is ${from} on a dispatch: its status follows the dispatch (progress, or ask the command center to cancel).`,
    );
  }
}
