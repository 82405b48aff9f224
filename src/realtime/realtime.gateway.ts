import { Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  ConnectedSocket, MessageBody, type OnGatewayConnection, type OnGatewayInit, SubscribeMessage, WebSocketGateway, WebSocketServer,
} from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { AuthUser } from '../auth/auth-user.js';
import { TokenService } from '../auth/token.service.js';
import { DomainError } from '../common/domain-error.js';
import { toErrorResponse } from '../common/error-response.js';
import { validated } from '../common/validation.js';
import { EventRelay } from '../events/event-relay.js';
import type { EventView } from '../events/event-types.js';
import { ReplayService } from './replay.service.js';
import { REPLAYING_ROOM, roomsOfEvent, roomsOfUser, STAFF_ROOM, userRoom } from './rooms.js';
import { PositionDto } from '../squads/dto/squad.dto.js';
import { SquadsService } from '../squads/squads.service.js';
import type { ClientToServerEvents, HandshakeAuth, ServerToClientEvents, SocketAck } from './socket-events.js';
import { UserChannel } from './user-channel.js';

export interface SocketData {
  user: AuthUser;
  lastEventId?: string;
}

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** What a handshake's `lastEventId` may be: an event id (digits), or nothing. */
function parseLastEventId(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const text = String(raw);
  if (!/^\d{1,18}$/.test(text)) throw new DomainError('SOCKET.BAD_LAST_EVENT_ID', 'invalid', 'lastEventId must be an event id (digits)');
  return text;
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

  constructor(
    private readonly tokens: TokenService,
    private readonly relay: EventRelay,
    private readonly replay: ReplayService,
    private readonly squads: SquadsService,
    private readonly userChannel: UserChannel,
  ) {}

  afterInit(server: AppServer): void {
    server.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
      try {
        socket.data.user = this.tokens.verify(auth.token ?? TokenService.fromHeader(socket.handshake.headers.authorization));
      } catch {
        return next(new Error('unauthorized'));
      }
      try {
        socket.data.lastEventId = parseLastEventId(auth.lastEventId);
      } catch (e) {
        return next(new Error((e as Error).message));
      }
      next();
    });
    this.unsubscribe = this.relay.subscribe((events) => this.broadcast(events));
    this.userChannel.attach((userId, progress) => server.local.to(userRoom(userId)).emit('import.progress', progress));
  }

  async handleConnection(socket: AppSocket): Promise<void> {
    const { user, lastEventId } = socket.data;
    if (!user) return void socket.disconnect(true);
    // Join the replaying room first, so no live event reaches the socket before its replay is done.
    void socket.join([REPLAYING_ROOM, userRoom(user.id), ...roomsOfUser(user)]); // local rooms: synchronous
    try {
      await this.replay.catchUp(socket, user, lastEventId);
    } catch (e) {
      this.logger.warn(`replay for ${user.username} failed: ${(e as Error).message}`);
      socket.disconnect(true); // the client reconnects and resumes from what it has
    }
  }

  /** Leaders report positions over the socket too: cheaper than a request on a poor connection. */
  @SubscribeMessage('squad.position')
  async position(@ConnectedSocket() socket: AppSocket, @MessageBody() body: unknown): Promise<SocketAck> {
    try {
      const { user } = socket.data;
      if (user.role !== 'squad_leader' || !user.squadId) {
        throw new DomainError('AUTH.FORBIDDEN', 'forbidden', 'Only a squad leader reports a squad position.');
      }
      const position = await validated(PositionDto, body);
      await this.squads.reportPosition(user, user.squadId, position);
      return { ok: true };
    } catch (e) {
      const { body: error } = toErrorResponse(e);
      return { ok: false, code: error.code, message: error.message };
    }
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * Squad leaders first, then the staff dashboards: a leader's dispatch must not wait behind a fan-out
   * to a thousand dashboards. A socket is on one side only (roomsOfUser), so each still gets its
   * events in id order.
   */
  private broadcast(events: EventView[]): void {
    for (const side of [(r: string) => r !== STAFF_ROOM, (r: string) => r === STAFF_ROOM]) {
      for (const event of events) {
        const rooms = roomsOfEvent(event).filter(side);
        if (rooms.length) this.server.local.to(rooms).except(REPLAYING_ROOM).emit('event', event);
      }
    }
  }
}
