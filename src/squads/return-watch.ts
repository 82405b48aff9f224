import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService } from '../events/events.service.js';

const RETURN_WATCH_LOCK = 7_400_104;

/**
 * A squad that finished a job is `returning` until its leader reports it back. One that stays so longer
 * than SQUAD_RETURN_ALERT_MINUTES raises a warning alert, once per stint: the command center asks
 * whether it is back (and sets it available from the roster) or stuck.
 */
@Injectable()
export class ReturnWatch implements OnModuleInit {
  private job?: { runOnce: () => Promise<boolean> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.job = scheduleLockedJob(this.registry, this.dataSource, {
      name: 'squad-return-watch',
      ms: this.config.sweepIntervalMs,
      lockKey: RETURN_WATCH_LOCK,
      work: (m) => this.alertOverdue(m),
    });
  }

  /** Runs the check now (tests). */
  checkNow(): Promise<boolean> {
    return this.job!.runOnce();
  }

  private async alertOverdue(m: EntityManager): Promise<void> {
    const overdue = rowsOf<{ id: string; code: string; name: string; status_changed_at: Date }>(
      await m.query(
        `UPDATE squads SET return_alerted_at = now()
         WHERE id IN (SELECT id FROM squads
                      WHERE status = 'returning' AND status_changed_at <= now() - make_interval(mins => $1)
                        AND (return_alerted_at IS NULL OR return_alerted_at < status_changed_at)
                      ORDER BY id FOR UPDATE SKIP LOCKED)
         RETURNING id, code, name, status_changed_at`,
        [this.config.squadReturnAlertMinutes],
      ),
    );
    if (!overdue.length) return;
    await this.events.append(
      m,
      overdue.map((s) => ({
        type: 'squad.return_overdue' as const,
        severity: 'warning' as const,
        squadId: s.id,
        payload: {
          code: s.code,
          name: s.name,
          since: new Date(s.status_changed_at).toISOString(),
          minutes: Math.floor((Date.now() - new Date(s.status_changed_at).getTime()) / 60_000),
        },
      })),
    );
  }
}
