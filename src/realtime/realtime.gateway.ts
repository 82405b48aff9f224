import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayInit, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import { SessionsService } from '../auth/sessions.service.js';
import { TokenService } from '../auth/token.service.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import { toErrorResponse } from '../common/error-response.js';
import { errorText, pickLanguage, type Lang } from '../common/messages/index.js';
import { inspectInput } from '../common/input-boundary.js';
import { EventRelay } from '../events/event-relay.js';
import type { EventView } from '../contracts/events.js';
import type { AppServer, AppSocket } from './app-socket.js';
import { ReplayService } from './replay.service.js';
import { type EmitTo, EVENTS_PER_EMIT, StaffFanout } from './staff-fanout.js';
import { BATCHES_ROOM, batchesOf, fieldRuns, REPLAYING_ROOM, roomsOfEvent, roomsOfUser, squadRoom, STAFF_ROOM, userRoom } from './rooms.js';
import { validatedPosition } from '../squads/dto/squad.dto.js';
import { SquadsService } from '../squads/squads.service.js';
import { MessageBudget } from './message-budget.js';
import { CLIENT_EVENTS, type HandshakeAuth, type SessionEndReason, type SocketAck } from '../contracts/socket.js';
import { UserChannel } from '../events/user-channel.js';

/** What a handshake's `lastEventId` may be: an event id (digits), or nothing. */
function parseLastEventId(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = String(raw);
  if (!/^\d{1,18}$/.test(text)) throw new DomainError('SOCKET.BAD_LAST_EVENT_ID', 'invalid', 'lastEventId must be an event id (digits)');
  return text;
}

/** What a handshake's `epoch` may be: a uuid, or nothing. */
function parseEpoch(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)) {
    throw new DomainError('SOCKET.BAD_EPOCH', 'invalid', 'epoch must be the log epoch (a uuid) from replay.done');
  }
  return raw.toLowerCase();
}

/** The language a socket's texts are in: the handshake's `lang`, else its Accept-Language; zh-CN by default. */
function langOf(socket: AppSocket): Lang {
  const { lang } = (socket.handshake.auth ?? {}) as HandshakeAuth;
  return pickLanguage(typeof lang === 'string' ? lang : socket.handshake.headers['accept-language']);
}

const SESSION_ENDED: Record<Lang, Record<SessionEndReason, string>> = {
  en: { disabled: 'This account has been disabled.', expired: 'Your access token has expired; refresh it and connect again.' },
  'zh-CN': { disabled: '此账号已被停用。', expired: '访问令牌已过期，请刷新后重新连接。' },
};

/** setTimeout's longest delay (~24.8 days); a later expiry is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A refused handshake: `message` is what socket.io-client's connect_error carries, `data.code` why. */
function handshakeError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code ? { data: { code } } : {});
}

/**
 * The socket.io gateway: authenticates the handshake with the same token check as HTTP, puts each
 * socket in the rooms of its role and squad, replays what a reconnecting client missed, and passes on
 * what the relay delivers. Emits are local to this instance: every instance has its own relay.
 */
@WebSocketGateway({ path: '/socket.io', maxHttpBufferSize: 64 * 1024, pingInterval: 10_000, pingTimeout: 10_000 })
export class RealtimeGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  @WebSocketServer() private server: AppServer;
  private readonly logger = new Logger('RealtimeGateway');
  private unsubscribe?: () => void;
  /** The last phone presence report of each squad, so the next waits for it. */
  private readonly presence = new Map<string, Promise<unknown>>();
  private readonly staffFanout = new StaffFanout();
  /** To sockets that take one `event` per frame. */
  private readonly emitEach: EmitTo = (socketIds, events) => {
    for (const event of events) this.server.local.to(socketIds).emit('event', event);
  };
  /** To sockets that take `events` arrays. */
  private readonly emitBatch: EmitTo = (socketIds, events) => this.server.local.to(socketIds).emit('events', events);

  constructor(
    private readonly sessions: SessionsService,
    private readonly relay: EventRelay,
    private readonly replay: ReplayService,
    private readonly squads: SquadsService,
    private readonly userChannel: UserChannel,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  afterInit(server: AppServer): void {
    server.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
      try {
        const lastEventId = parseLastEventId(auth.lastEventId);
        // An id means something only in the log it came from: one from another epoch (a reset
        // database) or without one is ignored, and the socket starts fresh (no replay).
        socket.data.lastEventId = parseEpoch(auth.epoch) === this.relay.epoch ? lastEventId : undefined;
      } catch (e) {
        return next(new Error((e as Error).message));
      }
      this.sessions.authenticate(auth.token ?? TokenService.fromHeader(socket.handshake.headers.authorization)).then(
        ({ user, expiresAt }) => {
          socket.data.user = user;
          socket.data.expiresAt = expiresAt;
          socket.data.batches = auth.batches === true;
          next();
        },
        (e: unknown) => {
          // 'unauthorized' tells the client to refresh its token or log in; anything else (the database
          // is away) is worth retrying as it is.
          if (e instanceof DomainError && e.kind === 'unauthorized') return next(handshakeError('unauthorized', e.code));
          this.logger.warn(`handshake check failed: ${(e as Error).message}`);
          next(handshakeError('unavailable'));
        },
      );
    });
    this.unsubscribe = this.relay.subscribe((events) => this.broadcast(events));
    // Through the cluster adapter: the user's sockets may be connected to another instance.
    this.userChannel.attach((userId, progress) => server.to(userRoom(userId)).emit('import.progress', progress));
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    const { user, lastEventId } = socket.data;
    if (!user) return void socket.disconnect(true);
    this.endAtExpiry(socket);
    this.guardIncoming(socket);
    this.listenForPositions(socket);
    // Join the replaying room first, so no live event reaches the socket before its replay is done.
    const rooms = roomsOfUser(user);
    const batchRooms = socket.data.batches ? [BATCHES_ROOM, ...rooms.map(batchesOf)] : [];
    void socket.join([REPLAYING_ROOM, userRoom(user.id), ...rooms, ...batchRooms]); // local rooms: synchronous
    this.recheckAfterJoining(socket);
    this.trackPhone(socket);
    try {
      await this.replay.catchUp(socket, user, lastEventId);
    } catch (e) {
      this.logger.warn(`replay for ${user.username} failed: ${(e as Error).message}`);
      socket.disconnect(true); // the client reconnects and resumes from what it has
    }
  }

  /**
   * A leader's phone: online with its first socket, offline when its squad's last socket on this
   * instance goes (socket.io has left the rooms by the time `disconnect` fires). The dispatch board
   * shows a phone gone for more than a minute as offline.
   */
  private trackPhone(socket: AppSocket): void {
    const { user } = socket.data;
    if (user.role !== 'squad_leader' || !user.squadId) return;
    const squadId = user.squadId;
    // One report at a time per squad, in the order they happened: a quick connect and disconnect must end offline.
    const report = (online: boolean) => {
      const next = (this.presence.get(squadId) ?? Promise.resolve())
        .then(() => this.squads.phonePresence(squadId, online))
        .catch((e: unknown) => this.logger.warn(`phone presence of ${user.username}: ${(e as Error).message}`));
      this.presence.set(squadId, next);
      void next.then(() => this.presence.get(squadId) === next && this.presence.delete(squadId));
    };
    report(true);
    socket.once('disconnect', () => {
      if (!this.server.sockets.adapter.rooms.get(squadRoom(squadId))?.size) report(false);
    });
  }

  /**
   * A handshake whose check read the user just before a disable committed could miss the relay's
   * `user.disabled` (the socket was not in its user's room yet). Checked once more now that it is: the
   * disable has either dropped the cached state (so this reads the database again) or is still to come
   * (and will find the socket in the room).
   */
  private recheckAfterJoining(socket: AppSocket): void {
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    this.sessions.authenticate(auth.token ?? TokenService.fromHeader(socket.handshake.headers.authorization)).catch((e: unknown) => {
      if (e instanceof DomainError && e.code === 'AUTH.USER_DISABLED') this.endSession(socket, 'disabled');
    });
  }

  /** A socket lives no longer than its token: at its expiry it is told so and disconnected. */
  private endAtExpiry(socket: AppSocket): void {
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      const left = socket.data.expiresAt - Date.now();
      if (left <= 0) return this.endSession(socket, 'expired');
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    };
    socket.once('disconnect', () => clearTimeout(timer));
    arm();
  }

  private endSession(socket: AppSocket, reason: SessionEndReason): void {
    if (!socket.connected) return;
    socket.emit('session.ended', { reason, message: SESSION_ENDED[langOf(socket)][reason] ?? reason });
    socket.disconnect(true);
  }

  /** A user disabled on any instance: their sockets on this one go (each instance's relay sees the event). */
  private endSessionsOf(userId: string): void {
    const ids = this.server.sockets.adapter.rooms.get(userRoom(userId));
    for (const id of [...(ids ?? [])]) {
      const socket = this.server.sockets.sockets.get(id);
      if (socket) this.endSession(socket, 'disabled');
    }
  }

  /**
   * Leaders report positions over the socket too: cheaper than a request on a poor connection. Thousands
   * a second, so a plain listener (registered in handleConnection) rather than Nest's message pipeline,
   * which builds an observable and an execution context for each one.
   */
  private listenForPositions(socket: AppSocket): void {
    socket.on('squad.position', (body, ack) => {
      void this.position(socket, body).then((result) => typeof ack === 'function' && ack(result));
    });
  }

  private async position(socket: AppSocket, body: unknown): Promise<SocketAck> {
    try {
      const { user } = socket.data;
      if (user.role !== 'squad_leader' || !user.squadId) {
        throw new DomainError('AUTH.FORBIDDEN', 'forbidden', 'Only a squad leader reports a squad position.');
      }
      const position = await validatedPosition(body);
      await this.squads.reportPosition(user, user.squadId, position);
      return { ok: true };
    } catch (e) {
      const { body: error } = toErrorResponse(e, langOf(socket));
      return { ok: false, code: error.code, message: error.message };
    }
  }

  /**
   * Every incoming message first passes a per-socket budget and must be one the server knows; the
   * rest is answered with an error (in the ack if the client asked for one). A socket that keeps
   * flooding after being refused is disconnected. Oversized messages never get here: socket.io closes
   * the connection (maxHttpBufferSize).
   */
  private guardIncoming(socket: AppSocket): void {
    const budget = new MessageBudget(this.config.socketMessagesPerSecond);
    socket.use(([event, ...args], next) => {
      const last = args[args.length - 1];
      const refuse = (code: string, message: string) => {
        if (typeof last === 'function') (last as (r: SocketAck) => void)({ ok: false, code, message });
        else socket.emit('request.error', { event: String(event).slice(0, 64), code, message });
      };
      if (!budget.take()) {
        if (budget.refusedInARow > budget.burst * 5) {
          this.logger.warn(`disconnecting ${socket.data.user.username}: flooding the socket`);
          return void socket.disconnect(true);
        }
        const lang = langOf(socket);
        return refuse('SOCKET.RATE_LIMITED', lang === 'en' ? `Too many messages: at most ${this.config.socketMessagesPerSecond} a second. Slow down.` : errorText('SOCKET.RATE_LIMITED', lang));
      }
      if (!(CLIENT_EVENTS as readonly string[]).includes(event)) {
        const lang = langOf(socket);
        return refuse('SOCKET.UNKNOWN_EVENT', lang === 'en' ? `Unknown message "${String(event).slice(0, 64)}"; the server accepts: ${CLIENT_EVENTS.join(', ')}.` : errorText('SOCKET.UNKNOWN_EVENT', lang));
      }
      // The input boundary of HTTP (depth, control characters, bad Unicode), before any handler.
      const unsafe = args.map((a) => (typeof a === 'function' ? undefined : inspectInput(a, 'The message'))).find(Boolean);
      if (unsafe) return refuse(unsafe.code, toErrorResponse(unsafe, langOf(socket)).body.message);
      next();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * Squad leaders and site managers first, at once; then the staff dashboards, in slices that yield
   * (StaffFanout): a leader's dispatch must not wait behind a fan-out to thousands of dashboards. A
   * socket is on one side only (roomsOfUser), so each still gets its events in id order.
   */
  private broadcast(events: EventView[]): void {
    for (const event of events) if (event.type === 'user.disabled') this.endSessionsOf(event.payload.userId);
    this.deliverToField(events);
    const staffEvents = events.filter((e) => roomsOfEvent(e).includes(STAFF_ROOM));
    const { each, batches } = this.staffRecipients();
    this.staffFanout.deliver(staffEvents, batches, this.emitBatch);
    this.staffFanout.deliver(staffEvents, each, this.emitEach);
  }

  /**
   * Each run of events for the same rooms goes to the sockets there that take batches as one `events`
   * frame, and one by one to the others. A run whose rooms have no such socket on this instance costs
   * nothing: socket.io would encode its frames for nobody (a 10,000-site switchover's took 0.2 s, before
   * its HTTP response and the dashboards' fan-out).
   */
  private deliverToField(events: EventView[]): void {
    const sockets = (room: string) => this.server.sockets.adapter.rooms.get(room)?.size ?? 0;
    for (const { rooms, events: run } of fieldRuns(events, EVENTS_PER_EMIT)) {
      const batching = rooms.reduce((n, r) => n + sockets(batchesOf(r)), 0);
      const each = rooms.reduce((n, r) => n + sockets(r), 0) - batching;
      if (batching) this.server.local.to(rooms.map(batchesOf)).except(REPLAYING_ROOM).emit('events', run);
      if (each > 0) for (const event of run) this.server.local.to(rooms).except([REPLAYING_ROOM, BATCHES_ROOM]).emit('event', event);
    }
  }

  /** Staff sockets on this instance that are live (not replaying), fixed now (see StaffFanout), by how they take events. */
  private staffRecipients(): { each: string[]; batches: string[] } {
    const rooms = this.server.sockets.adapter.rooms;
    const replaying = rooms.get(REPLAYING_ROOM);
    const batching = rooms.get(BATCHES_ROOM);
    const each: string[] = [];
    const batches: string[] = [];
    for (const id of rooms.get(STAFF_ROOM) ?? []) {
      if (!replaying?.has(id)) (batching?.has(id) ? batches : each).push(id);
    }
    return { each, batches };
  }
}
