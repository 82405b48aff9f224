import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { EventsService } from '../events/events.service.js';
import type { RequirementDto } from './dto/stock.dto.js';
import type { SupplyItemView } from '../contracts/supplies.js';

/** The supply catalog and the reserve requirements: per facility type, overridable per site. */
const requirementKey = (r: RequirementDto) => (r.facilityType ? `0 ${r.facilityType} ${r.itemCode}` : `1 ${r.facilityId} ${r.itemCode}`);
const byRequirementKey = (a: RequirementDto, b: RequirementDto) => (requirementKey(a) < requirementKey(b) ? -1 : requirementKey(a) > requirementKey(b) ? 1 : 0);

@Injectable()
export class CatalogService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  items(): Promise<SupplyItemView[]> {
    return this.dataSource.query(
      `SELECT code, name, name_en AS "nameEn", unit, category, shelf_life_days AS "shelfLifeDays" FROM supply_items ORDER BY category, code`,
    );
  }

  async requirements() {
    const [byType, overrides] = await Promise.all([
      this.dataSource.query(`SELECT facility_type AS "facilityType", item_code AS "itemCode", quantity FROM reserve_requirements ORDER BY 1, 2`),
      this.dataSource.query(
        `SELECT o.facility_id AS "facilityId", f.code AS "facilityCode", o.item_code AS "itemCode", o.quantity
         FROM facility_reserve_overrides o JOIN facilities f ON f.id = o.facility_id ORDER BY f.code, o.item_code`,
      ),
    ]);
    return { byType, overrides };
  }

  /** Upserts requirements (quantity 0 removes one); all rows or none. */
  async putRequirements(actor: AuthUser, rows: RequirementDto[]) {
    for (const [i, r] of rows.entries()) {
      if (!r.facilityType === !r.facilityId) {
        throw new DomainError('RESERVE.BAD_TARGET', 'invalid', { field: `requirements[${i}]` });
      }
    }
    await this.dataSource.transaction(async (m) => {
      const items = new Set((await m.query('SELECT code FROM supply_items')).map((r: { code: string }) => r.code));
      const unknown = rows.filter((r) => !items.has(r.itemCode)).map((r) => r.itemCode);
      if (unknown.length) throw new DomainError('STOCK.UNKNOWN_ITEM', 'not_found', { item: [...new Set(unknown)].join(', ') });
      // Rows written in one fixed order (by key): two requests naming the same requirements in different
      // orders would otherwise each lock a row the other one waits for (a deadlock).
      for (const r of [...rows].sort(byRequirementKey)) {
        if (r.facilityType) {
          await (r.quantity === 0
            ? m.query('DELETE FROM reserve_requirements WHERE facility_type = $1 AND item_code = $2', [r.facilityType, r.itemCode])
            : m.query(
                `INSERT INTO reserve_requirements (facility_type, item_code, quantity) VALUES ($1, $2, $3)
                 ON CONFLICT (facility_type, item_code) DO UPDATE SET quantity = EXCLUDED.quantity`,
                [r.facilityType, r.itemCode, r.quantity],
              ));
        } else {
          const [site] = await m.query('SELECT id FROM facilities WHERE id = $1', [r.facilityId]);
          if (!site) throw new DomainError('FACILITY.NOT_FOUND', 'not_found', { id: r.facilityId });
          await m.query(
            `INSERT INTO facility_reserve_overrides (facility_id, item_code, quantity) VALUES ($1, $2, $3)
             ON CONFLICT (facility_id, item_code) DO UPDATE SET quantity = EXCLUDED.quantity`,
            [r.facilityId, r.itemCode, r.quantity],
          );
        }
      }
      await this.events.append(m, { type: 'reserve.requirements_changed', audience: 'staff', actor, payload: { requirements: rows } });
    });
    return this.requirements();
  }
}
