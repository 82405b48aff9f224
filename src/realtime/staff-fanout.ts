import { performance } from 'node:perf_hooks';
import type { EventView } from '../contracts/events.js';

/** Emits consecutive events, in order, to a set of sockets (by socket id: each is in the room of its own id). */
export type EmitTo = (socketIds: string[], events: EventView[]) => void;

/** Sockets per emit: socket.io encodes a packet once per emit and writes it to each of them. */
const SLICE = 100;
/** Events per emit: a frame stays small enough that one emit is a short piece of work. */
export const EVENTS_PER_EMIT = 100;

interface Delivery {
  events: EventView[];
  recipients: string[];
  emit: EmitTo;
  /** The next events and slice to send. */
  event: number;
  from: number;
}

/**
 * The fan-out to staff dashboards, in slices that yield the event loop. A broadcast to 5,000 sockets
 * holds a Node process for 0.2–0.7 s (FACTS.md); a squad's dispatch, a request, a position must not
 * wait behind that. So a big delivery is cut into emits to ≤ SLICE sockets, and after `budgetMs` of
 * emitting the pump yields (setImmediate) before going on. 1 ms: a request waits for each of its database
 * answers behind at most one budget of emitting, and a dispatch has five of them.
 *
 * Order is kept: deliveries go out one after another (new events may join the last one, see joinLast),
 * so each socket gets its events in id order. Recipients are fixed when the relay hands the events over (sockets still replaying are left
 * out: replay sends them these events), so a socket that connects later never gets one twice.
 */
export class StaffFanout {
  private readonly queue: Delivery[] = [];
  private pumping = false;

  constructor(private readonly budgetMs = 1) {}

  /** Sends `events` to `recipients` with `emit`: now if nothing is queued and it is small, else in slices. */
  deliver(events: EventView[], recipients: string[], emit: EmitTo): void {
    if (!events.length || !recipients.length) return;
    if (!this.queue.length && recipients.length <= SLICE && events.length <= EVENTS_PER_EMIT) return emit(recipients, events);
    if (this.joinLast(events, recipients, emit)) return;
    this.queue.push({ events, recipients, emit, event: 0, from: 0 });
    if (!this.pumping) {
      this.pumping = true;
      setImmediate(() => this.pump());
    }
  }

  /**
   * Under load, new events join the last delivery queued for the same sockets: those it has not reached
   * yet get old and new events in one frame (the fan-out's cost is mostly a write per socket and frame,
   * so frames grow instead of queueing up); those it has reached get the new ones in a delivery after it.
   */
  private joinLast(events: EventView[], recipients: string[], emit: EmitTo): boolean {
    const last = this.queue[this.queue.length - 1];
    if (!last || last.emit !== emit || last.event !== 0 || last.events.length + events.length > EVENTS_PER_EMIT) return false;
    if (!sameSockets(last.recipients, recipients)) return false;
    last.events = [...last.events, ...events];
    if (last.from > 0) this.queue.push({ events, recipients: last.recipients.slice(0, last.from), emit, event: 0, from: 0 });
    return true;
  }

  /** How many deliveries are waiting (tests, metrics). */
  get pending(): number {
    return this.queue.length;
  }

  private pump(): void {
    const started = performance.now();
    while (this.queue.length) {
      const d = this.queue[0];
      d.emit(d.recipients.slice(d.from, d.from + SLICE), d.events.slice(d.event, d.event + EVENTS_PER_EMIT));
      // Every event to this slice of sockets, then the next slice: a socket's events stay in order.
      d.event += EVENTS_PER_EMIT;
      if (d.event >= d.events.length) {
        d.event = 0;
        d.from += SLICE;
        if (d.from >= d.recipients.length) this.queue.shift();
      }
      if (performance.now() - started >= this.budgetMs) break;
    }
    if (this.queue.length) setImmediate(() => this.pump());
    else this.pumping = false;
  }
}

function sameSockets(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
