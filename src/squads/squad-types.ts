import type { SquadStatus, SquadView } from '../contracts/squads.js';

export interface SquadRow {
  id: string;
  code: string;
  name: string;
  area_code: string;
  base_facility_id: string | null;
  skills: string[];
  status: SquadStatus;
  status_changed_at: Date | null;
  lat: number | null;
  lng: number | null;
  position_accuracy: number | null;
  position_at: Date | null;
  phone_online: boolean;
  phone_changed_at: Date | null;
  members?: number;
  base?: { lat: number; lng: number } | null;
}

export const SQUAD_COLUMNS =
  'id, code, name, area_code, base_facility_id, skills, status, status_changed_at, lat, lng, position_accuracy, position_at, phone_online, phone_changed_at';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toSquadView(r: SquadRow): SquadView {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    areaCode: r.area_code,
    baseFacilityId: r.base_facility_id,
    skills: r.skills,
    status: r.status,
    statusChangedAt: iso(r.status_changed_at),
    position: r.lat === null || r.lng === null ? null : { lat: r.lat, lng: r.lng, accuracy: r.position_accuracy, at: iso(r.position_at) },
    leaderPhone: { online: r.phone_online, since: iso(r.phone_changed_at) },
    ...(r.members === undefined ? {} : { memberCount: Number(r.members) }),
    ...(r.base === undefined ? {} : { basePosition: r.base }),
  };
}
