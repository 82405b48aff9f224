import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { retryOnConflict } from '../common/transaction-retry.js';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import { preparedQuery } from '../database/prepared.js';

export interface Position {
  lat: number;
  lng: number;
  accuracy?: number;
}

interface Waiter {
  resolve: (at: Date) => void;
  reject: (e: unknown) => void;
}

// The batch's rows are locked in id order first (the sub-select), as a dispatch locks its squads: an
// UPDATE … FROM locks in whatever order its join runs, and could deadlock with a dispatch. NO KEY UPDATE
// is the lock the UPDATE itself takes: it does not wait for the key-share lock of a row that refers to
// the squad (the sweep marking a squad announced for the first time).
const positionUpdateSql = (extraFrom = '') => `
  UPDATE squads s SET lat = v.lat, lng = v.lng, position_accuracy = v.accuracy, position_at = clock_timestamp()
  FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, lat double precision, lng double precision, accuracy double precision)${extraFrom}
  WHERE s.id = v.id
    AND s.id IN (SELECT id FROM squads WHERE id IN (SELECT (e->>'id')::uuid FROM jsonb_array_elements($1::jsonb) e) ORDER BY id FOR NO KEY UPDATE)
  RETURNING s.id, s.position_at`;

/** A position inside the caller's transaction: committed as that transaction is. */
const WRITE_IN = positionUpdateSql();

/**
 * A batch on its own (its own single-statement transaction) commits without waiting for the disk flush
 * (synchronous_commit off for this transaction only): a position is superseded by the next one within
 * seconds, and a flush per batch put the disk's stalls on every phone's acknowledgement. What the
 * database server loses if it crashes is the last fraction of a second of positions, never an event:
 * a batch appends none.
 */
const WRITE_BATCH = positionUpdateSql(`,
    (SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait`);

/**
 * Writes squad positions in batches. Every report waits for its row to be written (a position is
 * acknowledged only once it is stored), but reports that arrive while a write is under way go
 * together in the next one: under load, thousands of reports a second become a few UPDATEs, each
 * squad's latest position winning; when it is quiet, a report is written at once.
 */
@Injectable()
export class PositionWriter {
  private pending = new Map<string, { position: Position; waiters: Waiter[] }>();
  private writing: Promise<void> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /** Stores the squad's position; resolves with when it was stored. */
  write(squadId: string, position: Position): Promise<Date> {
    return new Promise((resolve, reject) => {
      const entry = this.pending.get(squadId) ?? { position, waiters: [] };
      entry.position = position;
      entry.waiters.push({ resolve, reject });
      this.pending.set(squadId, entry);
      this.writing ??= this.drain();
    });
  }

  /** Stores one squad's position inside the caller's transaction; resolves with when it was stored. */
  async writeIn(m: EntityManager, squadId: string, p: Position): Promise<Date> {
    const [row] = rowsOf<{ id: string; position_at: Date }>(
      await preparedQuery(m, 'squads.write_position_in', WRITE_IN, [JSON.stringify([{ id: squadId, lat: p.lat, lng: p.lng, accuracy: p.accuracy ?? null }])]),
    );
    if (!row) throw new DomainError('SQUAD.NOT_FOUND', 'not_found', { id: squadId });
    return row.position_at;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size) {
        const batch = this.pending;
        this.pending = new Map();
        await this.writeBatch(batch);
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async writeBatch(batch: Map<string, { position: Position; waiters: Waiter[] }>): Promise<void> {
    const rows = [...batch].map(([id, { position: p }]) => ({ id, lat: p.lat, lng: p.lng, accuracy: p.accuracy ?? null }));
    let written: Map<string, Date>;
    try {
      const result = rowsOf<{ id: string; position_at: Date }>(await retryOnConflict(() => preparedQuery(this.dataSource, 'squads.write_positions', WRITE_BATCH, [JSON.stringify(rows)])));
      written = new Map(result.map((r) => [r.id, r.position_at]));
    } catch (e) {
      for (const { waiters } of batch.values()) waiters.forEach((w) => w.reject(e));
      return;
    }
    for (const [id, { waiters }] of batch) {
      const at = written.get(id);
      for (const w of waiters) {
        if (at) w.resolve(at);
        else w.reject(new DomainError('SQUAD.NOT_FOUND', 'not_found', { id }));
      }
    }
  }
}
