import { io, type Socket } from 'socket.io-client';
import { endSession, refreshSession, session } from './api.js';
import { currentLang } from './i18n.js';
import type { EventView, LogPosition } from '../../src/contracts/events.js';
import type { ClientToServerEvents, ReplayDone, ServerToClientEvents, SocketAck } from '../../src/contracts/socket.js';

export type ConnectionState = 'connected' | 'reconnecting' | 'offline';
export type { EventView };

/** Where this tab resumes: the last event id it has, in the log identified by `epoch`. */
interface ResumePoint {
  lastEventId: string;
  epoch: string | null;
}

/**
 * The live connection: resumes from the last event id this tab has seen (kept in sessionStorage: a
 * reload or a reconnect of the tab gets exactly what it missed, and two tabs of one user never skip
 * each other's events), and hands each event to the subscribers once. The id goes with the log's epoch:
 * after a database reset the server ignores it and the tab starts afresh from the new log.
 * It outlives access tokens: each (re)connect sends the current one, and when the server ends the
 * socket's session or refuses a handshake it renews the token once and connects again — or, if the
 * session is really over, takes the page back to the login.
 */
export class Realtime {
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly eventHandlers = new Set<(e: EventView) => void>();
  private readonly stateHandlers = new Set<(s: ConnectionState) => void>();
  private readonly storageKey: string;
  /** This tab's own resume point: the only one it compares events with. */
  private resume: ResumePoint | null;
  state: ConnectionState = 'reconnecting';
  /** The token sent with the last handshake, and the one a renewal was last tried for (once per token). */
  private sentToken: string | null = null;
  private renewedFor: string | null = null;
  private sessionEnding = false;

  /**
   * `after`: where to start when this tab has seen nothing yet — the log position the page read before
   * its snapshots (GET /api/events/position), so nothing that changed while they loaded is missed.
   */
  constructor(token: string, username: string, after?: LogPosition) {
    this.storageKey = `pingji.resume.${username}`;
    this.resume = this.load() ?? (after ? { ...after } : null);
    this.socket = io({
      transports: ['websocket'],
      // A function, so every reconnect sends the token and the id we have now, not those we started with.
      auth: (cb) => {
        this.sentToken = session.token ?? token;
        cb({ token: this.sentToken, lastEventId: this.resume?.lastEventId, epoch: this.resume?.epoch ?? undefined, lang: currentLang(), batches: true });
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.socket.on('connect', () => this.setState('connected'));
    this.socket.on('disconnect', (reason) => {
      this.setState(navigator.onLine ? 'reconnecting' : 'offline');
      // The server hung up (its session ended, or a replay failed): socket.io does not retry that by itself.
      if (reason === 'io server disconnect' && !this.sessionEnding) this.retrySoon();
    });
    this.socket.on('connect_error', (err) => {
      this.setState(navigator.onLine ? 'reconnecting' : 'offline');
      // A handshake the server refused is not retried by socket.io either (a network error is).
      if (this.socket.active) return;
      if (err.message === 'unauthorized') void this.renewAndReconnect();
      else this.retrySoon();
    });
    this.socket.on('session.ended', ({ reason }) => {
      this.sessionEnding = true;
      if (reason === 'disabled') return endSession('disabled');
      void this.renewAndReconnect();
    });
    window.addEventListener('offline', () => this.setState('offline'));
    window.addEventListener('online', () => this.setState(this.socket.connected ? 'connected' : 'reconnecting'));
    this.socket.on('events', (events) => this.receive(events));
    this.socket.on('replay.done', (info) => this.replayDone(info));
  }

  get lastEventId(): string | null {
    return this.resume?.lastEventId ?? null;
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

  /** Renew the access token once per refused token, then connect with it; a refused renewal ends the session. */
  private async renewAndReconnect(): Promise<void> {
    const refused = this.sentToken;
    if (refused !== null && this.renewedFor === refused && session.token === refused) return endSession();
    this.renewedFor = refused;
    const outcome = await refreshSession(refused);
    if (outcome === 'ended') return endSession();
    this.sessionEnding = false;
    if (outcome === 'refreshed') return void this.socket.connect();
    this.renewedFor = null; // the server is unreachable: nothing was tried; try again later
    this.retrySoon();
  }

  private retrySoon(): void {
    window.setTimeout(() => {
      if (!this.socket.connected && !this.socket.active) this.socket.connect();
    }, 2000 + Math.random() * 3000);
  }

  /** Events in id order, one frame's worth: remembered once, then handed on. */
  private receive(events: EventView[]): void {
    // The server sends each event once and in order; an id we already have would be a replay overlap.
    const last = this.lastEventId;
    const fresh = last === null ? events : events.filter((e) => BigInt(e.id) > BigInt(last));
    if (!fresh.length) return;
    this.remember(fresh[fresh.length - 1].id);
    for (const e of fresh) for (const h of this.eventHandlers) h(e);
  }

  private remember(id: string): void {
    const last = this.lastEventId;
    if (last === null || BigInt(id) > BigInt(last)) this.save({ lastEventId: id, epoch: this.resume?.epoch ?? null });
  }

  /** The replay is complete up to `lastEventId`; from a new epoch (a reset log), the old id is forgotten. */
  private replayDone({ lastEventId, epoch }: ReplayDone): void {
    if (this.resume?.epoch !== epoch) return this.save({ lastEventId, epoch });
    this.remember(lastEventId);
  }

  private load(): ResumePoint | null {
    try {
      const stored = JSON.parse(sessionStorage.getItem(this.storageKey) ?? 'null') as ResumePoint | null;
      return stored && typeof stored.lastEventId === 'string' ? { lastEventId: stored.lastEventId, epoch: stored.epoch ?? null } : null;
    } catch {
      return null;
    }
  }

  private save(point: ResumePoint): void {
    this.resume = point;
    sessionStorage.setItem(this.storageKey, JSON.stringify(point));
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    for (const h of this.stateHandlers) h(s);
  }
}
