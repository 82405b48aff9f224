import type { Server, Socket } from 'socket.io';
import type { AuthUser } from '../common/auth-user.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../contracts/socket.js';

// The server's socket types, on their own so the gateway and the replay it calls share them without
// importing each other.

export interface SocketData {
  user: AuthUser;
  /** When the handshake's access token expires (ms since the epoch): the socket is ended then. */
  expiresAt: number;
  lastEventId?: string;
  /** The client takes `events` (arrays) rather than one `event` each (HandshakeAuth.batches). */
  batches: boolean;
}

export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
