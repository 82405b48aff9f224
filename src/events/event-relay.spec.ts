import type { DataSource } from 'typeorm';
import { CommittingEvents } from './committing-events.js';
import { EventRelay } from './event-relay.js';
import type { EventsService } from './events.service.js';
import type { EventView } from '../contracts/events.js';

const event = (id: number) => ({ id: String(id), type: 'notice.posted', at: '', exercise: false, severity: 'info', audience: 'everyone', payload: { title: 't', body: null } }) satisfies EventView;

/**
 * A relay over a log held in an array, listening on a fake embedded database; counts its reads. It starts
 * at id 10; `committedElsewhere` are then in the log, not yet relayed.
 */
async function relayOver(committedElsewhere: EventView[]) {
  const log: EventView[] = [];
  let notify: (payload?: string) => void = () => {};
  const dataSource = {
    subscribers: [],
    embedded: { closed: false, listen: async (_: string, cb: (payload?: string) => void) => ((notify = cb), async () => {}) },
  } as unknown as DataSource;
  let reads = 0;
  let readGate: Promise<void> = Promise.resolve();
  const events = {
    logEpoch: async () => 'epoch',
    latestId: async () => '10',
    after: async (afterId: string, limit: number) => {
      reads++;
      // A read sees what had committed when it started, as a statement's snapshot does.
      const seen = log.filter((e) => BigInt(e.id) > BigInt(afterId)).slice(0, limit);
      await readGate;
      return seen;
    },
  } as unknown as EventsService;
  const committing = new CommittingEvents(dataSource);
  const relay = new EventRelay(events, dataSource, committing);
  const delivered: string[] = [];
  relay.subscribe((page) => delivered.push(...page.map((e) => e.id)));
  await relay.onModuleInit();
  await relay.wake();
  reads = 0;
  log.push(...committedElsewhere);
  /** A transaction appends `list`; it commits in the database with `inLog`, and this process sees that with `seen`. */
  const append = (prevId: string, list: EventView[]) => {
    const queryRunner = { isTransactionActive: true };
    committing.add(queryRunner as never, prevId, list);
    return {
      inLog: () => log.push(...list),
      seen: () => {
        queryRunner.isTransactionActive = false;
        committing.afterTransactionCommit({ queryRunner } as never);
      },
    };
  };
  return {
    relay, delivered, committing,
    get reads() { return reads; },
    notify: (payload?: string) => notify(payload),
    holdReads: () => {
      let release = () => {};
      readGate = new Promise((r) => (release = r));
      return release;
    },
    append,
    commitElsewhere: (list: EventView[]) => log.push(...list),
    /** A transaction of this process appends `list` and commits. */
    commit: (prevId: string, list: EventView[]) => {
      const tx = append(prevId, list);
      tx.inLog();
      tx.seen();
    },
  };
}

describe('EventRelay: events this process commits', () => {
  it('delivers them at once, without reading them back, when they follow the last delivered id; their NOTIFY then reads nothing', async () => {
    const r = await relayOver([]);
    r.commit('10', [event(11), event(12)]);
    expect(r.delivered).toEqual(['11', '12']);
    r.notify('12');
    await r.relay.wake(); // the poll's read: nothing new
    expect(r.delivered).toEqual(['11', '12']);
    expect(r.reads).toBe(1);
    await r.relay.onModuleDestroy();
  });

  it('reads instead when another commit may lie between (another instance), so the order holds', async () => {
    const r = await relayOver([event(11)]); // committed elsewhere, not yet relayed
    r.commit('11', [event(12)]);
    await r.relay.wake();
    expect(r.delivered).toEqual(['11', '12']);
    await r.relay.onModuleDestroy();
  });

  it('hands them over at once while a read that cannot see them is under way; the read adds nothing', async () => {
    const r = await relayOver([]);
    const release = r.holdReads();
    const reading = r.relay.wake();
    r.commit('10', [event(11)]);
    expect(r.delivered).toEqual(['11']);
    release();
    await reading;
    expect(r.delivered).toEqual(['11']);
    expect(r.reads).toBe(1);
    await r.relay.onModuleDestroy();
  });

  it('hands them over at once while a read that saw them is under way: the read delivers only what came after', async () => {
    const r = await relayOver([]);
    const tx = r.append('10', [event(11)]);
    tx.inLog();
    r.commitElsewhere([event(12)]);
    const release = r.holdReads();
    const reading = r.relay.wake(); // sees 11 and 12
    tx.seen();
    expect(r.delivered).toEqual(['11']);
    release();
    await reading;
    expect(r.delivered).toEqual(['11', '12']);
    expect(r.reads).toBe(1);
    await r.relay.onModuleDestroy();
  });

  it('does not read when their NOTIFY arrives before this process sees its commit', async () => {
    const r = await relayOver([]);
    const tx = r.append('10', [event(11), event(12)]);
    tx.inLog();
    r.notify('12');
    expect(r.reads).toBe(0);
    tx.seen();
    expect(r.delivered).toEqual(['11', '12']);
    expect(r.reads).toBe(0);
    await r.relay.onModuleDestroy();
  });

  it("reads on another instance's NOTIFY while a transaction of its own is committing", async () => {
    const r = await relayOver([event(11)]); // committed by another instance
    const tx = r.append('11', [event(12)]); // appended here after it
    r.notify('11');
    expect(r.reads).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.delivered).toEqual(['11']);
    tx.inLog();
    tx.seen();
    expect(r.delivered).toEqual(['11', '12']);
    expect(r.reads).toBe(1);
    await r.relay.onModuleDestroy();
  });

  it('hands nothing over when a savepoint is released, only when the transaction commits', async () => {
    const r = await relayOver([]);
    const queryRunner = { isTransactionActive: true };
    r.committing.add(queryRunner as never, '10', [event(11)]);
    r.committing.afterTransactionCommit({ queryRunner } as never);
    expect(r.delivered).toEqual([]);
    queryRunner.isTransactionActive = false;
    r.committing.afterTransactionCommit({ queryRunner } as never);
    expect(r.delivered).toEqual(['11']);
    await r.relay.onModuleDestroy();
  });

  it("drops a rolled-back transaction's events", async () => {
    const r = await relayOver([]);
    const queryRunner = { isTransactionActive: true };
    r.committing.add(queryRunner as never, '10', [event(11)]);
    queryRunner.isTransactionActive = false;
    r.committing.afterTransactionRollback({ queryRunner } as never);
    r.committing.afterTransactionCommit({ queryRunner } as never);
    expect(r.delivered).toEqual([]);
    await r.relay.onModuleDestroy();
  });
});
