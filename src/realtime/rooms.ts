import type { AuthUser } from '../common/auth-user.js';
import type { Audience, EventView } from '../contracts/events.js';

/** Commanders, coordinators and viewers: they see every event. */
export const STAFF_ROOM = 'staff';
/** Every squad leader and site manager: city-wide events. */
export const LEADERS_ROOM = 'leaders';
/** Sockets still replaying: live events skip them until their replay has caught up. */
export const REPLAYING_ROOM = 'replaying';
/** Sockets that take `events` arrays (HandshakeAuth.batches): plain `event` emits skip them. */
export const BATCHES_ROOM = 'batches';
/** The batch-taking sockets of `room`: each is in both. */
export const batchesOf = (room: string) => `batches:${room}`;
export const squadRoom = (squadId: string) => `squad:${squadId}`;
/** One user's sockets, for messages meant for them alone (import progress). */
export const userRoom = (userId: string) => `user:${userId}`;

/** The rooms a user's sockets join. */
export function roomsOfUser(user: Pick<AuthUser, 'role' | 'squadId'>): string[] {
  if (user.role === 'site_manager') return [LEADERS_ROOM];
  if (user.role !== 'squad_leader') return [STAFF_ROOM];
  return user.squadId ? [LEADERS_ROOM, squadRoom(user.squadId)] : [LEADERS_ROOM];
}

/** The rooms an event goes to: exactly the users `canSee` admits. */
export function roomsOfEvent(event: { audience: Audience; squadId?: string | null }): string[] {
  if (event.audience === 'everyone') return [STAFF_ROOM, LEADERS_ROOM];
  if (event.audience === 'squad' && event.squadId) return [STAFF_ROOM, squadRoom(event.squadId)];
  return [STAFF_ROOM];
}

/** Consecutive events that go to the same rooms besides staff's, at most `maxEvents` of them. */
export interface FieldRun {
  rooms: string[];
  events: EventView[];
}

/**
 * The events for leaders' and managers' sockets, cut into runs that can each go out as one frame:
 * consecutive events with the same rooms (staff's left out; staff-only events skipped, as no field
 * socket gets them). Runs keep the events' order, so a socket in several rooms still gets them in order.
 */
export function fieldRuns(events: EventView[], maxEvents: number): FieldRun[] {
  const runs: FieldRun[] = [];
  for (const event of events) {
    const rooms = roomsOfEvent(event).filter((r) => r !== STAFF_ROOM);
    if (!rooms.length) continue;
    const last = runs[runs.length - 1];
    const sameRooms = last?.rooms.length === rooms.length && last.rooms.every((r, i) => r === rooms[i]);
    if (sameRooms && last.events.length < maxEvents) last.events.push(event);
    else runs.push({ rooms, events: [event] });
  }
  return runs;
}
