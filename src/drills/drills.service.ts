import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { DispatchService } from '../dispatch/dispatch.service.js';
import { IncidentsService } from '../dispatch/incidents.service.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { assertDrillAllows } from './drill-rules.js';
import type { DrillKind, DrillStatus, DrillView } from '../contracts/drills.js';

type DrillChangeType = 'drill.planned' | 'drill.started' | 'drill.finished' | 'drill.cancelled';

export interface NewDrill {
  title: string;
  kind: 'drill' | 'training';
  scenario?: string;
  areas?: string[];
  plannedStart: string;
  plannedEnd: string;
  squadIds: string[];
  facilityIds?: string[];
}

interface DrillRow {
  id: string;
  title: string;
  kind: DrillKind;
  scenario: string | null;
  areas: string[];
  planned_start: Date;
  planned_end: Date;
  actual_start: Date | null;
  actual_end: Date | null;
  status: DrillStatus;
  summary: string | null;
  coordinator_name: string | null;
  squad_ids: string[] | null;
  facility_ids: string[] | null;
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const SELECT = `
  SELECT d.*, (SELECT array_agg(squad_id) FROM drill_squads s WHERE s.drill_id = d.id) AS squad_ids,
              (SELECT array_agg(facility_id) FROM drill_facilities f WHERE f.drill_id = d.id) AS facility_ids
  FROM drills d`;
const toView = (r: DrillRow): DrillView => ({
  id: r.id,
  title: r.title,
  kind: r.kind,
  scenario: r.scenario,
  areas: r.areas,
  plannedStart: iso(r.planned_start)!,
  plannedEnd: iso(r.planned_end)!,
  actualStart: iso(r.actual_start),
  actualEnd: iso(r.actual_end),
  status: r.status,
  summary: r.summary,
  coordinator: r.coordinator_name,
  squadIds: r.squad_ids ?? [],
  facilityIds: r.facility_ids ?? [],
  exercise: true,
});

/**
 * Drills and trainings. Everything a drill produces is exercise traffic: its events carry
 * exercise: true and drillId, its dispatches never touch a squad's real availability.
 */
@Injectable()
export class DrillsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly incidents: IncidentsService,
    private readonly dispatches: DispatchService,
  ) {}

  async create(actor: AuthUser, input: NewDrill): Promise<DrillView> {
    if (new Date(input.plannedEnd) <= new Date(input.plannedStart)) {
      throw new DomainError('DRILL.BAD_PERIOD', 'invalid', 'plannedEnd must be after plannedStart.');
    }
    return this.dataSource.transaction(async (m) => {
      const squads = await m.query('SELECT id FROM squads WHERE id = ANY($1::uuid[])', [input.squadIds]);
      if (squads.length !== input.squadIds.length) throw new DomainError('SQUAD.NOT_FOUND', 'not_found', 'squadIds names a squad that does not exist.');
      const areas = [...new Set(input.areas ?? [])];
      const known: { code: string }[] = await m.query('SELECT code FROM areas WHERE code = ANY($1::text[])', [areas]);
      const unknown = areas.filter((a) => !known.some((k) => k.code === a));
      if (unknown.length) throw new DomainError('DRILL.UNKNOWN_AREA', 'invalid', { areas: unknown.join(', ') });
      const facilityIds = input.facilityIds ?? [];
      const sites = await m.query('SELECT id FROM facilities WHERE id = ANY($1::uuid[])', [facilityIds]);
      if (sites.length !== facilityIds.length) throw new DomainError('FACILITY.NOT_FOUND', 'not_found', 'facilityIds names a site that does not exist.');
      const [{ id }] = await m.query(
        `INSERT INTO drills (title, kind, scenario, areas, planned_start, planned_end, coordinator_id, coordinator_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [input.title, input.kind, input.scenario ?? null, input.areas ?? [], input.plannedStart, input.plannedEnd, actor.id, actor.username],
      );
      await m.query('INSERT INTO drill_squads (drill_id, squad_id) SELECT $1, unnest($2::uuid[])', [id, input.squadIds]);
      await m.query('INSERT INTO drill_facilities (drill_id, facility_id) SELECT $1, unnest($2::uuid[])', [id, facilityIds]);
      const view = await this.read(m, id);
      await this.events.append(m, this.changed('drill.planned', actor, view));
      return view;
    });
  }

  async list(filter: { year?: number; status?: DrillStatus }): Promise<DrillView[]> {
    const rows: DrillRow[] = await this.dataSource.query(
      `${SELECT} WHERE ($1::int IS NULL OR extract(year FROM d.planned_start) = $1) AND ($2::text IS NULL OR d.status = $2)
       ORDER BY d.planned_start DESC LIMIT 1000`,
      [filter.year ?? null, filter.status ?? null],
    );
    return rows.map(toView);
  }

  /** Years with drills (by planned start, UTC), newest first, and `current` always. */
  async years(current: number): Promise<number[]> {
    const rows: { year: number }[] = await this.dataSource.query(
      'SELECT DISTINCT extract(year FROM planned_start)::int AS year FROM drills',
    );
    return [...new Set([current, ...rows.map((r) => Number(r.year))])].sort((a, b) => b - a);
  }

  get(id: string): Promise<DrillView> {
    return this.read(this.dataSource.manager, id);
  }

  start(actor: AuthUser, id: string) {
    return this.transition(actor, id, 'start', 'running', 'actual_start = now()', 'drill.started');
  }

  finish(actor: AuthUser, id: string, summary?: string) {
    return this.transition(actor, id, 'finish', 'finished', 'actual_end = now(), summary = coalesce($2, summary)', 'drill.finished', [summary ?? null]);
  }

  cancel(actor: AuthUser, id: string) {
    return this.transition(actor, id, 'cancel', 'cancelled', 'actual_end = coalesce(actual_end, now())', 'drill.cancelled');
  }

  /** A coordinator's entry in the activity log (ICS-214 style): who, when, what. */
  async log(actor: AuthUser, id: string, text: string, at?: string) {
    return this.dataSource.transaction(async (m) => {
      const drill = await this.lock(m, id);
      assertDrillAllows(drill.status, 'log');
      const [entry] = await m.query(
        `INSERT INTO drill_log (drill_id, at, text, actor_id, actor_name) VALUES ($1, coalesce($2::timestamptz, now()), $3, $4, $5)
         RETURNING id::text AS id, at, text, actor_name AS "by"`,
        [id, at ?? null, text, actor.id, actor.username],
      );
      await this.events.append(m, {
        type: 'drill.logged',
        ...this.envelope(actor, drill),
        payload: { title: drill.title, text, at: new Date(entry.at).toISOString() },
      });
      return { ...entry, at: new Date(entry.at).toISOString() };
    });
  }

  /**
   * The activity log, oldest first: the coordinator's entries and what the system did (the drill's
   * events: started, exercise dispatch sent, acknowledged, arrived, finished).
   */
  async logOf(id: string) {
    await this.get(id);
    const rows: { at: Date; text: string; by: string | null; source: string; type: string | null }[] = await this.dataSource.query(
      `SELECT at, text, actor_name AS by, 'coordinator' AS source, NULL AS type FROM drill_log WHERE drill_id = $1
       UNION ALL
       SELECT e.at, coalesce(e.payload->>'squadCode', e.payload->>'title', ''), e.actor_name, 'system', e.type
       FROM events e WHERE e.drill_id = $1 AND e.type NOT IN ('drill.logged', 'squad.position')
       ORDER BY 1`,
      [id],
    );
    return rows.map((r) => ({ at: new Date(r.at).toISOString(), text: r.text, by: r.by, source: r.source, type: r.type }));
  }

  /**
   * Exercise dispatches: the real flow and screens, marked exercise, never touching real availability.
   * The drill's incident and its dispatches are made in one transaction under the drill's lock, so a
   * drill that finishes meanwhile cannot leave a dispatch behind.
   */
  dispatch(actor: AuthUser, id: string, input: { squadIds: string[]; title: string; lat: number; lng: number }) {
    return this.dataSource.transaction(async (m) => {
      const drill = await this.lock(m, id);
      assertDrillAllows(drill.status, 'dispatch');
      const notIn = input.squadIds.filter((s) => !drill.squadIds.includes(s));
      if (notIn.length) throw new DomainError('DRILL.SQUAD_NOT_PARTICIPATING', 'invalid', { squads: notIn.join(', ') });
      const incident = await this.incidents.createIn(
        m,
        actor,
        { kind: 'other', severity: 'minor', title: `【演练 DRILL】${input.title}`, lat: input.lat, lng: input.lng },
        { exercise: true, drillId: id },
      );
      return this.dispatches.dispatchIn(m, actor, incident.id, input.squadIds, { exercise: true });
    });
  }

  private async transition(actor: AuthUser, id: string, action: 'start' | 'finish' | 'cancel', to: DrillStatus, set: string, type: DrillChangeType, params: unknown[] = []) {
    return this.dataSource.transaction(async (m) => {
      const drill = await this.lock(m, id);
      assertDrillAllows(drill.status, action);
      await m.query(`UPDATE drills SET status = '${to}', ${set} WHERE id = $1`, [id, ...params]);
      // A drill that ends leaves nothing of it open: its incidents close and their dispatches are called off.
      if (to !== 'running') await this.dispatches.endDrillIncidentsIn(m, actor, id, to === 'finished' ? 'resolved' : 'cancelled');
      const view = await this.read(m, id);
      await this.events.append(m, this.changed(type, actor, view));
      return view;
    });
  }

  private changed(type: DrillChangeType, actor: AuthUser, drill: DrillView): NewEvent {
    return { type, ...this.envelope(actor, drill), payload: { title: drill.title, kind: drill.kind, status: drill.status } };
  }

  /** Drill events are staff-only exercises. */
  private envelope(actor: AuthUser, drill: DrillView) {
    return { audience: 'staff' as const, exercise: true, drillId: drill.id, actor };
  }

  private async lock(m: EntityManager, id: string): Promise<DrillView> {
    const rows = await m.query('SELECT id FROM drills WHERE id = $1 FOR UPDATE', [id]);
    if (!rows.length) throw new DomainError('DRILL.NOT_FOUND', 'not_found', { id });
    return this.read(m, id);
  }

  private async read(m: EntityManager, id: string): Promise<DrillView> {
    const [row]: DrillRow[] = await m.query(`${SELECT} WHERE d.id = $1`, [id]);
    if (!row) throw new DomainError('DRILL.NOT_FOUND', 'not_found', { id });
    return toView(row);
  }
}
