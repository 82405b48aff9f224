import { io, type Socket } from 'socket.io-client';
import type { LoggedEvent } from '../../src/events/event-row.js';
import type { ClientToServerEvents, ReplayDone, ServerToClientEvents } from '../../src/contracts/socket.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A connected test client that records every event it is sent, in arrival order. */
export interface RecordingClient {
  socket: ClientSocket;
  events: LoggedEvent[];
  /** The frames the events came in: how many events each, and whether it was an `events` array. */
  frames: { batch: boolean; size: number }[];
  /** Resolves with replay.done's lastEventId. */
  replayDone: Promise<string>;
  /** Resolves with replay.done as sent: {lastEventId, epoch}. */
  replayInfo: Promise<ReplayDone>;
  /** Resolves once `predicate` holds for the recorded events (rejects after `ms`). */
  until(predicate: (events: LoggedEvent[]) => boolean, ms?: number): Promise<void>;
  close(): void;
}

/**
 * `lastEventId` is resumed from only with the log's `epoch` (see logEpoch); without it the server ignores it.
 * `batches`: ask for `events` arrays, as the pages do.
 */
export function connectClient(url: string, token: string | undefined, lastEventId?: string, epoch?: string, batches = false): Promise<RecordingClient> {
  const socket: ClientSocket = io(url, { auth: { token, lastEventId, epoch, batches }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: LoggedEvent[] = [];
  const frames: RecordingClient['frames'] = [];
  const waiters: (() => void)[] = [];
  const record = (batch: boolean, list: LoggedEvent[]) => {
    frames.push({ batch, size: list.length });
    events.push(...list);
    for (const w of [...waiters]) w();
  };
  socket.on('event', (e) => record(false, [e]));
  socket.on('events', (list) => record(true, list));
  const replayInfo = new Promise<ReplayDone>((resolve) => socket.once('replay.done', resolve));
  const replayDone = replayInfo.then((info) => info.lastEventId);
  const until = (predicate: (e: LoggedEvent[]) => boolean, ms = 5000) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!predicate(events)) return;
        waiters.splice(waiters.indexOf(check), 1);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(check), 1);
        reject(new Error(`condition not met within ${ms} ms; got ${events.length} events: ${events.map((e) => e.id).join(',')}`));
      }, ms);
      waiters.push(check);
      check();
    });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, events, frames, replayDone, replayInfo, until, close: () => socket.close() }));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** The message of the connect_error a refused handshake gets. */
export async function refusal(url: string, token: string | undefined): Promise<string> {
  try {
    const c = await connectClient(url, token);
    c.close();
    return 'connected';
  } catch (e) {
    return (e as Error).message;
  }
}
