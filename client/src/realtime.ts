import { io, type Socket } from 'socket.io-client';
import type { EventView } from '../../src/contracts/events.js';
import type { ClientToServerEvents, ServerToClientEvents, SocketAck } from '../../src/contracts/socket.js';

export type ConnectionState = 'connected' | 'reconnecting' | 'offline';
export type { EventView };

/**
 * The live connection: resumes from the last event id this browser has seen (kept in localStorage, so
 * a reload or a reconnect gets exactly what it missed), and hands each event to the subscribers once.
 */
export class Realtime {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly eventHandlers = new Set<(e: EventView) => void>();
  private readonly stateHandlers = new Set<(s: ConnectionState) => void>();
  private readonly storageKey: string;
  state: ConnectionState = 'reconnecting';

  /** `after`: where to start when this browser has seen nothing yet (the newest event the page already shows). */
  constructor(token: string, username: string, after?: string) {
    this.storageKey = `pingji.lastEventId.${username}`;
    if (after && this.lastEventId === null) this.remember(after);
    this.socket = io({
      transports: ['websocket'],
      // A function, so every reconnect sends the id we have now, not the one we started with.
      auth: (cb) => cb({ token, lastEventId: this.lastEventId ?? undefined }),
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket.on('connect', () => this.setState('connected'));
    this.socket.on('disconnect', () => this.setState(navigator.onLine ? 'reconnecting' : 'offline'));
    this.socket.on('connect_error', () => this.setState(navigator.onLine ? 'reconnecting' : 'offline'));
    window.addEventListener('offline', () => this.setState('offline'));
    window.addEventListener('online', () => this.setState(this.socket.connected ? 'connected' : 'reconnecting'));
    this.socket.on('event', (e) => this.receive(e));
    this.socket.on('replay.done', ({ lastEventId }) => this.remember(lastEventId));
  }

  get lastEventId(): string | null {
    return localStorage.getItem(this.storageKey);
  }

  onEvent(handler: (e: EventView) => void): void {
    this.eventHandlers.add(handler);
  }

  onState(handler: (s: ConnectionState) => void): void {
    this.stateHandlers.add(handler);
    handler(this.state);
  }

  /** A squad leader's position over the socket (cheaper than a request on a poor connection). */
  sendPosition(p: { lat: number; lng: number; accuracy?: number }): Promise<SocketAck> {
    return new Promise((resolve) => this.socket.timeout(10_000).emit('squad.position', p, (err: Error | null, ack: SocketAck) =>
      resolve(err ? { ok: false, code: 'SOCKET.TIMEOUT', message: err.message } : ack)));
  }

  close(): void {
    this.socket.close();
  }

  private receive(e: EventView): void {
    // The server sends each event once and in order; an id we already have would be a replay overlap.
    const last = this.lastEventId;
    if (last !== null && BigInt(e.id) <= BigInt(last)) return;
    this.remember(e.id);
    for (const h of this.eventHandlers) h(e);
  }

  private remember(id: string): void {
    const last = this.lastEventId;
    if (last === null || BigInt(id) > BigInt(last)) localStorage.setItem(this.storageKey, id);
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const h of this.stateHandlers) h(s);
  }
}
