// The socket.io messages, typed once for the server and every page alike.
import type { EventView, LogPosition } from './events.js';
import type { ImportProgress } from './imports.js';

export interface ServerToClientEvents {
  /** One event of the log, live or replayed, always in id order. */
  event: (event: EventView) => void;
  /**
   * Instead of `event`, to a socket whose handshake asked for `batches`: consecutive events of the log
   * in one frame, in id order (a dashboard gets a dispatch's two events as one frame, not two).
   */
  events: (events: EventView[]) => void;
  /**
   * Replay after `lastEventId` is complete; live events follow. Keep `lastEventId` and `epoch` (the
   * log's identity, new after a database reset) to resume: send both in the next handshake.
   */
  'replay.done': (info: ReplayDone) => void;
  /** A message the server refused, when it came without an acknowledgement callback to answer. */
  'request.error': (error: { event: string; code: string; message: string }) => void;
  /** To the uploader's own sockets only: how far their import has got. */
  'import.progress': (progress: ImportProgress) => void;
  /**
   * Sent just before the server disconnects the socket because its session is over: the access token
   * expired (refresh it and connect again) or the user was disabled (show the login).
   */
  'session.ended': (info: SessionEnded) => void;
}

/** Where a replay ended: the position to resume from. */
export type ReplayDone = LogPosition;

export type SessionEndReason = 'expired' | 'disabled';
export interface SessionEnded {
  reason: SessionEndReason;
  message: string;
}

export type SocketAck = { ok: true } | { ok: false; code: string; message: string };

/** The messages a client may send; anything else is answered with SOCKET.UNKNOWN_EVENT. */
export const CLIENT_EVENTS = ['squad.position'] as const;

export interface ClientToServerEvents {
  /** A squad leader's position; acknowledged with {ok:true} or {ok:false, code, message}. */
  'squad.position': (position: { lat: number; lng: number; accuracy?: number }, ack: (result: SocketAck) => void) => void;
}

export interface HandshakeAuth {
  token?: string;
  /**
   * Resume after this id — only if `epoch` is the log's current one (from `replay.done`). Without it,
   * or from another epoch (the database was reset), the id is ignored: no replay, as for a new client.
   */
  lastEventId?: string | number;
  epoch?: string;
  /** Receive events as `events` (arrays) instead of one `event` each. */
  batches?: boolean;
  /** The language of the server's texts on this socket (error acks, session.ended): `zh-CN` (default) or `en`, as Accept-Language. */
  lang?: string;
}
