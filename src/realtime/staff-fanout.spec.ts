import { performance } from 'node:perf_hooks';
import { StaffFanout } from './staff-fanout.js';
import type { EventView } from '../contracts/events.js';

const event = (id: number) => ({ id: String(id), type: 'notice.posted', at: '', exercise: false, severity: 'info', audience: 'staff', payload: { title: 't', body: null } }) satisfies EventView;
const sockets = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('StaffFanout', () => {
  it('gives every socket every event once, in id order, across queued deliveries', async () => {
    const received = new Map<string, string[]>();
    const fanout = new StaffFanout((ids, e) => ids.forEach((id) => received.set(id, [...(received.get(id) ?? []), e.id])), 1);
    fanout.deliver([event(1), event(2)], sockets(1000));
    fanout.deliver([event(3)], sockets(700)); // fewer sockets: those that left in between
    fanout.deliver([event(4)], sockets(10)); // small, but must still queue behind the others
    while (fanout.pending) await new Promise((r) => setImmediate(r));
    expect(received.get('s0')).toEqual(['1', '2', '3', '4']);
    expect(received.get('s500')).toEqual(['1', '2', '3']);
    expect(received.get('s999')).toEqual(['1', '2']);
    expect(received.size).toBe(1000);
  });

  it('sends a small delivery at once, and yields the event loop during a big one', async () => {
    const sent: string[] = [];
    const small = new StaffFanout((ids, e) => sent.push(`${e.id}:${ids.length}`));
    small.deliver([event(1)], sockets(3));
    expect(sent).toEqual(['1:3']); // synchronous: nothing queued

    let emits = 0;
    const slow = new StaffFanout(() => {
      emits++;
      busy(2); // a slice of a big broadcast costs time
    }, 8);
    slow.deliver([event(1)], sockets(5000)); // 50 slices of 100 ≈ 100 ms of work
    let emitsWhenOtherWorkRan = -1;
    setImmediate(() => (emitsWhenOtherWorkRan = emits)); // e.g. a dispatch waiting to be handled
    while (slow.pending) await new Promise((r) => setImmediate(r));
    expect(emits).toBe(50);
    expect(emitsWhenOtherWorkRan).toBeGreaterThan(0);
    expect(emitsWhenOtherWorkRan).toBeLessThan(50); // it ran in between, not after the whole fan-out
  });
});
