import { DomainError } from '../common/domain-error.js';
import { DRILL_STATUSES } from '../contracts/drills.js';
import { assertDrillAllows } from './drill-rules.js';

type Status = (typeof DRILL_STATUSES)[number];
type Action = Parameters<typeof assertDrillAllows>[1];

/**
 * planned → running → finished; planned | running → cancelled. Log entries and exercise dispatches
 * only while it runs. Written out here, not read from the code under test; the Record type makes the
 * compiler (npm run lint) insist on every action.
 */
const ALLOWED_IN: Record<Action, Status[]> = {
  start: ['planned'],
  finish: ['running'],
  cancel: ['planned', 'running'],
  log: ['running'],
  dispatch: ['running'],
};

const ACTIONS = Object.keys(ALLOWED_IN) as Action[];
const PAIRS = DRILL_STATUSES.flatMap((status) => ACTIONS.map((action) => ({ status, action, allowed: ALLOWED_IN[action].includes(status) })));

function refusal(run: () => void): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal, nothing was thrown');
}

describe('drill state machine', () => {
  it('covers every status × action', () => {
    expect(PAIRS).toHaveLength(DRILL_STATUSES.length * 5);
  });

  it.each(PAIRS.filter((p) => p.allowed))('a $status drill allows $action', ({ status, action }) => {
    expect(() => assertDrillAllows(status, action)).not.toThrow();
  });

  it.each(PAIRS.filter((p) => !p.allowed))('a $status drill refuses $action as a conflict', ({ status, action }) => {
    const error = refusal(() => assertDrillAllows(status, action));
    expect(error.code).toBe('DRILL.INVALID_STATE');
    expect(error.kind).toBe('conflict');
    expect(error.status).toBe(409);
    expect(error.message).toContain(`This drill is ${status}.`);
  });

  it.each(['finished', 'cancelled'] as const)('a %s drill is final: every action refused', (status) => {
    for (const action of ACTIONS) expect(() => assertDrillAllows(status, action)).toThrow(DomainError);
  });
});
