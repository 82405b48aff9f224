import { DomainError } from '../common/domain-error.js';
import type { DrillStatus } from '../contracts/drills.js';

type DrillAction = 'start' | 'finish' | 'cancel' | 'log' | 'dispatch';

/** What each action needs: planned → running → finished; planned/running → cancelled. */
const ALLOWED: Record<DrillAction, DrillStatus[]> = {
  start: ['planned'],
  finish: ['running'],
  cancel: ['planned', 'running'],
  log: ['running'],
  dispatch: ['running'],
};

const WHY: Record<DrillAction, string> = {
  start: 'Only a planned drill can start.',
  finish: 'Only a running drill can finish.',
  cancel: 'A finished or cancelled drill cannot be cancelled.',
  log: 'Log entries are added while the drill runs.',
  dispatch: 'Exercise dispatches are sent while the drill runs.',
};

export function assertDrillAllows(status: DrillStatus, action: DrillAction): void {
  if (!ALLOWED[action].includes(status)) {
    throw new DomainError('DRILL.INVALID_STATE', 'conflict', `${WHY[action]} This drill is ${status}.`);
  }
}
