import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { assertManagesSite } from '../auth/ownership.js';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService } from '../events/events.service.js';
import { StockService } from '../supplies/stock.service.js';
import type { CapacityRow, CapacityView, ManagedSiteView, NeedLine, SiteReportView, SiteStatus, SupplyRequestView } from '../contracts/field.js';

export interface SiteReportInput {
  status: SiteStatus;
  occupancy?: number;
  capacity?: number;
  needs?: NeedLine[];
  note?: string;
}

/** A site's emergency capacity: its own figure once reported or set, else its ordinary capacity. */
export const CAPACITY_SQL = (f: string) => `COALESCE(${f}.emergency_capacity, ${f}.capacity, 0)`;
const OPEN = `('open', 'limited', 'full')`;

/** Same item twice in one report: one line with the sum. */
function mergeNeeds(needs: NeedLine[]): NeedLine[] {
  const sum = new Map<string, number>();
  for (const n of needs) sum.set(n.itemCode, (sum.get(n.itemCode) ?? 0) + n.quantity);
  return [...sum].map(([itemCode, quantity]) => ({ itemCode, quantity }));
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

interface RequestRow {
  id: string;
  facility_id: string;
  facility_code: string;
  report_id: string;
  item_code: string;
  quantity: number;
  status: 'open' | 'fulfilled';
  transfer_id: string | null;
  created_at: Date;
  fulfilled_at: Date | null;
}
const toRequestView = (r: RequestRow): SupplyRequestView => ({
  id: r.id,
  facilityId: r.facility_id,
  facilityCode: r.facility_code,
  reportId: r.report_id,
  itemCode: r.item_code,
  quantity: Number(r.quantity),
  status: r.status,
  transferId: r.transfer_id,
  createdAt: iso(r.created_at)!,
  fulfilledAt: iso(r.fulfilled_at),
});

/** Site self-reports (status, occupancy, capacity, needs), capacity per area, supply requests. */
@Injectable()
export class SitesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly stock: StockService,
  ) {}

  /** By the site's manager or a commander: kept as history, an event, and each need a supply request. */
  report(user: AuthUser, facilityId: string, input: SiteReportInput): Promise<SiteReportView> {
    return this.dataSource.transaction(async (m) => {
      const [site]: { id: string; code: string; name: string; cap: number; occupancy: number }[] = await m.query(
        `SELECT id, code, name, ${CAPACITY_SQL('f')} AS cap, occupancy FROM facilities f WHERE id = $1 FOR UPDATE`,
        [facilityId],
      );
      if (!site) throw new DomainError('FACILITY.NOT_FOUND', 'not_found', `No facility with id ${facilityId}.`);
      await assertManagesSite(m, user, facilityId);
      const needs = mergeNeeds(input.needs ?? []);
      if (needs.length) {
        const known: { code: string }[] = await m.query('SELECT code FROM supply_items WHERE code = ANY($1::text[])', [needs.map((n) => n.itemCode)]);
        const unknown = needs.map((n) => n.itemCode).filter((c) => !known.some((k) => k.code === c));
        if (unknown.length) throw new DomainError('STOCK.UNKNOWN_ITEM', 'not_found', `No supply item ${unknown.join(', ')}; see GET /api/supply-items.`);
      }
      const capacity = input.capacity ?? Number(site.cap);
      const occupancy = input.occupancy ?? (input.status === 'closed' ? 0 : Number(site.occupancy));
      const [row]: { id: string; at: Date }[] = await m.query(
        `INSERT INTO site_reports (facility_id, status, occupancy, capacity, needs, note, actor_id, actor_name)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id, at`,
        [facilityId, input.status, input.occupancy ?? null, input.capacity ?? null, JSON.stringify(needs), input.note ?? null, user.id, user.username],
      );
      await m.query(
        `UPDATE facilities SET site_status = $2, occupancy = $3, emergency_capacity = COALESCE($4, emergency_capacity), site_reported_at = $5
         WHERE id = $1`,
        [facilityId, input.status, occupancy, input.capacity ?? null, row.at],
      );
      const requests = rowsOf<{ id: string }>(
        needs.length
          ? await m.query(
              `INSERT INTO supply_requests (facility_id, report_id, item_code, quantity)
               SELECT $1, $2, r.item_code, r.quantity FROM jsonb_to_recordset($3::jsonb) AS r(item_code text, quantity int) RETURNING id`,
              [facilityId, row.id, JSON.stringify(needs.map((n) => ({ item_code: n.itemCode, quantity: n.quantity })))],
            )
          : [],
      );
      const supplyRequestIds = requests.map((r) => r.id);
      await this.events.append(m, {
        type: 'site.reported',
        audience: 'everyone',
        facilityId,
        actor: user,
        payload: { code: site.code, name: site.name, reportId: row.id, status: input.status, occupancy, capacity, needs, note: input.note ?? null, supplyRequestIds },
      });
      return {
        id: row.id,
        facilityId,
        status: input.status,
        occupancy: input.occupancy ?? null,
        capacity: input.capacity ?? null,
        needs,
        note: input.note ?? null,
        by: user.username,
        at: iso(row.at)!,
        supplyRequestIds,
      };
    });
  }

  /** A site's reports, newest first. */
  async history(facilityId: string, limit = 100): Promise<SiteReportView[]> {
    const rows: { id: string; facility_id: string; status: SiteStatus; occupancy: number | null; capacity: number | null; needs: NeedLine[]; note: string | null; actor_name: string | null; at: Date; requests: string[] | null }[] =
      await this.dataSource.query(
        `SELECT r.id, r.facility_id, r.status, r.occupancy, r.capacity, r.needs, r.note, r.actor_name, r.at,
                (SELECT array_agg(q.id::text ORDER BY q.item_code) FROM supply_requests q WHERE q.report_id = r.id) AS requests
         FROM site_reports r WHERE r.facility_id = $1 ORDER BY r.at DESC, r.id LIMIT $2`,
        [facilityId, limit],
      );
    return rows.map((r) => ({
      id: r.id,
      facilityId: r.facility_id,
      status: r.status,
      occupancy: r.occupancy,
      capacity: r.capacity,
      needs: r.needs,
      note: r.note,
      by: r.actor_name,
      at: iso(r.at)!,
      supplyRequestIds: r.requests ?? [],
    }));
  }

  /**
   * Per area and for the city: sites whose last report is open, limited or full; their emergency
   * capacity, occupancy, and free places (none at a full site; never below zero).
   */
  async capacity(area?: string): Promise<CapacityView> {
    const select = `count(f.id)::int AS "openSites", COALESCE(sum(${CAPACITY_SQL('f')}), 0)::int AS capacity,
      COALESCE(sum(f.occupancy), 0)::int AS occupancy,
      COALESCE(sum(CASE WHEN f.site_status = 'full' THEN 0 ELSE greatest(${CAPACITY_SQL('f')} - f.occupancy, 0) END), 0)::int AS free`;
    const areas: (CapacityRow & { code: string })[] = await this.dataSource.query(
      `SELECT a.code, ${select} FROM areas a LEFT JOIN facilities f ON f.area_code = a.code AND f.site_status IN ${OPEN}
       WHERE ($1::text IS NULL OR a.code = $1) GROUP BY a.code ORDER BY a.code`,
      [area ?? null],
    );
    const [city]: CapacityRow[] = await this.dataSource.query(`SELECT ${select} FROM facilities f WHERE f.site_status IN ${OPEN}`);
    return { areas, city };
  }

  /** The sites the signed-in user manages (empty for other roles). */
  async mine(user: AuthUser): Promise<ManagedSiteView[]> {
    const rows: { id: string; code: string; name: string; name_en: string | null; type: string; area_code: string; mode: string; site_status: SiteStatus | null; cap: number; occupancy: number; site_reported_at: Date | null }[] =
      await this.dataSource.query(
        `SELECT f.id, f.code, f.name, f.name_en, f.type, f.area_code, f.mode, f.site_status, ${CAPACITY_SQL('f')} AS cap, f.occupancy, f.site_reported_at
         FROM user_facilities uf JOIN facilities f ON f.id = uf.facility_id WHERE uf.user_id = $1
         ORDER BY (f.type = 'neighborhood_center') DESC, f.code`,
        [user.id],
      );
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      nameEn: r.name_en,
      type: r.type,
      areaCode: r.area_code,
      mode: r.mode,
      status: r.site_status,
      capacity: Number(r.cap),
      occupancy: Number(r.occupancy),
      reportedAt: iso(r.site_reported_at),
    }));
  }

  async requests(filter: { status?: 'open' | 'fulfilled'; facilityId?: string; limit?: number }): Promise<SupplyRequestView[]> {
    const rows: RequestRow[] = await this.dataSource.query(
      `SELECT q.*, f.code AS facility_code FROM supply_requests q JOIN facilities f ON f.id = q.facility_id
       WHERE ($1::text IS NULL OR q.status = $1) AND ($2::uuid IS NULL OR q.facility_id = $2)
       ORDER BY q.created_at DESC, q.id LIMIT $3`,
      [filter.status ?? null, filter.facilityId ?? null, filter.limit ?? 200],
    );
    return rows.map(toRequestView);
  }

  /** One click on the dashboard: the requested goods move from `fromFacilityId` to the site, and the request is fulfilled — both or neither. */
  async fulfil(actor: AuthUser, id: string, body: { fromFacilityId: string; note?: string }): Promise<SupplyRequestView> {
    const [req]: RequestRow[] = await this.dataSource.query('SELECT * FROM supply_requests WHERE id = $1', [id]);
    if (!req) throw new DomainError('SUPPLY_REQUEST.NOT_FOUND', 'not_found', { id });
    const markFulfilled = async (m: EntityManager, transferId: string) => {
      const done = rowsOf<{ id: string }>(
        await m.query(
          `UPDATE supply_requests SET status = 'fulfilled', transfer_id = $2, fulfilled_at = now() WHERE id = $1 AND status = 'open' RETURNING id`,
          [id, transferId],
        ),
      );
      if (!done.length) throw new DomainError('SUPPLY_REQUEST.ALREADY_FULFILLED', 'conflict', {});
    };
    await this.stock.transfer(
      actor,
      { fromFacilityId: body.fromFacilityId, toFacilityId: req.facility_id, itemCode: req.item_code, quantity: Number(req.quantity), note: body.note ?? `supply request ${id}` },
      markFulfilled,
    );
    const [view] = await this.requests({ facilityId: req.facility_id, limit: 1000 }).then((all) => all.filter((r) => r.id === id));
    return view;
  }
}
