import { EMERGENCY_FUNCTIONS, type EmergencyFunctionCode, type FacilityType } from '../contracts/facilities.js';

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
