import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { chainTextSql } from './event-chain.js';
import { CommittingEvents } from './committing-events.js';
import { preparedQuery } from '../database/prepared.js';
import { compareIds, EVENT_COLUMNS, type EventRow, eventView, toEventView, visibilitySql } from './event-row.js';
import type { Audience, EventPayloads, EventType, EventView, Severity } from '../contracts/events.js';

interface NewEventEnvelope {
  severity?: Severity;
  /** Default: `squad` when the event names a squad, else `everyone`. */
  audience?: Audience;
  exercise?: boolean;
  actor?: Pick<AuthUser, 'id' | 'username'> | null;
  facilityId?: string;
  squadId?: string;
  dispatchId?: string;
  incidentId?: string;
  drillId?: string;
}

/** An event to append: its payload must be the one the catalogue (contracts/events.ts) gives its type. */
export type NewEvent = { [T in EventType]: NewEventEnvelope & { type: T; payload: EventPayloads[T] } }[EventType];

export const EVENTS_CHANNEL = 'pingji_events';

const RECORD = `(type text, severity text, audience text, exercise boolean, actor_id uuid, actor_name text, facility_id uuid,
  squad_id uuid, dispatch_id uuid, incident_id uuid, drill_id uuid, payload jsonb)`;
const COLUMNS = 'type, at, severity, audience, exercise, actor_id, actor_name, facility_id, squad_id, dispatch_id, incident_id, drill_id, payload';

/**
 * The event-log lock (a transaction-scoped advisory lock, 7400001, held by every append: ids commit in the
 * order they are taken), then the newest event committed before this append (`event_log_head`, migration
 * EventLogHead: its fresh snapshot is taken after the lock, which this statement's own is not). Every
 * append reads it first: its row feeds the `nextval` below, so no id is taken before the lock is held.
 */
const HEAD = `head AS MATERIALIZED (SELECT id AS prev_id, hash AS prev_hash FROM event_log_head())`;

/**
 * The NOTIFY that wakes every relay on commit, naming the newest id of the append. Sent from each
 * returned row, but PostgreSQL delivers identical notifications of one transaction once.
 */
const NOTIFY = `pg_notify('${EVENTS_CHANNEL}', (SELECT max(id) FROM inserted)::text) AS notified`;
const RETURNED = `SELECT id::text AS id, at, (SELECT prev_id::text FROM head) AS prev_id, ${NOTIFY} FROM inserted`;

/**
 * A batch: the chain as a window over the batch in id order (ids are taken in the order of the list).
 */
const APPEND_MANY = `
  WITH ${HEAD}, input AS MATERIALIZED (
    SELECT nextval('events_id_seq') AS id, now() AS at, r.*
    FROM head, (SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS ${RECORD}) WITH ORDINALITY AS o ORDER BY o.ordinality) r
  ), chained AS (
    SELECT input.*, event_chain(head.prev_hash, ${chainTextSql('input')}) OVER (ORDER BY input.id) AS hash, head.prev_hash AS first_prev
    FROM input, head
  )
  , inserted AS (
    INSERT INTO events (id, ${COLUMNS}, prev_hash, hash)
    SELECT id, ${COLUMNS}, coalesce(lag(hash) OVER (ORDER BY id), first_prev), hash
    FROM chained ORDER BY id
    RETURNING id, at
  )
  ${RETURNED}`;

/** One event (most appends): the same chain step without the window. */
const APPEND_ONE = `
  WITH ${HEAD}, inserted AS (
    INSERT INTO events (id, ${COLUMNS}, prev_hash, hash)
    SELECT id, ${COLUMNS}, prev_hash, sha256(prev_hash || convert_to(${chainTextSql('x')}, 'UTF8'))
    FROM (
      SELECT nextval('events_id_seq') AS id, now() AS at, r.*, head.prev_hash
      FROM head, jsonb_to_recordset($1::jsonb) AS r${RECORD}
    ) x
    RETURNING id, at
  )
  ${RETURNED}`;

@Injectable()
export class EventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly committing: CommittingEvents,
  ) {}

  /**
   * Appends events inside the caller's transaction, so a change and its events commit together or not
   * at all. Call it last in the transaction: it takes the event-log lock, which queues other appending
   * transactions until this one ends — that is what makes ids commit in order, so a reader that has seen
   * id 11 can never later find a newly committed id 10. The NOTIFY is delivered only on commit.
   */
  async append(manager: EntityManager, events: NewEvent | NewEvent[]): Promise<EventView[]> {
    const list = Array.isArray(events) ? events : [events];
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('EventsService.append needs the manager of an open transaction');
    }
    if (list.length === 0) return [];
    const records = list.map((e) => ({
      type: e.type,
      severity: e.severity ?? 'info',
      audience: e.audience ?? (e.squadId ? 'squad' : 'everyone'),
      exercise: e.exercise ?? false,
      actor_id: e.actor?.id ?? null,
      actor_name: e.actor?.username ?? null,
      facility_id: e.facilityId ?? null,
      squad_id: e.squadId ?? null,
      dispatch_id: e.dispatchId ?? null,
      incident_id: e.incidentId ?? null,
      drill_id: e.drillId ?? null,
      payload: e.payload,
    }));
    // Only the ids and times come back: the rest is what was sent (a 10,000-site switchover would
    // otherwise read its whole payload back). Each row is hash-chained to the one before it (event-chain.ts),
    // under the event-log lock its statement takes first, so no other append can slip in between.
    const inserted: { id: string; at: Date; prev_id: string }[] = await (records.length === 1
      ? preparedQuery(manager, 'events.append_one', APPEND_ONE, [JSON.stringify(records)])
      : preparedQuery(manager, 'events.append_many', APPEND_MANY, [JSON.stringify(records)]));
    const ids = inserted.map((r) => r.id).sort(compareIds);
    const at = new Date(inserted[0].at).toISOString();
    // Ids are taken in the order of the list (ORDER BY ordinality), so the i-th smallest is the i-th event.
    const appended = records.map((r, i) => eventView(r, ids[i], at));
    this.committing.add(manager.queryRunner, inserted[0].prev_id, appended);
    return appended;
  }

  /** Committed events after `afterId`, oldest first, all of them (the relay's read). */
  async after(afterId: string, limit: number): Promise<EventView[]> {
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE id > $1 ORDER BY events.id LIMIT $2`,
      [afterId, limit],
    );
    return rows.map(toEventView);
  }

  /** Committed events after `afterId` (and up to `upToId`) that `user` may see, oldest first (REST and replay). */
  async visibleAfter(user: Pick<AuthUser, 'role' | 'squadId'>, afterId: string, limit: number, upToId?: string): Promise<EventView[]> {
    const visible = visibilitySql(user, 4);
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE id > $1 AND ($3::bigint IS NULL OR id <= $3) AND ${visible.sql} ORDER BY events.id LIMIT $2`,
      [afterId, limit, upToId ?? null, ...visible.params],
    );
    return rows.map(toEventView);
  }

  /** The newest `limit` committed events that `user` may see, oldest first (what a screen shows as it opens). */
  async visibleLatest(user: Pick<AuthUser, 'role' | 'squadId'>, limit: number): Promise<EventView[]> {
    const visible = visibilitySql(user, 2);
    const rows: EventRow[] = await this.dataSource.query(
      `SELECT ${EVENT_COLUMNS} FROM events WHERE ${visible.sql} ORDER BY events.id DESC LIMIT $1`,
      [limit, ...visible.params],
    );
    return rows.map(toEventView).reverse();
  }

  /** The newest committed id, '0' for an empty log. */
  async latestId(): Promise<string> {
    const [row] = await this.dataSource.query('SELECT coalesce(max(id), 0)::text AS id FROM events');
    return row.id;
  }

  /** The log's identity: a random id made once per database (migration LogEpoch), new after a reset. */
  async logEpoch(): Promise<string> {
    const [row] = await this.dataSource.query('SELECT epoch::text AS epoch FROM log_identity');
    if (!row) throw new Error('log_identity is empty: the event log has no epoch (run the migrations)');
    return row.epoch;
  }
}
