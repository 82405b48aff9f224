import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { assertActsForSquad } from '../auth/ownership.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { DispatchService } from './dispatch.service.js';
import type { CheckInView } from '../contracts/field.js';

const CHECK_IN_LOCK = 7_400_112;
/** After this many missed check-ins in a row the timer stops (the alerts stand) until the next check-in. */
const MISSES_ALERTED = 2;

/**
 * Check-in timers (PAR) for squads on scene: the leader checks in every PAR_INTERVAL_MINUTES; a miss
 * raises a warning alert, the second in a row a critical one. The due time is a column of the
 * dispatch, swept under an advisory lock, so a restart forgets nothing and no miss fires twice.
 */
@Injectable()
export class CheckIns implements OnModuleInit {
  private job?: { runOnce: () => Promise<boolean> };

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly events: EventsService,
    private readonly dispatches: DispatchService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.job = scheduleLockedJob(this.registry, this.dataSource, {
      name: 'check-in-timers',
      ms: this.config.sweepIntervalMs,
      lockKey: CHECK_IN_LOCK,
      work: (m) => this.alertMissed(m),
    });
  }

  /** Runs the sweep now (tests). */
  sweepNow(): Promise<boolean> {
    return this.job!.runOnce();
  }

  /** The leader's check-in: restarts the timer. Checking in twice is harmless (the timer restarts again). */
  checkIn(user: AuthUser, id: string, body: { note?: string; lat?: number; lng?: number }): Promise<CheckInView> {
    return this.dataSource.transaction(async (m) => {
      const [row]: { id: string; squad_id: string; status: string; exercise: boolean }[] = await m.query(
        'SELECT id, squad_id, status, exercise FROM dispatches WHERE id = $1 FOR UPDATE',
        [id],
      );
      if (!row) throw new DomainError('DISPATCH.NOT_FOUND', 'not_found', `No dispatch with id ${id}.`);
      assertActsForSquad(user, row.squad_id, { commanderToo: false });
      if (row.status !== 'on_scene') {
        throw new DomainError('CHECK_IN.NOT_ON_SCENE', 'conflict', {});
      }
      await m.query('INSERT INTO dispatch_check_ins (dispatch_id, note, lat, lng, actor_id) VALUES ($1, $2, $3, $4, $5)', [
        id, body.note ?? null, body.lat ?? null, body.lng ?? null, user.id,
      ]);
      const [t] = rowsOf<{ last_check_in_at: Date; check_in_due_at: Date }>(
        await m.query(
          `UPDATE dispatches SET last_check_in_at = now(), check_in_misses = 0, check_in_due_at = now() + make_interval(secs => $2)
           WHERE id = $1 RETURNING last_check_in_at, check_in_due_at`,
          [id, this.config.parIntervalSeconds],
        ),
      );
      const [view] = await this.dispatches.read(m, [id]);
      await this.events.append(m, {
        type: 'dispatch.checked_in',
        squadId: row.squad_id,
        dispatchId: id,
        incidentId: view.incidentId,
        drillId: view.drillId ?? undefined,
        exercise: row.exercise,
        actor: user,
        payload: {
          squadCode: view.squadCode,
          note: body.note ?? null,
          lat: body.lat ?? null,
          lng: body.lng ?? null,
          nextDueAt: new Date(t.check_in_due_at).toISOString(),
          incident: view.incident,
        },
      });
      return {
        dispatchId: id,
        checkedInAt: new Date(t.last_check_in_at).toISOString(),
        nextDueAt: new Date(t.check_in_due_at).toISOString(),
        intervalMinutes: Math.round((this.config.parIntervalSeconds / 60) * 100) / 100,
      };
    });
  }

  private async alertMissed(m: EntityManager): Promise<void> {
    const missed = rowsOf<{ id: string; squad_id: string; exercise: boolean; misses: number; due: Date; last_check_in_at: Date | null }>(
      await m.query(
        `UPDATE dispatches d SET check_in_misses = d.check_in_misses + 1,
           check_in_due_at = CASE WHEN d.check_in_misses + 1 >= $2 THEN NULL ELSE d.check_in_due_at + make_interval(secs => $1) END
         FROM (SELECT id, check_in_due_at AS due FROM dispatches
               WHERE status = 'on_scene' AND check_in_due_at <= now() ORDER BY id FOR UPDATE SKIP LOCKED) old
         WHERE d.id = old.id
         RETURNING d.id, d.squad_id, d.exercise, d.check_in_misses AS misses, old.due, d.last_check_in_at`,
        [this.config.parIntervalSeconds, MISSES_ALERTED],
      ),
    );
    if (!missed.length) return;
    const views = new Map((await this.dispatches.read(m, missed.map((d) => d.id))).map((v) => [v.id, v]));
    const events: NewEvent[] = missed.map((d) => {
      const view = views.get(d.id)!;
      return {
        type: 'dispatch.check_in_missed',
        severity: d.misses >= 2 ? 'critical' : 'warning',
        squadId: d.squad_id,
        dispatchId: d.id,
        incidentId: view.incidentId,
        drillId: view.drillId ?? undefined,
        exercise: d.exercise,
        payload: {
          squadCode: view.squadCode,
          misses: d.misses,
          dueAt: new Date(d.due).toISOString(),
          lastCheckInAt: d.last_check_in_at ? new Date(d.last_check_in_at).toISOString() : null,
          incident: view.incident,
        },
      };
    });
    await this.events.append(m, events);
  }
}
