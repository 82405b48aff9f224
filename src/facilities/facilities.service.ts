import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { describeCycle, FACILITY_PARENTS_LOCK, findParentCycles } from './parent-cycles.js';
import { FOREIGN_KEY_VIOLATION, pgError, rowsOf, UNIQUE_VIOLATION } from '../common/pg-errors.js';
import { EventsService } from '../events/events.service.js';
import { ReadinessService } from '../supplies/readiness.service.js';
import type { CreateFacilityDto, UpdateFacilityDto } from './dto/facility.dto.js';
import { type FacilityFilter, filterSql } from './facility-filter.js';
import { FACILITY_COLUMNS, type FacilityRow, toFacilityView } from './facility-row.js';
import type { FacilityView } from '../contracts/facilities.js';
import type { AreaShapesView } from '../contracts/areas.js';

/** DTO field → column, for the fields a commander may set. */
const COLUMN_OF: Record<keyof CreateFacilityDto, string> = {
  code: 'code',
  name: 'name',
  nameEn: 'name_en',
  type: 'type',
  kind: 'kind',
  areaCode: 'area_code',
  gridZoneCode: 'grid_zone_code',
  lat: 'lat',
  lng: 'lng',
  capacity: 'capacity',
  openingHours: 'opening_hours',
  parentId: 'parent_id',
  emergencyFunction: 'emergency_function',
};

const REFERENCE_OF: Record<string, string> = {
  facilities_area_code_fkey: 'areaCode: no such area (GET /api/areas)',
  facilities_grid_zone_code_fkey: 'gridZoneCode: no such grid zone',
  facilities_parent_id_fkey: 'parentId: no such facility',
};

@Injectable()
export class FacilitiesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly readiness: ReadinessService,
  ) {}

  async list(filter: FacilityFilter): Promise<FacilityView[]> {
    const { where, params } = filterSql(filter);
    const rows: FacilityRow[] = await this.dataSource.query(`SELECT ${FACILITY_COLUMNS} FROM facilities WHERE ${where} ORDER BY code`, params);
    return rows.map(toFacilityView);
  }

  async areas() {
    const rows: { code: string; name: string; name_en: string | null; lat: number; lng: number; facilities: number; grid_zones: number }[] =
      await this.dataSource.query(`
        SELECT a.code, a.name, a.name_en, a.lat, a.lng,
          (SELECT count(*)::int FROM facilities f WHERE f.area_code = a.code) AS facilities,
          (SELECT count(*)::int FROM grid_zones g WHERE g.area_code = a.code) AS grid_zones
        FROM areas a ORDER BY a.code`);
    return rows.map((r) => ({ code: r.code, name: r.name, nameEn: r.name_en, lat: r.lat, lng: r.lng, facilities: r.facilities, gridZones: r.grid_zones }));
  }

  /** The areas that have a shape, as an RFC 7946 FeatureCollection of Polygons. */
  async areaShapes(): Promise<AreaShapesView> {
    const rows: { code: string; name: string; name_en: string | null; boundary: [number, number][] }[] = await this.dataSource.query(
      'SELECT code, name, name_en, boundary FROM areas WHERE boundary IS NOT NULL ORDER BY code',
    );
    return {
      type: 'FeatureCollection' as const,
      features: rows.map((r) => ({
        type: 'Feature' as const,
        id: r.code,
        geometry: { type: 'Polygon' as const, coordinates: [r.boundary] },
        properties: { code: r.code, name: r.name, nameEn: r.name_en, approximate: true },
      })),
    };
  }

  async get(id: string): Promise<FacilityView> {
    const [row]: FacilityRow[] = await this.dataSource.query(`SELECT ${FACILITY_COLUMNS} FROM facilities WHERE id = $1`, [id]);
    if (!row) throw new DomainError('FACILITY.NOT_FOUND', 'not_found', { id });
    return toFacilityView(row);
  }

  /** One site with its stock summary: ready or not, and what is short (GET /api/facilities/:id). */
  async getWithStock(id: string) {
    const site = await this.get(id);
    const shortfalls = (await this.readiness.shortfalls([id])).map(({ itemCode, required, available }) => ({ itemCode, required, available }));
    return { ...site, stock: { ready: shortfalls.length === 0, shortfalls } };
  }

  async history(id: string) {
    await this.get(id);
    const rows: { id: string; switchover_id: string; from_mode: string; to_mode: string; at: Date; actor_name: string | null; reason: string }[] =
      await this.dataSource.query(
        `SELECT id::text AS id, switchover_id, from_mode, to_mode, at, actor_name, reason
         FROM facility_mode_history WHERE facility_id = $1 ORDER BY facility_mode_history.id DESC`,
        [id],
      );
    return rows.map((r) => ({ switchoverId: r.switchover_id, from: r.from_mode, to: r.to_mode, at: new Date(r.at).toISOString(), by: r.actor_name, reason: r.reason }));
  }

  async create(actor: AuthUser, dto: CreateFacilityDto): Promise<FacilityView> {
    this.assertKindFitsType(dto.type, dto.kind);
    const fields = Object.keys(dto) as (keyof CreateFacilityDto)[];
    return this.write(actor, 'facility.created', (m) =>
      m.query(
        `INSERT INTO facilities (${fields.map((f) => COLUMN_OF[f]).join(', ')}) VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')})
         RETURNING ${FACILITY_COLUMNS}`,
        fields.map((f) => dto[f]),
      ),
    );
  }

  async update(actor: AuthUser, id: string, dto: UpdateFacilityDto): Promise<FacilityView> {
    const current = await this.get(id);
    this.assertKindFitsType(dto.type ?? current.type, dto.kind === undefined ? (current.kind ?? undefined) : dto.kind);
    const fields = Object.keys(dto) as (keyof CreateFacilityDto)[];
    if (!fields.length) throw new DomainError('FACILITY.NOTHING_TO_CHANGE', 'invalid', 'Send at least one field to change.');
    if (dto.parentId === id) throw new DomainError('FACILITY.OWN_PARENT', 'invalid', 'parentId: a site cannot be inside itself.');
    return this.write(actor, 'facility.updated', async (m) => {
      if (dto.parentId) await m.query('SELECT pg_advisory_xact_lock($1)', [FACILITY_PARENTS_LOCK]);
      const updated = await m.query(
        `UPDATE facilities SET ${fields.map((f, i) => `${COLUMN_OF[f]} = $${i + 2}`).join(', ')}, updated_at = now()
         WHERE id = $1 RETURNING ${FACILITY_COLUMNS}`,
        [id, ...fields.map((f) => dto[f])],
      );
      // A inside B inside A: the new parent must not be inside this site.
      const [cycle] = dto.parentId ? await findParentCycles(m, [id]) : [];
      if (cycle) {
        throw new DomainError('FACILITY.PARENT_CYCLE', 'invalid', { code: cycle.code, cycle: describeCycle(cycle) });
      }
      return updated;
    });
  }

  /** Runs the write and appends its event in one transaction; database refusals become 4xx. */
  private async write(actor: AuthUser, type: 'facility.created' | 'facility.updated', statement: (m: EntityManager) => Promise<unknown>) {
    try {
      return await this.dataSource.transaction(async (m) => {
        const [row] = rowsOf<FacilityRow>(await statement(m));
        const view = toFacilityView(row);
        await this.events.append(m, { type, audience: 'staff', facilityId: view.id, actor, payload: { code: view.code, name: view.name, nameEn: view.nameEn } });
        return view;
      });
    } catch (e) {
      const { code, constraint } = pgError(e);
      if (code === UNIQUE_VIOLATION) throw new DomainError('FACILITY.CODE_TAKEN', 'conflict', 'code: another facility already has this code.');
      if (code === FOREIGN_KEY_VIOLATION) {
        throw new DomainError('FACILITY.UNKNOWN_REFERENCE', 'invalid', REFERENCE_OF[constraint ?? ''] ?? 'A referenced record does not exist.');
      }
      throw e;
    }
  }

  private assertKindFitsType(type: string, kind: string | undefined | null): void {
    if (kind && type !== 'neighborhood_center') {
      throw new DomainError('FACILITY.KIND_NOT_ALLOWED', 'invalid', 'kind: only neighborhood centers have a kind.');
    }
  }
}
