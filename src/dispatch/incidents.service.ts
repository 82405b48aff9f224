import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService } from '../events/events.service.js';
import { availableSquads } from '../squads/available-squads.js';
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

  async create(actor: AuthUser, input: NewIncident, opts: { exercise?: boolean; drillId?: string } = {}): Promise<IncidentView> {
    return this.dataSource.transaction(async (m) => {
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
    });
  }

  async list(status?: string): Promise<IncidentView[]> {
    const rows: IncidentRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM incidents WHERE ($1::text IS NULL OR status = $1) ORDER BY created_at DESC LIMIT 500`,
      [status ?? null],
    );
    return rows.map(toView);
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<IncidentView> {
    const [row]: IncidentRow[] = await m.query(`SELECT ${COLUMNS} FROM incidents WHERE id = $1`, [id]);
    if (!row) throw new DomainError('INCIDENT.NOT_FOUND', 'not_found', `No incident with id ${id}.`);
    return toView(row);
  }

  /** Locks an open incident for dispatching (a resolved or cancelled one takes no new squads). */
  async lockOpen(m: EntityManager, id: string): Promise<IncidentView> {
    const [row]: IncidentRow[] = await m.query(`SELECT ${COLUMNS} FROM incidents WHERE id = $1 FOR SHARE`, [id]);
    if (!row) throw new DomainError('INCIDENT.NOT_FOUND', 'not_found', `No incident with id ${id}.`);
    if (row.status !== 'open') throw new DomainError('INCIDENT.NOT_OPEN', 'conflict', `The incident is ${row.status}: no new dispatches.`);
    return toView(row);
  }

  async setStatus(actor: AuthUser, id: string, status: 'open' | 'resolved' | 'cancelled'): Promise<IncidentView> {
    return this.dataSource.transaction(async (m) => {
      const before = await this.get(id, m);
      if (before.status === status) return before;
      if (before.status !== 'open') throw new DomainError('INCIDENT.INVALID_TRANSITION', 'conflict', `A ${before.status} incident stays ${before.status}.`);
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
    });
  }

  async recommendations(id: string, limit: number, m: EntityManager = this.dataSource.manager): Promise<Recommendation[]> {
    const incident = await this.get(id, m);
    return rankSquads(incident, await availableSquads(m), limit);
  }
}
