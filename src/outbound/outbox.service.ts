import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { rowsOf } from '../common/pg-errors.js';
import { preparedQuery } from '../database/prepared.js';
import type { OutboxMessageView } from '../contracts/field.js';
import { type NewOutboundMessage, OUTBOUND_DRIVER, type OutboundDriver, type OutboundMessage } from './outbound-port.js';

const DELIVERY_LOCK = 7_400_110;
const BATCH = 200;
/** A message the gateway keeps refusing is given up after this many tries (its last error stays on the row). */
const MAX_ATTEMPTS = 5;

interface OutboxRow {
  id: string;
  channel: 'sms' | 'voice';
  recipient_user_id: string | null;
  recipient: string;
  body: string;
  reply_code: string | null;
  topic: OutboxMessageView['topic'];
  ref_id: string | null;
  exercise: boolean;
  created_at: Date;
  sent_at: Date | null;
  driver: string | null;
  attempts: number;
  last_error: string | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);

/**
 * The statement that writes outbox rows from `source`, a SELECT of NewOutboundMessage's fields in SQL
 * (channel, user_id, username, body, reply_code, topic, ref_id, exercise; a null channel is SMS, a null
 * exercise false): the one place a row is shaped (its recipient, 【演练】 before an exercise's body). On
 * its own (enqueue), or as a CTE of a caller's statement, saving that write a round trip (a dispatch's).
 */
export const insertOutboxFrom = (source: string) => `
  INSERT INTO outbox (channel, recipient_user_id, recipient, body, reply_code, topic, ref_id, exercise)
  SELECT coalesce(m.channel, 'sms'), m.user_id, 'user:' || m.username, CASE WHEN m.exercise THEN '【演练】' || m.body ELSE m.body END,
         m.reply_code, m.topic, m.ref_id, coalesce(m.exercise, false)
  FROM (${source}) m`;

/** The transactional outbox behind the outbound port: rows written with the change, delivered after commit. */
@Injectable()
export class OutboxService implements OnModuleInit {
  private job?: { runOnce: () => Promise<boolean> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    @Inject(OUTBOUND_DRIVER) private readonly driver: OutboundDriver,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.job = scheduleLockedJob(this.registry, this.dataSource, {
      name: 'outbox-delivery',
      ms: this.config.sweepIntervalMs,
      lockKey: DELIVERY_LOCK,
      work: (m) => this.deliverPending(m),
    });
  }

  /** Delivers what is pending now (tests). */
  deliverNow(): Promise<boolean> {
    return this.job!.runOnce();
  }

  /** Inside the caller's transaction: the messages exist if and only if the change commits. */
  async enqueue(m: EntityManager, messages: NewOutboundMessage[]): Promise<void> {
    if (!messages.length) return;
    await preparedQuery(
      m,
      'outbox.enqueue',
      insertOutboxFrom(`SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(channel text, user_id uuid, username text, body text,
        reply_code text, topic text, ref_id uuid, exercise boolean)`),
      [
        JSON.stringify(
          messages.map((x) => ({
            channel: x.channel ?? null,
            user_id: x.userId,
            username: x.username,
            body: x.body,
            reply_code: x.replyCode ?? null,
            topic: x.topic,
            ref_id: x.refId ?? null,
            exercise: x.exercise ?? null,
          })),
        ),
      ],
    );
  }

  async list(filter: { topic?: string; refId?: string; limit?: number }): Promise<OutboxMessageView[]> {
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT id::text AS id, channel, recipient_user_id, recipient, body, reply_code, topic, ref_id, exercise, created_at, sent_at, driver,
              attempts, last_error
       FROM outbox WHERE ($1::text IS NULL OR topic = $1) AND ($2::uuid IS NULL OR ref_id = $2) ORDER BY outbox.id DESC LIMIT $3`,
      [filter.topic ?? null, filter.refId ?? null, filter.limit ?? 200],
    );
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      recipientUserId: r.recipient_user_id,
      recipient: r.recipient,
      body: r.body,
      replyCode: r.reply_code,
      topic: r.topic,
      refId: r.ref_id,
      exercise: r.exercise,
      createdAt: iso(r.created_at)!,
      sentAt: iso(r.sent_at),
      driver: r.driver,
      attempts: r.attempts,
      lastError: r.last_error,
    }));
  }

  private async deliverPending(m: EntityManager): Promise<void> {
    const pending = rowsOf<OutboxRow>(
      await m.query(
        `SELECT id::text AS id, channel, recipient, body, reply_code, topic, exercise FROM outbox
         WHERE sent_at IS NULL AND attempts < $1 ORDER BY outbox.id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [MAX_ATTEMPTS, BATCH],
      ),
    );
    for (const row of pending) {
      const message: OutboundMessage = {
        id: row.id,
        channel: row.channel,
        recipient: row.recipient,
        body: row.body,
        replyCode: row.reply_code,
        topic: row.topic,
        exercise: row.exercise,
      };
      try {
        await this.driver.deliver(message);
        await m.query('UPDATE outbox SET sent_at = now(), driver = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1', [row.id, this.driver.name]);
      } catch (e) {
        await m.query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, (e as Error).message.slice(0, 500)]);
      }
    }
  }
}
