import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { DispatchService } from './dispatch.service.js';
import { IncidentsService } from './incidents.service.js';

const SWEEP_LOCK = 7_400_101;

/**
 * Expires dispatches nobody acknowledged in time. The deadline lives in the database, so a restart
 * forgets nothing; the expiring UPDATE only takes rows still pending, so nothing fires twice.
 */
@Injectable()
export class DeadlineSweeper implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly events: EventsService,
    private readonly dispatches: DispatchService,
    private readonly incidents: IncidentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    scheduleLockedJob(this.registry, this.dataSource, {
      name: 'dispatch-deadlines',
      ms: this.config.sweepIntervalMs,
      lockKey: SWEEP_LOCK,
      work: (m) => this.expireDue(m),
    });
  }

  private async expireDue(m: EntityManager): Promise<void> {
    const expired = rowsOf<{ id: string; squad_id: string; incident_id: string; exercise: boolean; drill_id: string | null }>(
      await m.query(
        `UPDATE dispatches SET status = 'expired', expired_at = now()
         WHERE id IN (SELECT id FROM dispatches WHERE status = 'pending' AND ack_deadline <= now() ORDER BY id FOR UPDATE SKIP LOCKED)
         RETURNING id, squad_id, incident_id, exercise, drill_id`,
      ),
    );
    if (!expired.length) return;
    const events: NewEvent[] = [];
    // Squads in id order, as a dispatch locks them: in dispatch order this could deadlock with one.
    for (const d of [...expired].sort((a, b) => (a.squad_id < b.squad_id ? -1 : a.squad_id > b.squad_id ? 1 : 0))) {
      if (!d.exercise) events.push(...(await this.dispatches.moveSquad(m, null, d.squad_id, 'available')));
    }
    for (const d of expired) {
      const [view] = await this.dispatches.read(m, [d.id]);
      const next = (await this.incidents.recommendations(d.incident_id, 2, m)).find((r) => r.squadId !== d.squad_id) ?? null;
      events.push({
        type: 'dispatch.expired',
        severity: 'critical',
        squadId: d.squad_id,
        dispatchId: d.id,
        incidentId: d.incident_id,
        drillId: d.drill_id ?? undefined,
        exercise: d.exercise,
        payload: { squadCode: view.squadCode, ackDeadline: view.ackDeadline, incident: view.incident, nextRecommended: next },
      });
    }
    await this.events.append(m, events);
  }
}
