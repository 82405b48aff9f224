import type { EntityManager } from 'typeorm';
import { seededRandom } from './random.js';

export const SUPPLY_ITEMS = [
  { code: 'water', name: '饮用水', name_en: 'Drinking water', unit: '箱', category: 'food_water', shelf_life_days: 365 },
  { code: 'instant_food', name: '方便食品', name_en: 'Instant food', unit: '箱', category: 'food_water', shelf_life_days: 270 },
  { code: 'rice', name: '大米', name_en: 'Rice', unit: '袋(10kg)', category: 'food_water', shelf_life_days: 365 },
  { code: 'blanket', name: '棉被', name_en: 'Blankets', unit: '床', category: 'shelter', shelf_life_days: null },
  { code: 'folding_bed', name: '折叠床', name_en: 'Folding beds', unit: '张', category: 'shelter', shelf_life_days: null },
  { code: 'first_aid_kit', name: '急救包', name_en: 'First-aid kits', unit: '个', category: 'medical', shelf_life_days: 730 },
  { code: 'medicine_kit', name: '常用药品包', name_en: 'Medicine kits', unit: '包', category: 'medical', shelf_life_days: 540 },
  { code: 'mask', name: '口罩', name_en: 'Masks', unit: '盒', category: 'medical', shelf_life_days: 1095 },
  { code: 'flashlight', name: '手电筒', name_en: 'Flashlights', unit: '把', category: 'equipment', shelf_life_days: null },
  { code: 'power_bank', name: '充电宝', name_en: 'Power banks', unit: '个', category: 'equipment', shelf_life_days: null },
  { code: 'generator', name: '发电机', name_en: 'Generators', unit: '台', category: 'equipment', shelf_life_days: null },
  { code: 'sandbag', name: '沙袋', name_en: 'Sandbags', unit: '个', category: 'flood', shelf_life_days: null },
  { code: 'life_jacket', name: '救生衣', name_en: 'Life jackets', unit: '件', category: 'flood', shelf_life_days: null },
  { code: 'raincoat', name: '雨衣', name_en: 'Raincoats', unit: '件', category: 'flood', shelf_life_days: null },
];

/** Minimum reserves per facility type, following each type's emergency function. */
export const REQUIREMENTS: Record<string, Record<string, number>> = {
  neighborhood_center: { water: 50, instant_food: 40, blanket: 60, folding_bed: 30, first_aid_kit: 10, flashlight: 20, generator: 1, raincoat: 30, sandbag: 100 },
  service_station: { water: 30, instant_food: 30, rice: 20, blanket: 20, raincoat: 20, power_bank: 10 },
  elder_canteen: { water: 40, instant_food: 30, rice: 30 },
  childcare_site: { water: 15, instant_food: 10, blanket: 20, first_aid_kit: 3 },
  health_station: { first_aid_kit: 15, medicine_kit: 20, mask: 30, water: 10 },
  self_service_area: { power_bank: 20, flashlight: 10, water: 10 },
  day_care_room: { water: 15, blanket: 15, folding_bed: 8, medicine_kit: 5 },
  warm_station: { water: 20, power_bank: 10, blanket: 10, raincoat: 10 },
};

/** Fishing-port centers also keep life jackets (an override of the center requirement, per site). */
const FISHING_PORT_LIFE_JACKETS = 40;

const addDays = (base: Date, days: number) => new Date(base.getTime() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The catalog, the requirements and a believable stock picture: most sites hold their reserves, about
 * one in six is short of something, and some lots expire within the month.
 */
export async function seedSupplies(m: EntityManager, now = new Date()): Promise<void> {
  await m.query(
    `INSERT INTO supply_items (code, name, name_en, unit, category, shelf_life_days)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, name_en text, unit text, category text, shelf_life_days int)
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(SUPPLY_ITEMS)],
  );
  const rows = Object.entries(REQUIREMENTS).flatMap(([type, items]) => Object.entries(items).map(([item, quantity]) => ({ type, item, quantity })));
  await m.query(
    `INSERT INTO reserve_requirements (facility_type, item_code, quantity)
     SELECT type, item, quantity FROM jsonb_to_recordset($1::jsonb) AS r(type text, item text, quantity int)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
  await m.query(
    `INSERT INTO facility_reserve_overrides (facility_id, item_code, quantity)
     SELECT id, 'life_jacket', $1 FROM facilities WHERE kind = 'fishing_port' ON CONFLICT DO NOTHING`,
    [FISHING_PORT_LIFE_JACKETS],
  );
  const [{ n }] = await m.query('SELECT count(*)::int AS n FROM stock_lots');
  if (n > 0) return; // stock is seeded once; after that the ledger is the truth

  const rand = seededRandom(5);
  const sites: { id: string; type: string; kind: string | null }[] = await m.query('SELECT id, type, kind FROM facilities ORDER BY code');
  const shelfLife = new Map(SUPPLY_ITEMS.map((i) => [i.code, i.shelf_life_days]));
  const lots: { facility_id: string; item_code: string; expires_on: string | null; quantity: number }[] = [];
  for (const site of sites) {
    const needs = { ...REQUIREMENTS[site.type], ...(site.kind === 'fishing_port' ? { life_jacket: FISHING_PORT_LIFE_JACKETS } : {}) };
    const short = rand() < 0.17;
    for (const [item, required] of Object.entries(needs)) {
      const factor = short && rand() < 0.5 ? 0.3 + rand() * 0.5 : 1 + rand() * 0.6;
      const total = Math.round(required * factor);
      const life = shelfLife.get(item);
      if (!life) {
        lots.push({ facility_id: site.id, item_code: item, expires_on: null, quantity: total });
        continue;
      }
      // Two lots: an older one (sometimes expiring within the month) and a fresh one.
      const older = Math.round(total * 0.4);
      const soon = rand() < 0.08;
      lots.push({ facility_id: site.id, item_code: item, expires_on: addDays(now, soon ? 5 + Math.floor(rand() * 20) : 60 + Math.floor(rand() * 120)), quantity: older });
      lots.push({ facility_id: site.id, item_code: item, expires_on: addDays(now, life - Math.floor(rand() * 60)), quantity: total - older });
    }
  }
  const inserted: { id: string; facility_id: string; item_code: string; quantity: number }[] = await m.query(
    `INSERT INTO stock_lots (facility_id, item_code, expires_on, quantity)
     SELECT facility_id, item_code, expires_on, quantity FROM jsonb_to_recordset($1::jsonb)
       AS r(facility_id uuid, item_code text, expires_on date, quantity int)
     WHERE quantity > 0
     ON CONFLICT DO NOTHING RETURNING id, facility_id, item_code, quantity`,
    [JSON.stringify(lots)],
  );
  // The ledger's opening balance: one receive per lot, so quantity = sum of movements from day one.
  await m.query(
    `INSERT INTO stock_movements (facility_id, item_code, lot_id, kind, quantity, note, actor_name)
     SELECT facility_id, item_code, id, 'receive', quantity, '期初库存 opening balance', 'seed'
     FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, facility_id uuid, item_code text, quantity int)`,
    [JSON.stringify(inserted)],
  );
}
