import { Injectable } from '@nestjs/common';
import type { ImportProgress } from '../contracts/imports.js';

type Sink = (userId: string, progress: ImportProgress) => void;

/**
 * Messages for one user's own sockets that are not events of the log: transient progress that nobody
 * else needs and that is worthless after a reconnect (the HTTP response carries the result). The
 * gateway attaches the sink; the socket.io cluster adapter takes it to the user's sockets on every instance.
 */
@Injectable()
export class UserChannel {
  private sink: Sink = () => undefined;

  attach(sink: Sink): void {
    this.sink = sink;
  }

  importProgress(userId: string, progress: ImportProgress): void {
    this.sink(userId, progress);
  }
}
