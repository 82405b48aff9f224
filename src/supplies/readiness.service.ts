import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { availableSquads } from '../squads/available-squads.js';
import { distanceM } from '../common/geo.js';
import type { ReadinessView } from '../contracts/operations.js';

export interface Shortfall {
  facilityId: string;
  itemCode: string;
  required: number;
  available: number;
}

/**
 * What each site should hold (its type's requirement, or its own override) against what it holds in
 * real, unexpired lots. One SQL for readiness, the switchover's shortfalls and the stock.low job.
 */
export function shortfallSql(facilityWhere: string, todayParam: string): string {
  return `
    WITH site AS (SELECT id, type FROM facilities f WHERE ${facilityWhere}),
    req AS (
      SELECT s.id AS facility_id, r.item_code, coalesce(o.quantity, r.quantity) AS required
      FROM site s JOIN reserve_requirements r ON r.facility_type = s.type
      LEFT JOIN facility_reserve_overrides o ON o.facility_id = s.id AND o.item_code = r.item_code
      UNION ALL
      SELECT o.facility_id, o.item_code, o.quantity FROM facility_reserve_overrides o JOIN site s ON s.id = o.facility_id
      WHERE NOT EXISTS (SELECT 1 FROM reserve_requirements r WHERE r.facility_type = s.type AND r.item_code = o.item_code)
    ),
    avail AS (
      SELECT facility_id, item_code, sum(quantity)::int AS available FROM stock_lots
      WHERE NOT exercise AND (expires_on IS NULL OR expires_on >= ${todayParam}::date) AND facility_id IN (SELECT id FROM site)
      GROUP BY facility_id, item_code
    )
    SELECT req.facility_id AS "facilityId", req.item_code AS "itemCode", req.required, coalesce(avail.available, 0) AS available
    FROM req LEFT JOIN avail USING (facility_id, item_code)
    WHERE req.required > coalesce(avail.available, 0)
    ORDER BY req.facility_id, req.item_code`;
}

export const today = (at = new Date()) => at.toISOString().slice(0, 10);

/** "Nearby" for readiness: available squads within 5 km (straight line) of a site. */
const NEARBY_M = 5000;

@Injectable()
export class ReadinessService {
  constructor(private readonly dataSource: DataSource) {}

  /** Shortfalls of the given sites (the switchover reports them for the sites it switched). */
  shortfalls(facilityIds: string[], m: EntityManager = this.dataSource.manager): Promise<Shortfall[]> {
    if (!facilityIds.length) return Promise.resolve([]);
    return m.query(shortfallSql('f.id = ANY($1::uuid[])', '$2'), [facilityIds, today()]);
  }

  /** Per site: ready or not, its shortfalls and the lots expiring soon; and a summary per area and type. */
  async readiness(filter: { area?: string; type?: string }, expiringWithinDays: number): Promise<ReadinessView> {
    const where = '($1::text IS NULL OR f.area_code = $1) AND ($2::text IS NULL OR f.type = $2)';
    const params = [filter.area ?? null, filter.type ?? null];
    const [sites, shortfalls, expiring, squads] = await Promise.all([
      this.dataSource.query(`SELECT id, code, name, name_en, type, area_code, lat, lng FROM facilities f WHERE ${where} ORDER BY code`, params),
      this.dataSource.query(shortfallSql(where, '$3'), [...params, today()]) as Promise<Shortfall[]>,
      this.dataSource.query(
        `SELECT l.facility_id AS "facilityId", l.item_code AS "itemCode", l.quantity, l.expires_on::text AS "expiresOn"
         FROM stock_lots l JOIN facilities f ON f.id = l.facility_id
         WHERE ${where} AND NOT l.exercise AND l.quantity > 0 AND l.expires_on BETWEEN $3::date AND $3::date + $4::int
         ORDER BY l.expires_on`,
        [...params, today(), expiringWithinDays],
      ) as Promise<{ facilityId: string; itemCode: string; quantity: number; expiresOn: string }[]>,
      availableSquads(this.dataSource.manager),
    ]);
    // The available squads within reach of each site, nearest first.
    const nearby = (site: { lat: number; lng: number }) =>
      squads
        .map((q) => ({ squadId: q.squadId, code: q.code, distanceM: Math.round(distanceM(site, q)) }))
        .filter((q) => q.distanceM <= NEARBY_M)
        .sort((a, b) => a.distanceM - b.distanceM)
        .slice(0, 3);
    const group = <T extends { facilityId: string }>(rows: T[]) => {
      const by = new Map<string, Omit<T, 'facilityId'>[]>();
      for (const { facilityId, ...rest } of rows) by.set(facilityId, [...(by.get(facilityId) ?? []), rest]);
      return by;
    };
    const shortBy = group(shortfalls);
    const expiringBy = group(expiring);
    const rows = (sites as { id: string; code: string; name: string; name_en: string | null; type: string; area_code: string; lat: number; lng: number }[]).map((s) => ({
      facilityId: s.id,
      code: s.code,
      name: s.name,
      nameEn: s.name_en,
      type: s.type,
      areaCode: s.area_code,
      ready: !shortBy.has(s.id),
      shortfalls: shortBy.get(s.id) ?? [],
      expiringSoon: expiringBy.get(s.id) ?? [],
      squadsNearby: nearby(s),
    }));
    const summarize = (key: 'areaCode' | 'type') => {
      const out: Record<string, { sites: number; ready: number }> = {};
      for (const r of rows) {
        out[r[key]] ??= { sites: 0, ready: 0 };
        out[r[key]].sites += 1;
        if (r.ready) out[r[key]].ready += 1;
      }
      return out;
    };
    return { sites: rows, summary: { sites: rows.length, ready: rows.filter((r) => r.ready).length, byArea: summarize('areaCode'), byType: summarize('type') } };
  }
}
