import { type CenterKind, emergencyFunctionOf, type FacilityType, type FacilityView, type Mode } from '../contracts/facilities.js';

export interface FacilityRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  type: FacilityType;
  kind: CenterKind | null;
  area_code: string;
  grid_zone_code: string | null;
  lat: number;
  lng: number;
  capacity: number | null;
  opening_hours: string;
  parent_id: string | null;
  emergency_function: string | null;
  mode: Mode;
  mode_changed_at: Date | string | null;
}

export const FACILITY_COLUMNS =
  'id, code, name, name_en, type, kind, area_code, grid_zone_code, lat, lng, capacity, opening_hours, parent_id, emergency_function, mode, mode_changed_at';

export function toFacilityView(r: FacilityRow): FacilityView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    nameEn: r.name_en,
    type: r.type,
    kind: r.kind,
    areaCode: r.area_code,
    gridZoneCode: r.grid_zone_code,
    lat: Number(r.lat),
    lng: Number(r.lng),
    capacity: r.capacity,
    openingHours: r.opening_hours,
    parentId: r.parent_id,
    mode: r.mode,
    modeChangedAt: r.mode_changed_at ? new Date(r.mode_changed_at).toISOString() : null,
    emergencyFunction: emergencyFunctionOf(r.type, r.emergency_function),
  };
}
