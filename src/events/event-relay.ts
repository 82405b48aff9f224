import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppDataSource } from '../database/data-source-options.js';
import { listenForCommits } from './commit-listener.js';
import { type CommittedEvents, CommittingEvents } from './committing-events.js';
import { EVENTS_CHANNEL, EventsService } from './events.service.js';
import { compareIds } from './event-row.js';
import type { EventView } from '../contracts/events.js';

type Listener = (events: EventView[]) => void;

const PAGE = 1000;
/** A safety net: even if a notification were lost, nothing waits longer than this. */
const POLL_MS = 1000;

/**
 * Delivers committed events to this process's listeners (the socket gateway), in id order, each once.
 * Every instance runs its own relay reading the shared event log, so events committed on instance A
 * reach the sockets of instance B without any other broker. Nothing is kept in memory but `highWater`,
 * the last id handed to the listeners.
 */
@Injectable()
export class EventRelay implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('EventRelay');
  private readonly listeners = new Set<Listener>();
  private highWaterId = '0';
  private epochId = '';
  private running: Promise<void> | undefined;
  private again = false;
  private stopListening?: () => Promise<void>;
  private poll?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly events: EventsService,
    private readonly dataSource: DataSource,
    private readonly committing: CommittingEvents,
  ) {}

  /** The last id delivered: every committed event up to it has gone to the listeners. */
  get highWater(): string {
    return this.highWaterId;
  }

  /** The log's identity (read at startup): an event id means something only together with it. */
  get epoch(): string {
    return this.epochId;
  }

  async onModuleInit(): Promise<void> {
    this.epochId = await this.events.logEpoch();
    // Start from now: what happened before is for replay, not for live delivery.
    this.highWaterId = await this.events.latestId();
    this.committing.onCommitted((committed) => this.deliverCommitted(committed));
    // The NOTIFY names the newest id of its append: one already delivered, or about to be handed over
    // by a commit of this process, needs no read.
    this.stopListening = await listenForCommits(this.dataSource as AppDataSource, EVENTS_CHANNEL, (lastId) => {
      if (lastId !== undefined && (compareIds(lastId, this.highWaterId) <= 0 || this.committing.isCommittingHere(lastId))) return;
      void this.wake();
    });
    this.poll = setInterval(() => this.wake(), POLL_MS);
    this.poll.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.running;
    await this.stopListening?.();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads and delivers whatever has committed; returns when caught up (tests and replay use it). */
  wake(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => (this.running = undefined));
    return this.running;
  }

  /**
   * Events this process has just committed: delivered at once when they are the very next in the log
   * (nothing committed between the last delivered id and them, as the append saw under the log's lock),
   * even while a read is under way (it drops what has been delivered meanwhile); otherwise a read
   * delivers them, in order, as for any other instance.
   */
  private deliverCommitted({ prevId, events }: CommittedEvents): void {
    if (this.stopped) return;
    if (prevId !== this.highWaterId) return void this.wake();
    this.highWaterId = events[events.length - 1].id;
    for (const listener of this.listeners) this.deliver(listener, events);
  }

  private deliver(listener: Listener, page: EventView[]): void {
    try {
      listener(page);
    } catch (e) {
      this.logger.error(`event listener failed: ${(e as Error).stack}`);
    }
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      try {
        let page: EventView[];
        do {
          if (this.stopped) return;
          page = await this.events.after(this.highWaterId, PAGE);
          // A commit of this process may have been handed over while the read was under way.
          const fresh = page.filter((e) => compareIds(e.id, this.highWaterId) > 0);
          if (fresh.length === 0) continue;
          this.highWaterId = fresh[fresh.length - 1].id;
          for (const listener of this.listeners) this.deliver(listener, fresh);
        } while (page.length === PAGE);
      } catch (e) {
        // The database is away: the next notification or poll tries again from the same id.
        this.logger.warn(`relay read failed: ${(e as Error).message}`);
        return;
      }
    } while (this.again);
  }
}
