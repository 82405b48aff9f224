import type { MigrationInterface, QueryRunner } from 'typeorm';

export class Supplies1764158800000 implements MigrationInterface {
  name = 'Supplies1764158800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE supply_items (
        code text PRIMARY KEY,
        name text NOT NULL,
        name_en text,
        unit text NOT NULL,
        category text NOT NULL,
        shelf_life_days integer CHECK (shelf_life_days > 0)
      )`);
    await q.query(`
      CREATE TABLE reserve_requirements (
        facility_type text NOT NULL,
        item_code text NOT NULL REFERENCES supply_items (code),
        quantity integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (facility_type, item_code)
      )`);
    await q.query(`
      CREATE TABLE facility_reserve_overrides (
        facility_id uuid NOT NULL REFERENCES facilities (id),
        item_code text NOT NULL REFERENCES supply_items (code),
        quantity integer NOT NULL CHECK (quantity >= 0),
        PRIMARY KEY (facility_id, item_code)
      )`);
    await q.query(`
      CREATE TABLE stock_lots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        facility_id uuid NOT NULL REFERENCES facilities (id),
        item_code text NOT NULL REFERENCES supply_items (code),
        expires_on date,
        exercise boolean NOT NULL DEFAULT false,
        quantity integer NOT NULL CHECK (quantity >= 0),
        expiry_warned boolean NOT NULL DEFAULT false
      )`);
    // One lot per site, item, expiry date (none = never expires) and ledger (real or exercise).
    await q.query(`CREATE UNIQUE INDEX stock_lots_identity ON stock_lots (facility_id, item_code, coalesce(expires_on, 'infinity'::date), exercise)`);
    await q.query(`
      CREATE TABLE stock_movements (
        id bigserial PRIMARY KEY,
        facility_id uuid NOT NULL REFERENCES facilities (id),
        item_code text NOT NULL REFERENCES supply_items (code),
        lot_id uuid NOT NULL REFERENCES stock_lots (id),
        kind text NOT NULL CHECK (kind IN ('receive', 'issue', 'adjust', 'dispose', 'transfer_out', 'transfer_in')),
        quantity integer NOT NULL CHECK (quantity <> 0),
        exercise boolean NOT NULL DEFAULT false,
        transfer_id uuid,
        note text,
        actor_id uuid,
        actor_name text,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX stock_movements_site_item_idx ON stock_movements (facility_id, item_code, id)');
    // Crossing state for stock.low: an alert when a site falls below its requirement, not on every movement.
    await q.query(`
      CREATE TABLE stock_low_state (
        facility_id uuid NOT NULL REFERENCES facilities (id),
        item_code text NOT NULL REFERENCES supply_items (code),
        PRIMARY KEY (facility_id, item_code)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['stock_low_state', 'stock_movements', 'stock_lots', 'facility_reserve_overrides', 'reserve_requirements', 'supply_items']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
