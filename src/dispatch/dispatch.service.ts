import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { assertActsForSquad } from '../auth/ownership.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { assertMove, squadStatusFor } from './dispatch-rules.js';
import { DISPATCH_SELECT, type DispatchRow, toDispatchView } from './dispatch-row.js';
import { changeSquadStatus, lockSquads } from '../squads/squad-status.js';
import { IncidentsService } from './incidents.service.js';
import type { DispatchStatus, DispatchView } from '../contracts/dispatch.js';

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
  exercise?: boolean;
  drillId?: string;
}

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
  async dispatch(actor: AuthUser, incidentId: string, squadIds: string[], opts: DispatchOptions = {}): Promise<DispatchView[]> {
    const exercise = opts.exercise ?? false;
    return this.dataSource.transaction(async (m) => {
      const incident = await this.incidents.lockOpen(m, incidentId);
      const squads = await lockSquads(m, squadIds);
      const found = new Set(squads.map((s) => s.id));
      const missing = squadIds.filter((id) => !found.has(id));
      if (missing.length) throw new DomainError('SQUAD.NOT_FOUND', 'not_found', `No squad with id ${missing.join(', ')}.`);
      if (!exercise) {
        const busy = squads.filter((s) => s.status !== 'available');
        if (busy.length) {
          throw new DomainError('DISPATCH.SQUAD_UNAVAILABLE', 'conflict',
            `Not available: ${busy.map((s) => `${s.code} (${s.status})`).join(', ')}. Nothing was dispatched.`);
        }
      }
      const squadEvents = exercise ? [] : await changeSquadStatus(m, actor, squads, 'assigned');
      const created = rowsOf<{ id: string }>(
        await m.query(
          `INSERT INTO dispatches (incident_id, squad_id, note, ack_deadline, exercise, drill_id, created_by)
           SELECT $1, unnest($2::uuid[]), $3, now() + make_interval(secs => $4), $5, $6, $7 RETURNING id`,
          [incidentId, squadIds, opts.note ?? null, this.config.dispatchAckTimeoutSeconds, exercise, opts.drillId ?? null, actor.id],
        ),
      );
      const views = await this.read(m, created.map((c) => c.id));
      await this.events.append(m, [
        ...views.map((d): NewEvent => ({
          type: 'dispatch.created',
          squadId: d.squadId,
          dispatchId: d.id,
          incidentId: incident.id,
          drillId: opts.drillId,
          exercise,
          actor,
          payload: { squadCode: d.squadCode, ackDeadline: d.ackDeadline, note: d.note, incident: d.incident, dispatch: d },
        })),
        ...squadEvents,
      ]);
      return views;
    });
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

  async list(user: AuthUser, filter: { squadId?: string; status?: DispatchStatus; limit?: number }): Promise<DispatchView[]> {
    // A leader reads their own squad's dispatches, whatever they ask for.
    const squadId = user.role === 'squad_leader' ? (user.squadId ?? '00000000-0000-0000-0000-000000000000') : filter.squadId;
    const rows: DispatchRow[] = await this.dataSource.query(
      `${DISPATCH_SELECT} WHERE ($1::uuid IS NULL OR d.squad_id = $1) AND ($2::text IS NULL OR d.status = $2)
       ORDER BY d.created_at DESC, d.id LIMIT $3`,
      [squadId ?? null, filter.status ?? null, filter.limit ?? 200],
    );
    return rows.map(toDispatchView);
  }

  async get(user: AuthUser, id: string): Promise<DispatchView> {
    const [view] = await this.read(this.dataSource.manager, [id]);
    if (!view || (user.role === 'squad_leader' && view.squadId !== user.squadId)) {
      throw new DomainError('DISPATCH.NOT_FOUND', 'not_found', `No dispatch with id ${id}.`);
    }
    return view;
  }

  private async move(user: AuthUser, id: string, to: ChangeStatus, opts: { leaderOnly: boolean; reason?: string }): Promise<DispatchView> {
    return this.dataSource.transaction(async (m) => {
      const [row]: { id: string; squad_id: string; status: DispatchStatus; exercise: boolean; drill_id: string | null; incident_id: string; overdue: boolean }[] =
        await m.query('SELECT id, squad_id, status, exercise, drill_id, incident_id, ack_deadline <= now() AS overdue FROM dispatches WHERE id = $1 FOR UPDATE', [id]);
      if (!row) throw new DomainError('DISPATCH.NOT_FOUND', 'not_found', `No dispatch with id ${id}.`);
      if (opts.leaderOnly || user.role !== 'commander') assertActsForSquad(user, row.squad_id, { commanderToo: !opts.leaderOnly });
      if (row.status === 'pending' && row.overdue && (to === 'accepted' || to === 'declined')) {
        throw new DomainError('DISPATCH.EXPIRED', 'conflict', 'Too late: the acknowledgement deadline has passed and the command center has been told.');
      }
      assertMove(row.status, to);
      await m.query(
        `UPDATE dispatches SET status = $2, ${STAMP[to]} = now()${to === 'declined' ? ', decline_reason = $3' : to === 'cancelled' ? ', cancel_reason = $3' : ''} WHERE id = $1`,
        to === 'declined' || to === 'cancelled' ? [id, to, opts.reason ?? null] : [id, to],
      );
      const [view] = await this.read(m, [id]);
      const events: NewEvent[] = [
        {
          ...EVENT_OF[to],
          squadId: view.squadId,
          dispatchId: id,
          incidentId: view.incidentId,
          drillId: view.drillId ?? undefined,
          exercise: view.exercise,
          actor: user,
          payload: { squadCode: view.squadCode, from: row.status, status: to, reason: opts.reason ?? null, incident: view.incident, dispatch: view },
        },
      ];
      // Exercise dispatches train the routine but never touch a squad's real availability.
      if (!view.exercise) events.push(...(await changeSquadStatus(m, user, await lockSquads(m, [view.squadId]), squadStatusFor(to, row.status))));
      await this.events.append(m, events);
      return view;
    });
  }

  async read(m: EntityManager, ids: string[]): Promise<DispatchView[]> {
    const rows: DispatchRow[] = await m.query(`${DISPATCH_SELECT} WHERE d.id = ANY($1::uuid[]) ORDER BY s.code`, [ids]);
    return rows.map(toDispatchView);
  }
}
