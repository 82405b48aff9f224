import type { AuthUser } from '../common/auth-user.js';
import { canSee } from '../events/event-row.js';
import { roomsOfEvent, roomsOfUser, STAFF_ROOM } from './rooms.js';
import type { Audience } from '../contracts/events.js';

const users: Pick<AuthUser, 'role' | 'squadId'>[] = [
  { role: 'commander', squadId: null },
  { role: 'coordinator', squadId: null },
  { role: 'viewer', squadId: null },
  { role: 'squad_leader', squadId: 'A' },
  { role: 'squad_leader', squadId: 'B' },
  { role: 'site_manager', squadId: null },
];
const events: { audience: Audience; squadId?: string }[] = [
  { audience: 'everyone' },
  { audience: 'staff' },
  { audience: 'squad', squadId: 'A' },
  { audience: 'squad', squadId: 'B' },
];

describe('who sees what', () => {
  it('staff see everything; a leader sees city-wide events and their own squad only', () => {
    const leaderA = users[3];
    expect(events.map((e) => canSee(leaderA, e))).toEqual([true, false, true, false]);
    for (const staff of users.slice(0, 3)) expect(events.every((e) => canSee(staff, e))).toBe(true);
    // A site manager: city-wide events only (no staff-only, no squad's own).
    expect(events.map((e) => canSee(users[5], e))).toEqual([true, false, false, false]);
  });

  it('puts every socket on one side only (staff or leader), so leader-first delivery keeps each socket in id order', () => {
    for (const user of users) {
      const rooms = roomsOfUser(user);
      expect(rooms.includes(STAFF_ROOM) && rooms.length > 1).toBe(false);
    }
  });

  it('socket rooms deliver an event to exactly the users who may see it', () => {
    for (const user of users) {
      for (const event of events) {
        const shared = roomsOfUser(user).some((room) => roomsOfEvent(event).includes(room));
        expect({ user, event, delivered: shared }).toEqual({ user, event, delivered: canSee(user, event) });
      }
    }
  });
});
