import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user.js';
import { EventRelay } from '../events/event-relay.js';
import { EventsService } from '../events/events.service.js';
import { REPLAYING_ROOM } from './rooms.js';
import type { AppSocket } from './app-socket.js';

const PAGE = 1000;
const maxId = (a: string, b: string) => (BigInt(a) >= BigInt(b) ? a : b);

/**
 * Sends a (re)connecting socket what it missed, then hands it to live delivery with no gap and no
 * duplicate. While the socket is in the replaying room the relay skips it; replay reads from the log
 * up to the relay's high-water mark (never beyond: those the relay will still deliver), and leaves the
 * room in the same tick in which it last compared with that mark — so the very next event the relay
 * delivers is the next one the socket needs.
 */
@Injectable()
export class ReplayService {
  constructor(
    private readonly events: EventsService,
    private readonly relay: EventRelay,
  ) {}

  async catchUp(socket: AppSocket, user: AuthUser, lastEventId: string | undefined): Promise<void> {
    // Let the relay catch up with everything committed so far: replay then covers all of it, and a
    // client that saw events on another instance is not sent them again by this relay.
    await this.relay.wake();
    let cursor = lastEventId ?? this.relay.highWater;
    // An id the log never reached (a reset database) resumes from the present.
    if (BigInt(cursor) > BigInt(this.relay.highWater)) cursor = this.relay.highWater;
    for (;;) {
      // Never past what the relay has delivered: what it has not delivered yet, it will deliver live.
      const highWater = this.relay.highWater;
      const page = lastEventId === undefined ? [] : await this.events.visibleAfter(user, cursor, PAGE, highWater);
      if (!socket.connected) return;
      if (socket.data.batches) {
        if (page.length) socket.emit('events', page);
      } else for (const event of page) socket.emit('event', event);
      if (page.length) cursor = page[page.length - 1].id;
      if (page.length === PAGE) continue;
      // Everything committed before the read is sent, and the relay had delivered no further than
      // `highWater` when the read began; if it moved on meanwhile, read again.
      cursor = maxId(cursor, highWater);
      if (BigInt(this.relay.highWater) > BigInt(cursor)) continue;
      void socket.leave(REPLAYING_ROOM); // local rooms: synchronous, in this same tick
      socket.emit('replay.done', { lastEventId: cursor, epoch: this.relay.epoch });
      return;
    }
  }
}
