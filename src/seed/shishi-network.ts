import type { EntityManager } from 'typeorm';
import { areaBoundaries } from './area-boundaries.js';
import { AREAS, type CenterKind, type FacilityType } from '../contracts/facilities.js';
import { apportion, seededRandom } from './random.js';

// The Shishi network as the source report counts it (DOMAIN.md). Day-care rooms and warm stations are
// named without counts there: 30 and 36 are our assumption (README).
export const FACILITY_COUNTS: Record<FacilityType, number> = {
  neighborhood_center: 54,
  service_station: 28,
  elder_canteen: 24,
  childcare_site: 50,
  health_station: 49,
  self_service_area: 12,
  day_care_room: 30,
  warm_station: 36,
};
export const GRID_ZONE_COUNT = 55;

const ABBR: Record<string, string> = { hubin: 'HB', fengli: 'FL', lingxiu: 'LX', baogai: 'BG', hanjiang: 'HJ', xiangzhi: 'XZ', hongshan: 'HS', jinshang: 'JS', yongning: 'YN' };
/** How much of the network each area has: the city centre is denser. */
const WEIGHT: Record<string, number> = { hubin: 1.4, fengli: 1.3, lingxiu: 1.0, baogai: 1.1, hanjiang: 0.9, xiangzhi: 1.0, hongshan: 0.8, jinshang: 0.8, yongning: 1.0 };
const COASTAL = new Set(['hanjiang', 'xiangzhi', 'hongshan', 'jinshang', 'yongning']);
const KINDS_OF_AREA: Record<string, CenterKind[]> = {
  hubin: ['urban_community', 'commercial_market'],
  fengli: ['urban_community', 'commercial_market'],
  lingxiu: ['traditional_village', 'industrial_park', 'urban_community'],
  baogai: ['industrial_park', 'traditional_village', 'urban_community'],
  hanjiang: ['fishing_port', 'traditional_village'],
  xiangzhi: ['fishing_port', 'traditional_village'],
  hongshan: ['fishing_port', 'traditional_village', 'commercial_market'],
  jinshang: ['fishing_port', 'traditional_village', 'commercial_market'],
  yongning: ['traditional_village', 'fishing_port', 'commercial_market'],
};
const KIND_ZH: Record<CenterKind, string> = {
  urban_community: '城市社区',
  industrial_park: '工业园区',
  traditional_village: '传统村落',
  commercial_market: '商圈市场',
  fishing_port: '渔港码头',
};
const KIND_EN: Record<CenterKind, string> = {
  urban_community: 'Urban Community',
  industrial_park: 'Industrial Park',
  traditional_village: 'Traditional Village',
  commercial_market: 'Commercial Market',
  fishing_port: 'Fishing Port',
};
const COMMUNITIES = ['古浮', '石湖', '梧垵', '沙美', '容卿', '莲埭', '大伯', '厝上', '永福', '鳌东', '子英', '港边', '光明', '玉浦', '宽仁', '华山',
  '龙穴', '杆头', '瑶林', '锦江', '仑后', '彭田', '塔前', '坑东', '洋下', '西岑', '湖中', '曾坑', '东埔', '西港', '南湖', '北山', '前园', '后垵',
  '新华', '长福', '塘后', '钞坑', '型厝', '东店'];
const TYPE_ZH: Record<FacilityType, string> = {
  neighborhood_center: '邻里中心',
  service_station: '社区邻里服务站',
  elder_canteen: '长者食堂',
  childcare_site: '托育点',
  health_station: '健康小屋',
  self_service_area: '24小时自助服务区',
  day_care_room: '日间照料室',
  warm_station: '暖心驿站',
};
const TYPE_EN: Record<FacilityType, string> = {
  neighborhood_center: 'Neighborhood Center',
  service_station: 'Neighborhood Service Station',
  elder_canteen: 'Elder Canteen',
  childcare_site: 'Childcare Site',
  health_station: 'Health Cabin',
  self_service_area: '24h Self-Service Area',
  day_care_room: 'Day-Care Room',
  warm_station: 'Warm Station',
};
const TYPE_ABBR: Record<FacilityType, string> = {
  neighborhood_center: 'NC', service_station: 'SS', elder_canteen: 'EC', childcare_site: 'CC',
  health_station: 'HC', self_service_area: 'SA', day_care_room: 'DC', warm_station: 'WS',
};
const HOURS: Record<FacilityType, string> = {
  neighborhood_center: '08:00-21:00', service_station: '08:30-17:30', elder_canteen: '10:30-19:00', childcare_site: '07:30-18:00',
  health_station: '08:00-20:00', self_service_area: '24h', day_care_room: '08:00-17:30', warm_station: '24h',
};
const CAPACITY: Record<FacilityType, [number, number]> = {
  neighborhood_center: [200, 600], service_station: [50, 150], elder_canteen: [60, 200], childcare_site: [30, 120],
  health_station: [20, 60], self_service_area: [20, 40], day_care_room: [20, 50], warm_station: [10, 30],
};

export interface SeedFacility {
  code: string;
  name: string;
  name_en: string;
  type: FacilityType;
  kind: CenterKind | null;
  area_code: string;
  grid_zone_code: string;
  lat: number;
  lng: number;
  capacity: number;
  opening_hours: string;
  parent_code: string | null;
}

const M_PER_DEG_LAT = 111_320;

/** The deterministic demo network: grid zones and every facility, with positions near their area's centre. */
export function shishiNetwork() {
  const rand = seededRandom(20261126);
  const weights = AREAS.map((a) => WEIGHT[a.code]);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];

  const gridZones = AREAS.flatMap((a, i) =>
    Array.from({ length: apportion(GRID_ZONE_COUNT, weights)[i] }, (_, n) => ({
      code: `${ABBR[a.code]}-G${String(n + 1).padStart(2, '0')}`,
      name: `${a.zh}第${n + 1}网格`,
      area_code: a.code,
      grid_workers: 10 + Math.floor(rand() * 4), // 55 zones × ~11.5 ≈ the 610+ grid workers of the report
    })),
  );

  const position = (area: (typeof AREAS)[number]) => {
    // Within ~2.5 km of the centre; coastal towns lean inland (west/north), away from the sea.
    const r = 300 + rand() * 2200;
    const angle = rand() * 2 * Math.PI;
    let dx = r * Math.cos(angle);
    let dy = r * Math.sin(angle);
    if (COASTAL.has(area.code)) {
      dx = -Math.abs(dx) * 0.9;
      dy = area.code === 'hanjiang' ? dy : Math.abs(dy) * 0.6;
    }
    const lat = area.lat + dy / M_PER_DEG_LAT;
    const lng = area.lng + dx / (M_PER_DEG_LAT * Math.cos((area.lat * Math.PI) / 180));
    return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
  };

  const facilities: SeedFacility[] = [];
  const centersOfArea = new Map<string, SeedFacility[]>();
  for (const type of Object.keys(FACILITY_COUNTS) as FacilityType[]) {
    const perArea = apportion(FACILITY_COUNTS[type], weights);
    AREAS.forEach((area, ai) => {
      const zones = gridZones.filter((z) => z.area_code === area.code);
      for (let n = 0; n < perArea[ai]; n++) {
        const community = pick(COMMUNITIES);
        const kind = type === 'neighborhood_center' ? KINDS_OF_AREA[area.code][n % KINDS_OF_AREA[area.code].length] : null;
        const [lo, hi] = CAPACITY[type];
        const number = String(n + 1).padStart(2, '0');
        // Every other health cabin sits inside a neighborhood center of its area.
        const host = type === 'health_station' && n % 2 === 0 ? centersOfArea.get(area.code)?.[n / 2] : undefined;
        const f: SeedFacility = {
          code: `${ABBR[area.code]}-${TYPE_ABBR[type]}-${number}`,
          name: kind ? `${area.zh}${community}${KIND_ZH[kind]}${TYPE_ZH[type]}` : `${area.zh}${community}${TYPE_ZH[type]}`,
          name_en: kind ? `${area.en} ${KIND_EN[kind]} ${TYPE_EN[type]} ${number}` : `${area.en} ${TYPE_EN[type]} ${number}`,
          type,
          kind,
          area_code: area.code,
          grid_zone_code: zones[n % zones.length].code,
          ...(host ? { lat: host.lat + 0.0002, lng: host.lng + 0.0002 } : position(area)),
          capacity: lo + Math.floor(rand() * (hi - lo)),
          opening_hours: HOURS[type],
          parent_code: host?.code ?? null,
        };
        if (host) f.name = `${host.name}${TYPE_ZH[type]}`;
        facilities.push(f);
        if (type === 'neighborhood_center') centersOfArea.set(area.code, [...(centersOfArea.get(area.code) ?? []), f]);
      }
    });
  }
  return { gridZones, facilities };
}

/**
 * Areas, grid zones and facilities; existing codes are left alone (idempotent), except that areas seeded
 * by a release before shapes existed get their approximate boundary.
 */
export async function seedShishiNetwork(m: EntityManager): Promise<void> {
  const { gridZones, facilities } = shishiNetwork();
  if (await networkComplete(m, gridZones, facilities)) return;
  const boundaries = areaBoundaries([...AREAS], facilities);
  await m.query(
    `INSERT INTO areas (code, name, name_en, lat, lng, boundary)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, name_en text, lat float8, lng float8, boundary jsonb)
     ON CONFLICT (code) DO UPDATE SET boundary = EXCLUDED.boundary WHERE areas.boundary IS NULL`,
    [JSON.stringify(AREAS.map((a) => ({ code: a.code, name: a.zh, name_en: a.en, lat: a.lat, lng: a.lng, boundary: boundaries.get(a.code) ?? null })))],
  );
  await m.query(
    `INSERT INTO grid_zones (code, name, area_code, grid_workers)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, area_code text, grid_workers int)
     ON CONFLICT (code) DO NOTHING`,
    [JSON.stringify(gridZones)],
  );
  // Hosts first, so the sites inside them can name their parent.
  for (const batch of [facilities.filter((f) => !f.parent_code), facilities.filter((f) => f.parent_code)]) {
    await m.query(
      `INSERT INTO facilities (code, name, name_en, type, kind, area_code, grid_zone_code, lat, lng, capacity, opening_hours, parent_id)
       SELECT r.code, r.name, r.name_en, r.type, r.kind, r.area_code, r.grid_zone_code, r.lat, r.lng, r.capacity, r.opening_hours,
              (SELECT p.id FROM facilities p WHERE p.code = r.parent_code)
       FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, name_en text, type text, kind text, area_code text,
            grid_zone_code text, lat float8, lng float8, capacity int, opening_hours text, parent_code text)
       ON CONFLICT (code) DO NOTHING`,
      [JSON.stringify(batch)],
    );
  }
}

/**
 * Whether every area (with its boundary), grid zone and facility is there already — every start after
 * the first: one read instead of writing the whole network again only to have every row conflict.
 */
async function networkComplete(m: EntityManager, gridZones: { code: string }[], facilities: SeedFacility[]): Promise<boolean> {
  const [have] = await m.query(
    `SELECT (SELECT count(*) FROM areas WHERE code = ANY($1::text[]) AND boundary IS NOT NULL)::int AS areas,
            (SELECT count(*) FROM grid_zones WHERE code = ANY($2::text[]))::int AS zones,
            (SELECT count(*) FROM facilities WHERE code = ANY($3::text[]))::int AS facilities`,
    [AREAS.map((a) => a.code), gridZones.map((z) => z.code), facilities.map((f) => f.code)],
  );
  return have.areas === AREAS.length && have.zones === gridZones.length && have.facilities === facilities.length;
}
