import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toCsv, withBom } from '../common/csv.js';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from '../common/auth-user.js';
import { EVENT_COLUMNS, type EventRow } from '../events/event-row.js';
import { EventsService } from '../events/events.service.js';
import { FACILITY_COLUMNS_IN_FILES } from './dto/facility-import-row.dto.js';
import { SQUAD_COLUMNS_IN_FILES } from './dto/squad-import-row.dto.js';

/** The longest span one event-log export may cover (a year of a typhoon season and then some). */
const MAX_RANGE_DAYS = 366;
const EVENT_PAGE = 5000;
const EVENT_HEADER = ['id', 'at', 'type', 'severity', 'exercise', 'audience', 'actor', 'facilityId', 'squadId', 'dispatchId', 'incidentId', 'drillId', 'payload'];

const list = (values: string[] | null) => (values ?? []).join(';');

/**
 * The city's records as files: sites and squads in exactly the columns the import reads (an export
 * imports back unchanged), and the event log for a time range as an audit trail.
 */
@Injectable()
export class ExportsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async facilitiesCsv(): Promise<string> {
    const rows: Record<string, string | number | null>[] = await this.dataSource.query(`
      SELECT f.code, f.name, f.name_en AS "nameEn", f.type, f.kind, f.area_code AS "areaCode", NULL AS "areaName",
             f.grid_zone_code AS "gridZoneCode", f.lat, f.lng, f.capacity, f.opening_hours AS "openingHours",
             p.code AS "parentCode", f.emergency_function AS "emergencyFunction"
      FROM facilities f LEFT JOIN facilities p ON p.id = f.parent_id ORDER BY f.code`);
    return withBom(toCsv([[...FACILITY_COLUMNS_IN_FILES], ...rows.map((r) => FACILITY_COLUMNS_IN_FILES.map((c) => r[c]))]));
  }

  /**
   * One line per member (a squad without members gets one line with the member columns empty). The file
   * carries members' personal data, so reading it and recording who did (`export.personal_data`) are one transaction.
   */
  async squadsCsv(actor: AuthUser): Promise<string> {
    return this.dataSource.transaction(async (m) => {
      const rows: {
        code: string; name: string; area_code: string; base_code: string | null; skills: string[];
        member_name: string | null; phone: string | null; member_skills: string[] | null; party_member: boolean | null; is_leader: boolean | null;
      }[] = await m.query(`
        SELECT s.code, s.name, s.area_code, f.code AS base_code, s.skills,
               m.name AS member_name, m.phone, m.skills AS member_skills, m.party_member, m.is_leader
        FROM squads s LEFT JOIN facilities f ON f.id = s.base_facility_id LEFT JOIN squad_members m ON m.squad_id = s.id
        ORDER BY s.code, m.is_leader DESC, m.name, m.phone`);
      const lines = rows.map((r) => [
        r.code, r.name, r.area_code, r.base_code, list(r.skills),
        r.member_name, r.phone, r.member_name ? list(r.member_skills) : null, r.member_name ? r.party_member : null, r.member_name ? r.is_leader : null,
      ]);
      const members = rows.filter((r) => r.member_name !== null).length;
      await this.events.append(m, {
        type: 'export.personal_data',
        audience: 'staff',
        actor,
        payload: { file: 'squads.csv', squads: new Set(rows.map((r) => r.code)).size, members },
      });
      return withBom(toCsv([[...SQUAD_COLUMNS_IN_FILES], ...lines]));
    });
  }

  /** Checks a requested range: from before to, at most MAX_RANGE_DAYS. */
  range(fromText: string, toText?: string): { from: Date; to: Date } {
    const from = new Date(fromText);
    const to = toText ? new Date(toText) : new Date();
    if (!(to > from)) throw new DomainError('EXPORT.BAD_RANGE', 'invalid', '`to` must be after `from`.');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) {
      throw new DomainError('EXPORT.RANGE_TOO_LONG', 'invalid', { maxDays: MAX_RANGE_DAYS });
    }
    return { from, to };
  }

  /**
   * The event log between two instants as CSV, oldest first, page by page so a long range never sits
   * in memory. The id bounds come from the time index; pages then walk the primary key.
   */
  async *eventsCsv(from: Date, to: Date): AsyncGenerator<string> {
    yield withBom(toCsv([EVENT_HEADER]));
    const [bounds]: { first: string | null; last: string | null }[] = await this.dataSource.query(
      'SELECT min(id)::text AS first, max(id)::text AS last FROM events WHERE at >= $1 AND at < $2',
      [from, to],
    );
    if (!bounds.first || !bounds.last) return;
    let after = (BigInt(bounds.first) - 1n).toString();
    for (;;) {
      const rows: EventRow[] = await this.dataSource.query(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE id > $1 AND id <= $2 AND at >= $3 AND at < $4 ORDER BY events.id LIMIT ${EVENT_PAGE}`,
        [after, bounds.last, from, to],
      );
      if (!rows.length) return;
      yield toCsv(
        rows.map((e) => [
          e.id, new Date(e.at).toISOString(), e.type, e.severity, e.exercise, e.audience, e.actor_name,
          e.facility_id, e.squad_id, e.dispatch_id, e.incident_id, e.drill_id, JSON.stringify(e.payload),
        ]),
      );
      after = rows[rows.length - 1].id;
    }
  }
}
