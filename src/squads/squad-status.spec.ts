import { SQUAD_STATUSES, type SquadStatus } from '../contracts/squads.js';
import { assertManualSquadStatus } from './squad-status.js';

// What a leader or the commander may set by hand; everything else follows a dispatch.
const BY_HAND: Record<SquadStatus, SquadStatus[]> = {
  available: ['unavailable'],
  unavailable: ['available'],
  returning: ['available', 'unavailable'],
  assigned: [],
  en_route: [],
  on_scene: [],
};

describe('a squad status set by hand', () => {
  const pairs = SQUAD_STATUSES.flatMap((from) => SQUAD_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s', (from, to) => {
    const allowed = from === to || BY_HAND[from].includes(to);
    if (allowed) {
      expect(() => assertManualSquadStatus(from, to)).not.toThrow();
    } else {
      expect(() => assertManualSquadStatus(from, to)).toThrow(expect.objectContaining({ code: 'SQUAD.INVALID_STATUS', kind: 'conflict' }));
    }
  });

  it('a squad held by a dispatch is told why and what to do instead', () => {
    expect(() => assertManualSquadStatus('on_scene', 'available')).toThrow(/follows the dispatch/);
  });
});
