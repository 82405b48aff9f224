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

export function assertDrillAllows(status: DrillStatus, action: DrillAction): void {
  if (!ALLOWED[action].includes(status)) {
    throw new DomainError('DRILL.INVALID_STATE', 'conflict', { action, status });
  }
}
