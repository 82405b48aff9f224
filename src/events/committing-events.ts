import { Injectable } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
import type { EventView } from '../contracts/events.js';

/** Events a transaction appended, and the id committed just before the first of them. */
export interface CommittedEvents {
  prevId: string;
  events: EventView[];
}

type Listener = (committed: CommittedEvents) => void;

/**
 * The events each open transaction of this process has appended, handed on once it commits: the relay
 * can then deliver them at once instead of waiting for the NOTIFY and reading them back (a round trip on
 * the path of every dispatch). Only a hint: a rolled-back transaction's are dropped, and whatever is not
 * taken here still reaches every instance the usual way.
 */
@Injectable()
export class CommittingEvents implements EntitySubscriberInterface {
  private readonly open = new WeakMap<QueryRunner, CommittedEvents | null>();
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
    const earlier = this.open.get(queryRunner);
    if (earlier === undefined) return void this.open.set(queryRunner, { prevId, events });
    // A second append in one transaction follows on from the first; anything else is not a run of ids.
    const follows = earlier !== null && earlier.events[earlier.events.length - 1].id === prevId;
    this.open.set(queryRunner, follows ? { prevId: earlier.prevId, events: [...earlier.events, ...events] } : null);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (queryRunner.isTransactionActive) return; // a savepoint released: the transaction goes on
    const committed = this.open.get(queryRunner);
    this.open.delete(queryRunner);
    if (committed) this.listener?.(committed);
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    this.open.delete(queryRunner);
  }
}
