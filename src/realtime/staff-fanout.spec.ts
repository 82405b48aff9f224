import { performance } from 'node:perf_hooks';
import { type EmitTo, StaffFanout } from './staff-fanout.js';
import type { EventView } from '../contracts/events.js';

const event = (id: number) => ({ id: String(id), type: 'notice.posted', at: '', exercise: false, severity: 'info', audience: 'staff', payload: { title: 't', body: null } }) satisfies EventView;
const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => event(from + i));
const sockets = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);
const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const drained = async (fanout: StaffFanout) => {
  while (fanout.pending) await new Promise((r) => setImmediate(r));
};

describe('StaffFanout', () => {
  it('gives every socket every event once, in id order, across queued deliveries', async () => {
    const received = new Map<string, string[]>();
    const record: EmitTo = (ids, list) => ids.forEach((id) => received.set(id, [...(received.get(id) ?? []), ...list.map((e) => e.id)]));
    const fanout = new StaffFanout(1);
    fanout.deliver([event(1), event(2)], sockets(1000), record);
    fanout.deliver([event(3)], sockets(700), record); // fewer sockets: those that left in between
    fanout.deliver([event(4)], sockets(10), record); // small, but must still queue behind the others
    await drained(fanout);
    expect(received.get('s0')).toEqual(['1', '2', '3', '4']);
    expect(received.get('s500')).toEqual(['1', '2', '3']);
    expect(received.get('s999')).toEqual(['1', '2']);
    expect(received.size).toBe(1000);
  });

  it("sends a delivery's events to a slice in frames of at most 100, in order", async () => {
    const frames: string[][] = [];
    const fanout = new StaffFanout(1000);
    fanout.deliver(events(1, 2), sockets(3), (_, list) => frames.push(list.map((e) => e.id)));
    expect(frames).toEqual([['1', '2']]); // a dispatch's two events: one frame
    frames.length = 0;
    fanout.deliver(events(1, 250), sockets(3), (_, list) => frames.push(list.map((e) => e.id)));
    await drained(fanout);
    expect(frames.map((f) => f.length)).toEqual([100, 100, 50]);
    expect(frames.flat()).toEqual(events(1, 250).map((e) => e.id));
  });

  it('lets events that come during a fan-out join it: sockets not reached yet get both in one frame, in order', async () => {
    const frames = new Map<string, string[][]>();
    const record: EmitTo = (ids, list) => ids.forEach((id) => frames.set(id, [...(frames.get(id) ?? []), list.map((e) => e.id)]));
    const fanout = new StaffFanout(0); // one slice of 100 sockets per turn of the event loop
    fanout.deliver([event(1)], sockets(300), record);
    await new Promise((r) => setImmediate(r)); // the first slice has it
    fanout.deliver([event(2), event(3)], sockets(300), record);
    fanout.deliver([event(4)], sockets(200), record); // other sockets: queued on its own
    await drained(fanout);
    expect(frames.get('s0')).toEqual([['1'], ['2', '3'], ['4']]);
    expect(frames.get('s150')).toEqual([['1', '2', '3'], ['4']]);
    expect(frames.get('s299')).toEqual([['1', '2', '3']]);
  });

  it('sends a small delivery at once, and yields the event loop during a big one', async () => {
    const sent: string[] = [];
    const small = new StaffFanout();
    small.deliver([event(1)], sockets(3), (ids, list) => sent.push(`${list[0].id}:${ids.length}`));
    expect(sent).toEqual(['1:3']); // synchronous: nothing queued

    let emits = 0;
    const slow = new StaffFanout(8);
    slow.deliver([event(1)], sockets(5000), () => {
      emits++;
      busy(2); // a slice of a big broadcast costs time
    }); // 50 slices of 100 ≈ 100 ms of work
    let emitsWhenOtherWorkRan = -1;
    setImmediate(() => (emitsWhenOtherWorkRan = emits)); // e.g. a dispatch waiting to be handled
    await drained(slow);
    expect(emits).toBe(50);
    expect(emitsWhenOtherWorkRan).toBeGreaterThan(0);
    expect(emitsWhenOtherWorkRan).toBeLessThan(50); // it ran in between, not after the whole fan-out
  });
});
