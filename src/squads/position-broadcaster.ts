import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService } from '../events/events.service.js';

const POSITIONS_LOCK = 7_400_102;

/**
 * Coalesces position reports: once per interval, one squad.position event per squad that moved, with
 * its latest position. However often phones report, dashboards get at most 128 updates per interval.
 */
@Injectable()
export class PositionBroadcaster implements OnModuleInit {
  private job?: { runOnce: () => Promise<boolean> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.job = scheduleLockedJob(this.registry, this.dataSource, {
      name: 'squad-positions',
      ms: this.config.sweepIntervalMs,
      lockKey: POSITIONS_LOCK,
      work: (m) => this.announce(m),
    });
  }

  broadcastNow(): Promise<boolean> {
    return this.job!.runOnce();
  }

  private async announce(m: EntityManager): Promise<void> {
    // Squads are read, not locked: a position written meanwhile differs from the one marked here and is
    // announced on the next tick, and the phones' writes never wait for this transaction. A squad's first
    // mark key-share locks it (the foreign key): in id order, as a dispatch locks its squads.
    const moved = rowsOf<{ id: string; code: string; lat: number; lng: number; position_accuracy: number | null; position_at: Date }>(
      await m.query(
        `WITH moved AS (
           SELECT s.id, s.code, s.lat, s.lng, s.position_accuracy, s.position_at
           FROM squads s LEFT JOIN squad_position_announcements a ON a.squad_id = s.id
           WHERE s.position_at IS NOT NULL AND s.position_at IS DISTINCT FROM a.position_at),
         marked AS (
           INSERT INTO squad_position_announcements (squad_id, position_at) SELECT id, position_at FROM moved ORDER BY id
           ON CONFLICT (squad_id) DO UPDATE SET position_at = excluded.position_at)
         SELECT * FROM moved`,
      ),
    );
    if (!moved.length) return;
    await this.events.append(
      m,
      moved.map((s) => ({
        type: 'squad.position',
        squadId: s.id,
        payload: { code: s.code, lat: s.lat, lng: s.lng, accuracy: s.position_accuracy, at: new Date(s.position_at).toISOString() },
      })),
    );
  }
}
