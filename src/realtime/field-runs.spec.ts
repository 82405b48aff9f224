import type { Audience, EventView } from '../contracts/events.js';
import { fieldRuns, LEADERS_ROOM, squadRoom } from './rooms.js';

let nextId = 1;
const event = (audience: Audience, squadId?: string) =>
  ({ id: String(nextId++), type: 'notice.posted', at: '', exercise: false, severity: 'info', audience, ...(squadId ? { squadId } : {}), payload: { title: 't', body: null } }) as EventView;

describe('field runs (what leaders and managers get, frame by frame)', () => {
  it('joins consecutive events for the same rooms, keeps their order, and leaves staff-only events out', () => {
    const events = [event('everyone'), event('everyone'), event('staff'), event('everyone'), event('squad', 'A'), event('squad', 'A'), event('squad', 'B'), event('everyone')];
    const runs = fieldRuns(events, 100);
    expect(runs.map((r) => r.rooms)).toEqual([[LEADERS_ROOM], [squadRoom('A')], [squadRoom('B')], [LEADERS_ROOM]]);
    expect(runs.map((r) => r.events.map((e) => e.id))).toEqual([
      [events[0].id, events[1].id, events[3].id],
      [events[4].id, events[5].id],
      [events[6].id],
      [events[7].id],
    ]);
  });

  it('cuts a long run into frames of at most maxEvents', () => {
    const events = Array.from({ length: 250 }, () => event('everyone'));
    const runs = fieldRuns(events, 100);
    expect(runs.map((r) => r.events.length)).toEqual([100, 100, 50]);
    expect(runs.flatMap((r) => r.events)).toEqual(events);
  });

  it('gives nothing for staff-only events', () => {
    expect(fieldRuns([event('staff'), event('staff')], 100)).toEqual([]);
  });
});
