import { DomainError } from '../common/domain-error.js';
import { DISPATCH_STATUSES } from '../contracts/dispatch.js';
import { assertMove, canMove, squadStatusFor } from './dispatch-rules.js';

type Status = (typeof DISPATCH_STATUSES)[number];
type SquadStatus = ReturnType<typeof squadStatusFor>;

/**
 * The documented machine (API.md), written out here rather than read from the code under test:
 * pending → accepted | declined | expired | cancelled; accepted → en_route | cancelled;
 * en_route → on_scene | cancelled; on_scene → completed | cancelled; the other four are final.
 */
const MACHINE: Record<Status, Status[]> = {
  pending: ['accepted', 'declined', 'expired', 'cancelled'],
  accepted: ['en_route', 'cancelled'],
  en_route: ['on_scene', 'cancelled'],
  on_scene: ['completed', 'cancelled'],
  declined: [],
  expired: [],
  completed: [],
  cancelled: [],
};

const PAIRS = DISPATCH_STATUSES.flatMap((from) => DISPATCH_STATUSES.map((to) => ({ from, to, allowed: MACHINE[from].includes(to) })));

function refusal(run: () => void): DomainError {
  try {
    run();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a refusal, nothing was thrown');
}

describe('dispatch state machine', () => {
  it('the table covers every status, and every move goes to a known status', () => {
    expect(Object.keys(MACHINE).sort()).toEqual([...DISPATCH_STATUSES].sort());
    expect(PAIRS).toHaveLength(DISPATCH_STATUSES.length ** 2);
  });

  it.each(PAIRS.filter((p) => p.allowed))('allows $from → $to', ({ from, to }) => {
    expect(canMove(from, to)).toBe(true);
    expect(() => assertMove(from, to)).not.toThrow();
  });

  it.each(PAIRS.filter((p) => !p.allowed))('refuses $from → $to as a conflict', ({ from, to }) => {
    expect(canMove(from, to)).toBe(false);
    const error = refusal(() => assertMove(from, to));
    expect(error.code).toBe('DISPATCH.INVALID_TRANSITION');
    expect(error.kind).toBe('conflict');
    expect(error.status).toBe(409);
    // The message names the move and what is possible instead.
    expect(error.message).toContain(`from ${from} to ${to}`);
    expect(error.message).toContain(MACHINE[from].length ? MACHINE[from].join(', ') : `${from} is final`);
  });

  it.each(['declined', 'expired', 'completed', 'cancelled'] as const)('%s is final: no way out', (final) => {
    expect(DISPATCH_STATUSES.filter((to) => canMove(final, to))).toEqual([]);
  });

  it('no status moves to itself or back to pending', () => {
    for (const s of DISPATCH_STATUSES) {
      expect(canMove(s, s)).toBe(false);
      expect(canMove(s, 'pending')).toBe(false);
    }
  });
});

describe('squad status a dispatch implies', () => {
  // Every move the machine allows (plus a new dispatch, pending), and the squad's status after it.
  const IMPLIED: { previous: Status; dispatch: Status; squad: SquadStatus }[] = [
    { previous: 'pending', dispatch: 'pending', squad: 'assigned' },
    { previous: 'pending', dispatch: 'accepted', squad: 'en_route' },
    { previous: 'pending', dispatch: 'declined', squad: 'available' },
    { previous: 'pending', dispatch: 'expired', squad: 'available' },
    { previous: 'pending', dispatch: 'cancelled', squad: 'available' },
    { previous: 'accepted', dispatch: 'en_route', squad: 'en_route' },
    { previous: 'accepted', dispatch: 'cancelled', squad: 'available' },
    { previous: 'en_route', dispatch: 'on_scene', squad: 'on_scene' },
    { previous: 'en_route', dispatch: 'cancelled', squad: 'available' },
    { previous: 'on_scene', dispatch: 'completed', squad: 'returning' },
    { previous: 'on_scene', dispatch: 'cancelled', squad: 'available' },
  ];

  it('the table has every allowed move and every dispatch status', () => {
    const moves = PAIRS.filter((p) => p.allowed).map((p) => `${p.from}→${p.to}`);
    expect(IMPLIED.filter((r) => r.dispatch !== 'pending').map((r) => `${r.previous}→${r.dispatch}`).sort()).toEqual(moves.sort());
    expect(new Set(IMPLIED.map((r) => r.dispatch))).toEqual(new Set(DISPATCH_STATUSES));
  });

  it.each(IMPLIED)('$previous → $dispatch leaves the squad $squad', ({ dispatch, squad }) => {
    expect(squadStatusFor(dispatch)).toBe(squad);
  });
});
