import { Injectable } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
import type { EventView } from '../contracts/events.js';
import { compareIds } from './event-row.js';

/** Events a transaction appended, and the id committed just before the first of them. */
export interface CommittedEvents {
  prevId: string;
  events: EventView[];
}

type Listener = (committed: CommittedEvents) => void;

/** The ids an open transaction appended: after `prevId`, up to `lastId`. */
interface AppendedIds {
  prevId: string;
  lastId: string;
  since: number;
}

interface OpenTransaction {
  /** What to hand on at commit; null when its appends are not one run of ids (then the relay reads them). */
  run: CommittedEvents | null;
  ids: AppendedIds;
}

/**
 * A transaction whose end was never seen (its connection lost during COMMIT) is forgotten after this:
 * until then its NOTIFY is taken for one of ours, and the relay's poll delivers its events instead.
 */
const FORGET_AFTER_MS = 60_000;

/**
 * The events each open transaction of this process has appended, handed on once it commits: the relay
 * can then deliver them at once instead of waiting for the NOTIFY and reading them back (a round trip on
 * the path of every dispatch, and 10,000 rows for a city-wide switchover). Only a hint: a rolled-back
 * transaction's are dropped, and whatever is not taken here still reaches every instance the usual way.
 */
@Injectable()
export class CommittingEvents implements EntitySubscriberInterface {
  private readonly open = new WeakMap<QueryRunner, OpenTransaction>();
  /** The ids of the open transactions that will hand their events on, for `isCommittingHere`. */
  private readonly handingOn = new Set<AppendedIds>();
  private listener?: Listener;

  constructor(dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  onCommitted(listener: Listener): void {
    this.listener = listener;
  }

  /** An append inside the transaction of `queryRunner`: `prevId` is the newest id it could see before. */
  add(queryRunner: QueryRunner | undefined, prevId: string, events: EventView[]): void {
    if (!queryRunner) return;
    this.forgetStale();
    const lastId = events[events.length - 1].id;
    const earlier = this.open.get(queryRunner);
    if (!earlier) {
      const ids = { prevId, lastId, since: Date.now() };
      this.handingOn.add(ids);
      return void this.open.set(queryRunner, { run: { prevId, events }, ids });
    }
    // A second append in one transaction follows on from the first; anything else is not a run of ids.
    if (earlier.run && earlier.ids.lastId === prevId) {
      earlier.run = { prevId: earlier.run.prevId, events: [...earlier.run.events, ...events] };
      earlier.ids.lastId = lastId;
    } else {
      earlier.run = null;
      this.handingOn.delete(earlier.ids);
    }
  }

  /**
   * Whether event `id` is one an open transaction of this process appended and will hand on when its
   * commit is seen. A transaction's NOTIFY can reach the relay before its COMMIT's answer does; reading
   * the events back then would only fetch what is about to be handed over.
   */
  isCommittingHere(id: string): boolean {
    for (const ids of this.handingOn) {
      if (compareIds(id, ids.prevId) > 0 && compareIds(id, ids.lastId) <= 0) return true;
    }
    return false;
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (queryRunner.isTransactionActive) return; // a savepoint released: the transaction goes on
    const committed = this.end(queryRunner);
    if (committed) this.listener?.(committed);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    this.end(queryRunner);
  }

  private end(queryRunner: QueryRunner): CommittedEvents | null {
    const transaction = this.open.get(queryRunner);
    this.open.delete(queryRunner);
    if (!transaction) return null;
    this.handingOn.delete(transaction.ids);
    return transaction.run;
  }

  private forgetStale(): void {
    const before = Date.now() - FORGET_AFTER_MS;
    for (const ids of this.handingOn) if (ids.since < before) this.handingOn.delete(ids);
  }
}
