import { Injectable } from '@nestjs/common';

/** How far an import has got, for the progress bar of the person who uploaded it. */
export interface ImportProgress {
  importId: string;
  kind: 'facilities' | 'squads';
  phase: 'checking' | 'writing' | 'done' | 'failed';
  /** Lines of the file written so far, of `total`. */
  done: number;
  total: number;
}

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
