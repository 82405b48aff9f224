import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import { preparedQuery } from '../database/prepared.js';
import { EventsService } from '../events/events.service.js';
import { availableSquads } from '../squads/available-squads.js';
import { type LockedSquad, lockSquadsStatement } from '../squads/squad-status.js';
import { rankSquads } from './recommend.js';
import type { Severity } from '../contracts/events.js';
import type { IncidentKind, IncidentSeverity, IncidentStatus, IncidentView, Recommendation } from '../contracts/dispatch.js';


export interface NewIncident {
  kind: IncidentKind;
  severity: IncidentSeverity;
  title: string;
  description?: string;
  lat: number;
  lng: number;
  requiredSkills?: string[];
}

interface IncidentRow {
  id: string;
  kind: IncidentKind;
  severity: IncidentSeverity;
  title: string;
  description: string | null;
  lat: number;
  lng: number;
  required_skills: string[];
  status: IncidentStatus;
  exercise: boolean;
  drill_id: string | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, kind, severity, title, description, lat, lng, required_skills, status, exercise, drill_id, created_at, updated_at';
const toView = (r: IncidentRow): IncidentView => ({
  id: r.id,
  kind: r.kind,
  severity: r.severity,
  title: r.title,
  description: r.description,
  lat: r.lat,
  lng: r.lng,
  requiredSkills: r.required_skills,
  status: r.status,
  exercise: r.exercise,
  drillId: r.drill_id,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** CAP severities as event severities: extreme → critical, severe → warning. */
const EVENT_SEVERITY: Record<string, Severity> = { extreme: 'critical', severe: 'warning', moderate: 'info', minor: 'info' };

@Injectable()
export class IncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  create(actor: AuthUser, input: NewIncident): Promise<IncidentView> {
    return this.dataSource.transaction((m) => this.createIn(m, actor, input));
  }

  /** In the caller's transaction; a drill's incidents are exercises and carry the drill. */
  async createIn(m: EntityManager, actor: AuthUser, input: NewIncident, opts: { exercise?: boolean; drillId?: string } = {}): Promise<IncidentView> {
    const [row]: IncidentRow[] = await m.query(
      `INSERT INTO incidents (kind, severity, title, description, lat, lng, required_skills, exercise, drill_id, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${COLUMNS}`,
      [input.kind, input.severity, input.title, input.description ?? null, input.lat, input.lng, [...new Set(input.requiredSkills ?? [])],
        opts.exercise ?? false, opts.drillId ?? null, actor.id],
    );
    const view = toView(row);
    await this.events.append(m, {
      type: 'incident.created',
      severity: EVENT_SEVERITY[view.severity],
      incidentId: view.id,
      drillId: opts.drillId,
      exercise: view.exercise,
      actor,
      payload: { title: view.title, kind: view.kind, severity: view.severity, lat: view.lat, lng: view.lng, requiredSkills: view.requiredSkills },
    });
    return view;
  }

  async list(filter: { status?: IncidentStatus; exercise?: boolean }): Promise<IncidentView[]> {
    const rows: IncidentRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM incidents WHERE ($1::text IS NULL OR status = $1) AND ($2::boolean IS NULL OR exercise = $2)
       ORDER BY created_at DESC LIMIT 500`,
      [filter.status ?? null, filter.exercise ?? null],
    );
    return rows.map(toView);
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<IncidentView> {
    const [row]: IncidentRow[] = await m.query(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
    if (!row) throw new DomainError('INCIDENT.NOT_FOUND', 'not_found', { id });
    return toView(row);
  }

  /**
   * A dispatch's locks, in one round trip: the open incident (a resolved or cancelled one takes no new
   * squads), then the squads in id order (lockSquadsStatement). The incident comes first: the squads'
   * subquery refers to its row, so it runs only once the row is read and locked, and only when the
   * incident is open (a missing or closed one locks no squad). Squads that do not exist are not in `squads`.
   */
  async lockOpenForDispatch(m: EntityManager, id: string, squadIds: string[]): Promise<{ incident: IncidentView; squads: LockedSquad[] }> {
    const [row] = await preparedQuery<(IncidentRow & { squads: LockedSquad[] })[]>(m, 'incidents.lock_for_dispatch',
      `WITH i AS MATERIALIZED (SELECT ${COLUMNS} FROM incidents WHERE id = $1 FOR SHARE)
       SELECT i.*, (SELECT coalesce(json_agg(s), '[]') FROM (${lockSquadsStatement('$2')}) s WHERE i.status = 'open') AS squads FROM i`, [id, squadIds]);
    if (!row) throw new DomainError('INCIDENT.NOT_FOUND', 'not_found', { id });
    if (row.status !== 'open') throw new DomainError('INCIDENT.NOT_OPEN', 'conflict', { status: row.status });
    return { incident: toView(row), squads: row.squads };
  }

  /** Resolves or cancels an open incident, in the caller's transaction (its dispatches are the caller's to end). */
  async setStatusIn(m: EntityManager, actor: AuthUser, id: string, status: IncidentStatus): Promise<IncidentView> {
    const [locked]: IncidentRow[] = await m.query(`SELECT ${COLUMNS} FROM incidents WHERE id = $1 FOR UPDATE`, [id]);
    if (!locked) throw new DomainError('INCIDENT.NOT_FOUND', 'not_found', { id });
    const before = toView(locked);
    if (before.status === status) return before;
    if (before.status !== 'open') throw new DomainError('INCIDENT.INVALID_TRANSITION', 'conflict', { status: before.status });
    const [row] = rowsOf<IncidentRow>(await m.query(`UPDATE incidents SET status = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`, [id, status]));
    const view = toView(row);
    await this.events.append(m, {
      type: 'incident.updated',
      incidentId: id,
      drillId: view.drillId ?? undefined,
      exercise: view.exercise,
      actor,
      payload: { title: view.title, kind: view.kind, severity: view.severity, from: before.status, status, lat: view.lat, lng: view.lng },
    });
    return view;
  }

  async recommendations(id: string, limit: number, m: EntityManager = this.dataSource.manager): Promise<Recommendation[]> {
    const incident = await this.get(id, m);
    const passedOver: { squad_id: string }[] = await m.query(
      `SELECT DISTINCT squad_id FROM dispatches WHERE incident_id = $1 AND status IN ('declined', 'expired')`,
      [id],
    );
    return rankSquads(incident, await availableSquads(m), limit, new Set(passedOver.map((r) => r.squad_id)));
  }
}
