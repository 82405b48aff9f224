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
    // SKIP LOCKED: a squad in the middle of a dispatch change is announced on the next tick instead.
    const moved = rowsOf<{ id: string; code: string; lat: number; lng: number; position_accuracy: number | null; position_at: Date }>(
      await m.query(
        `UPDATE squads SET position_announced_at = position_at
         WHERE id IN (SELECT id FROM squads WHERE position_at IS DISTINCT FROM position_announced_at AND position_at IS NOT NULL
                      FOR UPDATE SKIP LOCKED)
         RETURNING id, code, lat, lng, position_accuracy, position_at`,
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
