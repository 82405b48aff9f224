import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { scheduleLockedJob } from '../common/locked-job.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { shortfallSql, today } from './readiness.service.js';
import type { FacilityShortfallView } from '../contracts/supplies.js';

const STOCK_ALERTS_LOCK = 7_400_103;

/**
 * stock.low once per crossing below a requirement (the crossing state is kept in stock_low_state, so
 * a site that stays short is not re-announced, and one that recovers and falls again is), and
 * stock.expiring once per lot entering the warning window. Runs on one instance at a time.
 */
@Injectable()
export class StockAlerts implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: SchedulerRegistry,
    private readonly events: EventsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    scheduleLockedJob(this.registry, this.dataSource, {
      name: 'stock-alerts',
      ms: this.config.stockCheckIntervalMs,
      lockKey: STOCK_ALERTS_LOCK,
      work: (m) => this.check(m, new Date()),
    });
  }

  /** One check as of `now` (the tests drive the clock through it). */
  async check(m: EntityManager, now: Date): Promise<void> {
    const day = today(now);
    const short: (FacilityShortfallView & { code: string; name: string })[] = await m.query(
      `SELECT s.*, f.code, f.name FROM (${shortfallSql('true', '$1')}) s JOIN facilities f ON f.id = s."facilityId"`,
      [day],
    );
    const known: { facility_id: string; item_code: string }[] = await m.query('SELECT facility_id, item_code FROM stock_low_state FOR UPDATE');
    const key = (f: string, i: string) => `${f}|${i}`;
    const wasLow = new Set(known.map((k) => key(k.facility_id, k.item_code)));
    const isLow = new Set(short.map((s) => key(s.facilityId, s.itemCode)));
    const fell = short.filter((s) => !wasLow.has(key(s.facilityId, s.itemCode)));
    const recovered = known.filter((k) => !isLow.has(key(k.facility_id, k.item_code)));
    if (fell.length) {
      await m.query('INSERT INTO stock_low_state (facility_id, item_code) SELECT unnest($1::uuid[]), unnest($2::text[])', [
        fell.map((s) => s.facilityId), fell.map((s) => s.itemCode),
      ]);
    }
    for (const r of recovered) await m.query('DELETE FROM stock_low_state WHERE facility_id = $1 AND item_code = $2', [r.facility_id, r.item_code]);

    const expiring = rowsOf<{ id: string; facility_id: string; item_code: string; quantity: number; expires_on: string; code: string; name: string }>(
      await m.query(
        // Lots locked in id order (the sub-select), as stock changes lock them: no deadlock with one.
        `UPDATE stock_lots l SET expiry_warned = true FROM facilities f
         WHERE f.id = l.facility_id AND l.id IN (
           SELECT id FROM stock_lots WHERE NOT exercise AND NOT expiry_warned AND quantity > 0 AND expires_on <= $1::date + $2::int
           ORDER BY id FOR UPDATE)
         RETURNING l.id, l.facility_id, l.item_code, l.quantity, l.expires_on::text AS expires_on, f.code, f.name`,
        [day, this.config.stockExpiryWarningDays],
      ),
    );

    const events: NewEvent[] = [
      ...fell.map((s): NewEvent => ({
        type: 'stock.low',
        severity: 'warning',
        audience: 'staff',
        facilityId: s.facilityId,
        payload: { code: s.code, name: s.name, itemCode: s.itemCode, required: s.required, available: s.available },
      })),
      ...expiring.map((l): NewEvent => ({
        type: 'stock.expiring',
        severity: 'warning',
        audience: 'staff',
        facilityId: l.facility_id,
        payload: { code: l.code, name: l.name, itemCode: l.item_code, quantity: l.quantity, expiresOn: l.expires_on },
      })),
    ];
    if (events.length) await this.events.append(m, events);
  }
}
