import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { EventsService } from '../events/events.service.js';
import { today } from './readiness.service.js';

export const MOVEMENT_KINDS = ['receive', 'issue', 'adjust', 'dispose'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export interface MovementRequest {
  facilityId: string;
  itemCode: string;
  kind: MovementKind;
  /** receive, issue, dispose: how many (> 0); adjust: the counted quantity (≥ 0). */
  quantity: number;
  expiresOn?: string;
  note?: string;
}

interface Lot {
  id: string;
  quantity: number;
  expires_on: string | null;
}

interface Ctx {
  m: EntityManager;
  actor: AuthUser;
  exercise: boolean;
  note: string | null;
  transferId: string | null;
}

/** Advisory lock class of "one site's stock of one item" (the two-int key space, apart from the job locks). */
const STOCK_LOCK_CLASS = 7402;

/**
 * Takes the transaction locks of these sites' stocks of `itemCode`, in ascending key order, so any two
 * stock changes wait for each other in one order. Row locks alone cannot give that: a lot another
 * transaction inserts is invisible to a locking statement that started before it committed, and is
 * then locked out of order (ON CONFLICT … DO UPDATE) — a deadlock seen with 40 opposite transfers.
 */
async function lockStocks(m: EntityManager, facilityIds: string[], itemCode: string): Promise<void> {
  const keys = [...new Set(facilityIds.map((id) => createHash('sha256').update(`${id}:${itemCode}`).digest().readInt32BE(0)))].sort((a, b) => a - b);
  for (const key of keys) await m.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [STOCK_LOCK_CLASS, key]);
}

/**
 * The stock ledger. Every change is a movement row against a lot; a lot's quantity is the sum of its
 * movements. Lots are locked (FOR UPDATE, in id order, every lot a change may touch at once) before they
 * are read for a decision, so two issues at once can never both take the last unit, and two changes
 * never wait for each other's locks (no deadlock). Exercise stock is a separate ledger.
 */
@Injectable()
export class StockService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async move(actor: AuthUser, req: MovementRequest, opts: { exercise?: boolean } = {}) {
    if (req.kind !== 'adjust' && req.quantity < 1) {
      throw new DomainError('STOCK.BAD_QUANTITY', 'invalid', 'quantity must be a whole number from 1 to 1,000,000 (0 only to adjust a count).');
    }
    const exercise = opts.exercise ?? false;
    return this.dataSource.transaction(async (m) => {
      const site = await this.assertKnown(m, req.facilityId, req.itemCode);
      const ctx: Ctx = { m, actor, exercise, note: req.note ?? null, transferId: null };
      await lockStocks(m, [req.facilityId], req.itemCode);
      // Lock the item's lots at this site first: `before` and an adjustment's difference stay true.
      await m.query('SELECT id FROM stock_lots WHERE facility_id = $1 AND item_code = $2 AND exercise = $3 ORDER BY id FOR UPDATE', [
        req.facilityId, req.itemCode, exercise,
      ]);
      const before = await this.total(m, req.facilityId, req.itemCode, exercise);
      if (req.kind === 'receive') await this.put(ctx, req.facilityId, req.itemCode, req.expiresOn ?? null, req.quantity, 'receive');
      if (req.kind === 'issue') await this.take(ctx, req.facilityId, req.itemCode, req.quantity, 'issue', { expired: false });
      if (req.kind === 'dispose') await this.take(ctx, req.facilityId, req.itemCode, req.quantity, 'dispose', { expired: true });
      if (req.kind === 'adjust') {
        const delta = req.quantity - before;
        if (delta > 0) await this.put(ctx, req.facilityId, req.itemCode, req.expiresOn ?? null, delta, 'adjust');
        if (delta < 0) await this.take(ctx, req.facilityId, req.itemCode, -delta, 'adjust', { expired: true });
      }
      const after = await this.total(m, req.facilityId, req.itemCode, exercise);
      await this.events.append(m, {
        type: 'stock.moved',
        audience: 'staff',
        facilityId: req.facilityId,
        exercise,
        actor,
        payload: { code: site.code, name: site.name, itemCode: req.itemCode, kind: req.kind, quantity: req.quantity, before, after },
      });
      return { facilityId: req.facilityId, itemCode: req.itemCode, kind: req.kind, before, quantity: after, exercise };
    });
  }

  /** Both sides or neither: lots leave the sender in expiry order and arrive with their expiry dates. */
  /**
   * `first` runs at the start of the transfer's transaction with its id (a supply request marks itself
   * fulfilled there, and throws to call the transfer off).
   */
  async transfer(
    actor: AuthUser,
    req: { fromFacilityId: string; toFacilityId: string; itemCode: string; quantity: number; note?: string },
    first?: (m: EntityManager, transferId: string) => Promise<void>,
  ) {
    if (req.fromFacilityId === req.toFacilityId) {
      throw new DomainError('STOCK.SAME_SITE', 'invalid', 'fromFacilityId and toFacilityId must be different sites.');
    }
    return this.dataSource.transaction(async (m) => {
      const transferId = randomUUID();
      if (first) await first(m, transferId);
      const from = await this.assertKnown(m, req.fromFacilityId, req.itemCode);
      const to = await this.assertKnown(m, req.toFacilityId, req.itemCode);
      const ctx: Ctx = { m, actor, exercise: false, note: req.note ?? null, transferId };
      // Both sites' stock first, in one global order: A→B and B→A at once would otherwise each lock its
      // sender's lots and then wait for the other's (a deadlock). Under those locks the lots are locked
      // in id order, all of them (no other change to these stocks can be inserting a lot meanwhile).
      await lockStocks(m, [req.fromFacilityId, req.toFacilityId], req.itemCode);
      await m.query('SELECT id FROM stock_lots WHERE facility_id = ANY($1::uuid[]) AND item_code = $2 AND NOT exercise ORDER BY id FOR UPDATE', [
        [req.fromFacilityId, req.toFacilityId], req.itemCode,
      ]);
      const taken = await this.take(ctx, req.fromFacilityId, req.itemCode, req.quantity, 'transfer_out', { expired: false });
      for (const t of taken) await this.put(ctx, req.toFacilityId, req.itemCode, t.expires_on, t.quantity, 'transfer_in');
      await this.events.append(m, {
        type: 'stock.transferred',
        audience: 'staff',
        facilityId: req.fromFacilityId,
        actor,
        payload: { transferId, itemCode: req.itemCode, quantity: req.quantity, from: { id: from.id, code: from.code }, to: { id: to.id, code: to.code } },
      });
      return { transferId, itemCode: req.itemCode, quantity: req.quantity, fromFacilityId: from.id, toFacilityId: to.id };
    });
  }

  /** Per item: the real quantity on hand, the requirement and the lots (GET /api/facilities/:id/stock). */
  async stockOf(facilityId: string) {
    await this.assertKnown(this.dataSource.manager, facilityId);
    const rows: { item_code: string; name: string; name_en: string; unit: string; required: number | null; lots: { quantity: number; expiresOn: string | null }[] | null }[] =
      await this.dataSource.query(
        `WITH site AS (SELECT id, type FROM facilities WHERE id = $1),
         req AS (
           SELECT r.item_code, coalesce(o.quantity, r.quantity) AS required FROM site s
           JOIN reserve_requirements r ON r.facility_type = s.type
           LEFT JOIN facility_reserve_overrides o ON o.facility_id = s.id AND o.item_code = r.item_code
           UNION SELECT o.item_code, o.quantity FROM facility_reserve_overrides o WHERE o.facility_id = $1)
         SELECT i.code AS item_code, i.name, i.name_en, i.unit, max(req.required) AS required,
                json_agg(json_build_object('quantity', l.quantity, 'expiresOn', l.expires_on) ORDER BY l.expires_on NULLS LAST)
                  FILTER (WHERE l.quantity > 0) AS lots
         FROM supply_items i
         LEFT JOIN req ON req.item_code = i.code
         LEFT JOIN stock_lots l ON l.item_code = i.code AND l.facility_id = $1 AND NOT l.exercise
         GROUP BY i.code, i.name, i.name_en, i.unit
         HAVING max(req.required) IS NOT NULL OR count(l.id) FILTER (WHERE l.quantity > 0) > 0
         ORDER BY i.code`,
        [facilityId],
      );
    const now = today();
    return rows.map((r) => {
      const lots = r.lots ?? [];
      const usable = lots.filter((l) => !l.expiresOn || l.expiresOn >= now);
      return {
        itemCode: r.item_code,
        name: r.name,
        nameEn: r.name_en,
        unit: r.unit,
        quantity: lots.reduce((a, l) => a + l.quantity, 0),
        usable: usable.reduce((a, l) => a + l.quantity, 0),
        required: r.required ?? 0,
        lots,
      };
    });
  }

  async ledger(filter: { facilityId?: string; itemCode?: string; limit?: number }) {
    const rows = await this.dataSource.query(
      `SELECT mv.id::text AS id, mv.facility_id AS "facilityId", mv.item_code AS "itemCode", mv.kind, mv.quantity, mv.exercise,
              mv.transfer_id AS "transferId", mv.note, mv.actor_name AS "by", mv.at, l.expires_on::text AS "expiresOn"
       FROM stock_movements mv JOIN stock_lots l ON l.id = mv.lot_id
       WHERE ($1::uuid IS NULL OR mv.facility_id = $1) AND ($2::text IS NULL OR mv.item_code = $2)
       ORDER BY mv.id DESC LIMIT $3`,
      [filter.facilityId ?? null, filter.itemCode ?? null, filter.limit ?? 200],
    );
    return rows.map((r: { at: Date }) => ({ ...r, at: new Date(r.at).toISOString() }));
  }

  private async total(m: EntityManager, facilityId: string, itemCode: string, exercise: boolean): Promise<number> {
    const [row] = await m.query(
      'SELECT coalesce(sum(quantity), 0)::int AS n FROM stock_lots WHERE facility_id = $1 AND item_code = $2 AND exercise = $3',
      [facilityId, itemCode, exercise],
    );
    return row.n;
  }

  private async put(ctx: Ctx, facilityId: string, itemCode: string, expiresOn: string | null, quantity: number, kind: string): Promise<void> {
    const [lot]: { id: string }[] = await ctx.m.query(
      `INSERT INTO stock_lots (facility_id, item_code, expires_on, exercise, quantity) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (facility_id, item_code, coalesce(expires_on, 'infinity'::date), exercise)
       DO UPDATE SET quantity = stock_lots.quantity + EXCLUDED.quantity RETURNING id`,
      [facilityId, itemCode, expiresOn, ctx.exercise, quantity],
    );
    await this.record(ctx, facilityId, itemCode, lot.id, kind, quantity);
  }

  /** Takes from the lots that expire first (unexpired only, unless disposing); 409 if there is not enough. */
  private async take(ctx: Ctx, facilityId: string, itemCode: string, quantity: number, kind: string, opts: { expired: boolean }) {
    const lots: Lot[] = await ctx.m.query(
      `SELECT id, quantity, expires_on::text AS expires_on FROM stock_lots
       WHERE facility_id = $1 AND item_code = $2 AND exercise = $3 AND quantity > 0
         ${opts.expired ? '' : 'AND (expires_on IS NULL OR expires_on >= $4::date)'}
       ORDER BY expires_on NULLS LAST, id FOR UPDATE`,
      opts.expired ? [facilityId, itemCode, ctx.exercise] : [facilityId, itemCode, ctx.exercise, today()],
    );
    const available = lots.reduce((a, l) => a + l.quantity, 0);
    if (available < quantity) {
      throw new DomainError('STOCK.INSUFFICIENT', 'conflict', { available, item: itemCode, quantity });
    }
    const taken: { expires_on: string | null; quantity: number }[] = [];
    let left = quantity;
    for (const lot of lots) {
      if (left === 0) break;
      const n = Math.min(lot.quantity, left);
      left -= n;
      await ctx.m.query('UPDATE stock_lots SET quantity = quantity - $2 WHERE id = $1', [lot.id, n]);
      await this.record(ctx, facilityId, itemCode, lot.id, kind, -n);
      taken.push({ expires_on: lot.expires_on, quantity: n });
    }
    return taken;
  }

  private record(ctx: Ctx, facilityId: string, itemCode: string, lotId: string, kind: string, quantity: number): Promise<unknown> {
    return ctx.m.query(
      `INSERT INTO stock_movements (facility_id, item_code, lot_id, kind, quantity, exercise, transfer_id, note, actor_id, actor_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [facilityId, itemCode, lotId, kind, quantity, ctx.exercise, ctx.transferId, ctx.note, ctx.actor.id, ctx.actor.username],
    );
  }

  private async assertKnown(m: EntityManager, facilityId: string, itemCode?: string): Promise<{ id: string; code: string; name: string }> {
    const [site] = await m.query('SELECT id, code, name FROM facilities WHERE id = $1', [facilityId]);
    if (!site) throw new DomainError('FACILITY.NOT_FOUND', 'not_found', { id: facilityId });
    if (itemCode !== undefined) {
      const [item] = await m.query('SELECT code FROM supply_items WHERE code = $1', [itemCode]);
      if (!item) throw new DomainError('STOCK.UNKNOWN_ITEM', 'not_found', { item: `"${itemCode}"` });
    }
    return site;
  }
}
