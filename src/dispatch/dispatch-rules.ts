import { DomainError } from '../common/domain-error.js';
import type { DispatchStatus } from '../contracts/dispatch.js';
import type { SquadStatus } from '../contracts/squads.js';

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
    throw new DomainError('DISPATCH.INVALID_TRANSITION', 'conflict', { from, to, next: NEXT[from].join(', ') || undefined });
  }
}

/**
 * The squad's status that a dispatch's new state implies (real dispatches only). A dispatch that ends
 * without the job done (declined, expired, called off) frees the squad at once; a job done brings it
 * back `returning` until its leader reports it available.
 */
export function squadStatusFor(dispatch: DispatchStatus): SquadStatus {
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
    case 'declined':
    case 'expired':
      return 'available';
  }
}
