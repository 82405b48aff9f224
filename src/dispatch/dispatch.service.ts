import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { assertActsForSquad } from '../auth/ownership.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import { idempotentTransaction } from '../common/idempotency.interceptor.js';
import { preparedQuery } from '../database/prepared.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { assertMove, squadStatusFor } from './dispatch-rules.js';
import { DISPATCH_SELECT, dispatchSelectFrom, type DispatchRow, toDispatchView } from './dispatch-row.js';
import { changeSquadStatus, lockSquads, planSquadStatus, setSquadStatus } from '../squads/squad-status.js';
import { IncidentsService } from './incidents.service.js';
import { insertOutboxFrom } from '../outbound/outbox.service.js';
import { ACTIVE_DISPATCH_STATUSES, type DispatchStatus, type DispatchView, type IncidentStatus, type IncidentView } from '../contracts/dispatch.js';

/** The timestamp column each state sets. */
const STAMP: Partial<Record<DispatchStatus, string>> = {
  accepted: 'acknowledged_at',
  declined: 'acknowledged_at',
  en_route: 'en_route_at',
  on_scene: 'on_scene_at',
  completed: 'completed_at',
  cancelled: 'cancelled_at',
  expired: 'expired_at',
};
/** The states a person moves a dispatch into (creation and expiry have events of their own). */
type ChangeStatus = 'accepted' | 'declined' | 'en_route' | 'on_scene' | 'completed' | 'cancelled';

type DispatchChangeType = 'dispatch.accepted' | 'dispatch.declined' | 'dispatch.progress' | 'dispatch.cancelled';
const EVENT_OF: Record<ChangeStatus, { type: DispatchChangeType; severity?: 'warning' }> = {
  accepted: { type: 'dispatch.accepted' },
  declined: { type: 'dispatch.declined', severity: 'warning' },
  en_route: { type: 'dispatch.progress' },
  on_scene: { type: 'dispatch.progress' },
  completed: { type: 'dispatch.progress' },
  cancelled: { type: 'dispatch.cancelled' },
};

export interface DispatchOptions {
  note?: string;
  /** Whether the caller means an exercise; it must match the incident's. */
  exercise: boolean;
}

/** A dispatch row locked for a change. */
interface LockedDispatch {
  id: string;
  squad_id: string;
  status: DispatchStatus;
  exercise: boolean;
  overdue: boolean;
}
const LOCKED_COLUMNS = 'd.id, d.squad_id, d.status, d.exercise, d.ack_deadline <= now() AS overdue';

/**
 * New dispatches, read back as views, the squads' change to assigned ($8, $9; none for an exercise), and
 * the message to each squad's leaders (active accounts), beyond the app too ($10: the body for each
 * squad of $2), all in one statement: a dispatch is on the clock.
 */
const CREATE = `
  WITH assigned AS (${setSquadStatus('$8', '$9')}),
  created AS (
    INSERT INTO dispatches (incident_id, squad_id, note, ack_deadline, exercise, drill_id, created_by)
    SELECT $1, unnest($2::uuid[]), $3, now() + make_interval(secs => $4), $5, $6, $7 RETURNING *
  ),
  messaged AS (${insertOutboxFrom(`
    SELECT NULL AS channel, u.id AS user_id, u.username, b.body, NULL AS reply_code, 'dispatch' AS topic, d.id AS ref_id, d.exercise
    FROM created d JOIN unnest($2::uuid[], $10::text[]) AS b(squad_id, body) ON b.squad_id = d.squad_id
      JOIN squads s ON s.id = d.squad_id
      JOIN users u ON u.role = 'squad_leader' AND u.disabled_at IS NULL AND u.squad_id = d.squad_id
    ORDER BY s.code, u.username`)})
  ${dispatchSelectFrom('created')}
  ORDER BY s.code`;

@Injectable()
export class DispatchService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * One pending dispatch per squad, all or none. Real dispatches need available squads: the squads'
   * rows are locked in id order and flipped to assigned by a conditional UPDATE, so of fifty
   * simultaneous dispatches of one squad exactly one succeeds.
   */
  dispatch(actor: AuthUser, incidentId: string, squadIds: string[], opts: DispatchOptions): Promise<DispatchView[]> {
    return this.dataSource.transaction((m) => this.dispatchIn(m, actor, incidentId, squadIds, opts));
  }

  /**
   * The same inside the caller's transaction. A dispatch is an exercise exactly when its incident is:
   * `opts.exercise` says what the caller means to send, and a mismatch is refused rather than obeyed,
   * so a drill can never send a real squad and a real incident never gets a make-believe one.
   */
  async dispatchIn(m: EntityManager, actor: AuthUser, incidentId: string, squadIds: string[], opts: DispatchOptions): Promise<DispatchView[]> {
    const { incident, squads } = await this.incidents.lockOpenForDispatch(m, incidentId, squadIds);
    if (incident.exercise !== opts.exercise) {
      throw new DomainError('DISPATCH.EXERCISE_MISMATCH', 'conflict', { reason: incident.exercise ? 'drill_incident' : 'real_incident' });
    }
    const { exercise } = incident;
    const found = new Set(squads.map((s) => s.id));
    const missing = squadIds.filter((id) => !found.has(id));
    if (missing.length) throw new DomainError('SQUAD.NOT_FOUND', 'not_found', { id: missing.join(', ') });
    if (!exercise) {
      const busy = squads.filter((s) => s.status !== 'available');
      if (busy.length) {
        throw new DomainError('DISPATCH.SQUAD_UNAVAILABLE', 'conflict', { squads: busy.map((s) => `${s.code} (${s.status})`).join(', ') });
      }
    }
    // Exercise dispatches train the routine but never touch a squad's real availability.
    const assigned = planSquadStatus(actor, exercise ? [] : squads, 'assigned');
    // Beyond the app too: each squad's leader gets the job through the outbound port (SMS in a real city).
    const codes = new Map(squads.map((s) => [s.id, s.code]));
    const messages = squadIds.map((id) => `【调度】${codes.get(id)}：${incident.title}。请在平急应用中确认接受（${this.config.dispatchAckTimeoutSeconds}秒内）。`);
    const created = await preparedQuery<DispatchRow[]>(m, 'dispatches.create', CREATE,
      [incidentId, squadIds, opts.note ?? null, this.config.dispatchAckTimeoutSeconds, exercise, incident.drillId, actor.id, assigned.ids, assigned.to, messages]);
    const views = created.map(toDispatchView);
    await this.events.append(m, [
      ...views.map((d): NewEvent => ({
        type: 'dispatch.created',
        squadId: d.squadId,
        dispatchId: d.id,
        incidentId: incident.id,
        drillId: incident.drillId ?? undefined,
        exercise,
        actor,
        payload: { squadCode: d.squadCode, ackDeadline: d.ackDeadline, note: d.note, incident: d.incident, dispatch: d },
      })),
      ...assigned.events,
    ]);
    return views;
  }

  /** The leader accepts or declines their squad's pending dispatch. */
  acknowledge(user: AuthUser, id: string, accept: boolean, reason?: string): Promise<DispatchView> {
    return this.move(user, id, accept ? 'accepted' : 'declined', { leaderOnly: true, reason });
  }

  /** en_route, on_scene, completed: the leader reports, or the command center records it. */
  progress(user: AuthUser, id: string, to: 'en_route' | 'on_scene' | 'completed'): Promise<DispatchView> {
    return this.move(user, id, to, { leaderOnly: false });
  }

  cancel(user: AuthUser, id: string, reason: string): Promise<DispatchView> {
    return this.move(user, id, 'cancelled', { leaderOnly: false, reason });
  }

  async list(user: AuthUser, filter: { squadId?: string; status?: DispatchStatus; since?: string; limit?: number }): Promise<DispatchView[]> {
    // A leader reads their own squad's dispatches, whatever they ask for.
    const squadId = user.role === 'squad_leader' ? (user.squadId ?? '00000000-0000-0000-0000-000000000000') : filter.squadId;
    const rows: DispatchRow[] = await this.dataSource.query(
      `${DISPATCH_SELECT} WHERE ($1::uuid IS NULL OR d.squad_id = $1) AND ($2::text IS NULL OR d.status = $2)
         AND ($4::timestamptz IS NULL OR d.status = ANY($5::text[])
              OR greatest(d.created_at, d.acknowledged_at, d.en_route_at, d.on_scene_at, d.completed_at, d.cancelled_at, d.expired_at) >= $4)
       ORDER BY d.created_at DESC, d.id LIMIT $3`,
      [squadId ?? null, filter.status ?? null, filter.limit ?? 200, filter.since ?? null, ACTIVE_DISPATCH_STATUSES],
    );
    return rows.map(toDispatchView);
  }

  async get(user: AuthUser, id: string): Promise<DispatchView> {
    const [view] = await this.read(this.dataSource.manager, [id]);
    if (!view || (user.role === 'squad_leader' && view.squadId !== user.squadId)) {
      throw new DomainError('DISPATCH.NOT_FOUND', 'not_found', { id });
    }
    return view;
  }

  /**
   * Resolving or cancelling an incident ends its dispatches still under way: each is cancelled and its
   * squad freed, every one an event, in the incident's transaction.
   */
  setIncidentStatus(actor: AuthUser, id: string, status: IncidentStatus): Promise<IncidentView> {
    return this.dataSource.transaction(async (m) => {
      const view = await this.incidents.setStatusIn(m, actor, id, status);
      if (view.status !== 'open') await this.cancelActiveIn(m, actor, 'd.incident_id = $1', [id], `incident ${view.status}`);
      return view;
    });
  }

  /** A drill's end closes its incidents and calls off their dispatches (inside the drill's transaction). */
  async endDrillIncidentsIn(m: EntityManager, actor: AuthUser, drillId: string, status: 'resolved' | 'cancelled'): Promise<void> {
    const open: { id: string }[] = await m.query(`SELECT id FROM incidents WHERE drill_id = $1 AND status = 'open' ORDER BY id`, [drillId]);
    for (const { id } of open) await this.incidents.setStatusIn(m, actor, id, status);
    await this.cancelActiveIn(m, actor, 'd.drill_id = $1', [drillId], `drill ${status === 'resolved' ? 'finished' : 'cancelled'}`);
  }

  private async cancelActiveIn(m: EntityManager, actor: AuthUser, where: string, params: unknown[], reason: string): Promise<void> {
    const rows: LockedDispatch[] = await m.query(
      `SELECT ${LOCKED_COLUMNS} FROM dispatches d WHERE ${where} AND d.status = ANY($2::text[]) ORDER BY d.id FOR UPDATE`,
      [...params, ACTIVE_DISPATCH_STATUSES],
    );
    await this.events.append(m, await this.changeIn(m, actor, rows, 'cancelled', reason));
  }

  private async move(user: AuthUser, id: string, to: ChangeStatus, opts: { leaderOnly: boolean; reason?: string }): Promise<DispatchView> {
    // With an Idempotency-Key (a phone's ack or progress), the key is claimed and the answer stored in this transaction.
    return idempotentTransaction(this.dataSource, async (m) => {
      const [row]: LockedDispatch[] = await m.query(`SELECT ${LOCKED_COLUMNS} FROM dispatches d WHERE d.id = $1 FOR UPDATE`, [id]);
      if (!row) throw new DomainError('DISPATCH.NOT_FOUND', 'not_found', { id });
      if (opts.leaderOnly || user.role !== 'commander') assertActsForSquad(user, row.squad_id, { commanderToo: !opts.leaderOnly });
      // Past the deadline, whether or not the sweeper has marked it expired yet: the same answer for the phone.
      if (((row.status === 'pending' && row.overdue) || row.status === 'expired') && (to === 'accepted' || to === 'declined')) {
        throw new DomainError('DISPATCH.EXPIRED', 'conflict', 'Too late: the acknowledgement deadline has passed and the command center has been told.');
      }
      await this.events.append(m, await this.changeIn(m, user, [row], to, opts.reason ?? null));
      const [view] = await this.read(m, [id]);
      return view;
    });
  }

  /** Moves locked dispatches to `to`, and their real squads as that implies; returns the events. */
  private async changeIn(m: EntityManager, actor: AuthUser, rows: LockedDispatch[], to: ChangeStatus, reason: string | null): Promise<NewEvent[]> {
    if (!rows.length) return [];
    for (const row of rows) assertMove(row.status, to);
    const ids = rows.map((r) => r.id);
    const reasonColumn = to === 'declined' ? ', decline_reason = $3' : to === 'cancelled' ? ', cancel_reason = $3' : '';
    await m.query(
      `UPDATE dispatches SET status = $2, ${STAMP[to]} = now()${reasonColumn} WHERE id = ANY($1::uuid[])`,
      reasonColumn ? [ids, to, reason] : [ids, to],
    );
    // Check-in timer (PAR): runs while on scene, from the arrival; stops on any other state.
    await m.query(
      `UPDATE dispatches SET check_in_misses = 0,
         check_in_due_at = CASE WHEN $2 = 'on_scene' THEN now() + make_interval(secs => $3) ELSE NULL END
       WHERE id = ANY($1::uuid[])`,
      [ids, to, this.config.parIntervalSeconds],
    );
    const views = new Map((await this.read(m, ids)).map((v) => [v.id, v]));
    const events: NewEvent[] = rows.map((row) => {
      const view = views.get(row.id)!;
      return {
        ...EVENT_OF[to],
        squadId: view.squadId,
        dispatchId: view.id,
        incidentId: view.incidentId,
        drillId: view.drillId ?? undefined,
        exercise: view.exercise,
        actor,
        payload: { squadCode: view.squadCode, from: row.status, status: to, reason, incident: view.incident, dispatch: view },
      };
    });
    // Squads in id order, each to the status its dispatch now implies.
    const real = rows.filter((r) => !r.exercise);
    const squads = new Map((await lockSquads(m, real.map((r) => r.squad_id))).map((s) => [s.id, s]));
    for (const row of real) events.push(...(await changeSquadStatus(m, actor, [squads.get(row.squad_id)!], squadStatusFor(to))));
    return events;
  }

  async read(m: EntityManager, ids: string[]): Promise<DispatchView[]> {
    const rows: DispatchRow[] = await m.query(`${DISPATCH_SELECT} WHERE d.id = ANY($1::uuid[]) ORDER BY s.code`, [ids]);
    return rows.map(toDispatchView);
  }
}
