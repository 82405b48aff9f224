// Sites and areas as the API returns them, and the codes they are described with (DOMAIN.md).
export const FACILITY_TYPES = [
  'neighborhood_center',
  'service_station',
  'elder_canteen',
  'childcare_site',
  'health_station',
  'self_service_area',
  'day_care_room',
  'warm_station',
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

export const CENTER_KINDS = ['urban_community', 'industrial_park', 'traditional_village', 'commercial_market', 'fishing_port'] as const;
export type CenterKind = (typeof CENTER_KINDS)[number];

export const MODES = ['normal', 'emergency'] as const;
export type Mode = (typeof MODES)[number];

/** What a site becomes in emergency mode (应急功能定位). */
export const EMERGENCY_FUNCTIONS = {
  command_post_shelter: { zh: '应急指挥/安置点', en: 'Local command post and shelter' },
  supply_distribution: { zh: '物资发放点', en: 'Supply distribution point' },
  emergency_meals: { zh: '应急供餐点', en: 'Emergency meal point' },
  child_safe_haven: { zh: '儿童临时看护点', en: 'Temporary childcare and safe haven' },
  first_aid_triage: { zh: '医疗救护点', en: 'First-aid and triage point' },
  info_and_charging: { zh: '应急信息发布与充电点', en: 'Emergency information and charging point' },
  vulnerable_care: { zh: '临时照护点', en: 'Temporary care for the vulnerable' },
  rest_water_charging: { zh: '暖心避险点', en: 'Rest, water and charging point' },
} as const;
export type EmergencyFunctionCode = keyof typeof EMERGENCY_FUNCTIONS;
export const EMERGENCY_FUNCTION_CODES = Object.keys(EMERGENCY_FUNCTIONS) as EmergencyFunctionCode[];

/** The administrative areas of Shishi (DOMAIN.md), with their approximate centres. */
export const AREAS = [
  { code: 'hubin', zh: '湖滨街道', en: 'Hubin Subdistrict', lat: 24.735, lng: 118.655 },
  { code: 'fengli', zh: '凤里街道', en: 'Fengli Subdistrict', lat: 24.728, lng: 118.64 },
  { code: 'lingxiu', zh: '灵秀镇', en: 'Lingxiu Town', lat: 24.7, lng: 118.64 },
  { code: 'baogai', zh: '宝盖镇', en: 'Baogai Town', lat: 24.745, lng: 118.62 },
  { code: 'hanjiang', zh: '蚶江镇', en: 'Hanjiang Town', lat: 24.8, lng: 118.68 },
  { code: 'xiangzhi', zh: '祥芝镇', en: 'Xiangzhi Town', lat: 24.78, lng: 118.76 },
  { code: 'hongshan', zh: '鸿山镇', en: 'Hongshan Town', lat: 24.745, lng: 118.75 },
  { code: 'jinshang', zh: '锦尚镇', en: 'Jinshang Town', lat: 24.69, lng: 118.72 },
  { code: 'yongning', zh: '永宁镇', en: 'Yongning Town', lat: 24.68, lng: 118.69 },
] as const;

/** The emergency function of each type, unless a site overrides it. */
export const DEFAULT_EMERGENCY_FUNCTION: Record<FacilityType, EmergencyFunctionCode> = {
  neighborhood_center: 'command_post_shelter',
  service_station: 'supply_distribution',
  elder_canteen: 'emergency_meals',
  childcare_site: 'child_safe_haven',
  health_station: 'first_aid_triage',
  self_service_area: 'info_and_charging',
  day_care_room: 'vulnerable_care',
  warm_station: 'rest_water_charging',
};

export function emergencyFunctionOf(type: FacilityType, override: string | null) {
  const code = (override ?? DEFAULT_EMERGENCY_FUNCTION[type]) as EmergencyFunctionCode;
  return { code, ...EMERGENCY_FUNCTIONS[code], overridden: override !== null };
}

/** `GET /api/facilities`, `GET /api/facilities/:id`. */
export interface FacilityView {
  id: string;
  code: string;
  name: string;
  nameEn: string | null;
  type: FacilityType;
  kind: CenterKind | null;
  areaCode: string;
  gridZoneCode: string | null;
  lat: number;
  lng: number;
  capacity: number | null;
  openingHours: string;
  parentId: string | null;
  mode: Mode;
  modeChangedAt: string | null;
  emergencyFunction: { code: EmergencyFunctionCode; zh: string; en: string; overridden: boolean };
}

/** `GET /api/areas`. */
export interface AreaView {
  code: string;
  name: string;
  nameEn: string | null;
  lat: number;
  lng: number;
}

/** `GET /api/facilities/:id/modes`: a site's switch history, newest first. */
export interface ModeChangeView {
  switchoverId: string;
  from: Mode;
  to: Mode;
  at: string;
  by: string | null;
  reason: string;
}

/** `GET /api/facilities/:id/stock`: per item, usable stock against the requirement. */
export interface StockLineView {
  itemCode: string;
  name: string;
  nameEn: string | null;
  unit: string;
  quantity: number;
  usable: number;
  required: number;
  lots: { quantity: number; expiresOn: string | null }[];
}
