import type { AuthUser } from '../common/auth-user.js';
import { assertActsForSquad } from './ownership.js';

const leader = (squadId: string): AuthUser => ({ id: 'l', username: 'leader', role: 'squad_leader', squadId });
const as = (role: AuthUser['role']): AuthUser => ({ id: 'x', username: role, role, squadId: null });

describe('assertActsForSquad', () => {
  it('lets a leader act for their own squad only', () => {
    expect(() => assertActsForSquad(leader('A'), 'A', { commanderToo: false })).not.toThrow();
    expect(() => assertActsForSquad(leader('A'), 'B', { commanderToo: true })).toThrow('You can only act for your own squad.');
  });

  it('lets the commander act only where the route allows it, and never other roles', () => {
    expect(() => assertActsForSquad(as('commander'), 'A', { commanderToo: true })).not.toThrow();
    expect(() => assertActsForSquad(as('commander'), 'A', { commanderToo: false })).toThrow();
    expect(() => assertActsForSquad(as('coordinator'), 'A', { commanderToo: true })).toThrow();
    expect(() => assertActsForSquad(as('viewer'), 'A', { commanderToo: true })).toThrow();
  });
});
