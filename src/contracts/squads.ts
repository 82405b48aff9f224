// Squads as the API returns them, and the states a squad can be in.
export const SQUAD_STATUSES = ['available', 'assigned', 'en_route', 'on_scene', 'returning', 'unavailable'] as const;
export type SquadStatus = (typeof SQUAD_STATUSES)[number];

export const SKILLS = [
  'first_aid',
  'water_rescue',
  'firefighting',
  'evacuation',
  'logistics',
  'psychological_support',
  'search_and_rescue',
  'communications',
] as const;
export type Skill = (typeof SKILLS)[number];

export interface LatLng {
  lat: number;
  lng: number;
}

/** `GET /api/squads`, `POST /api/squads/:id/status`. */
export interface SquadView {
  id: string;
  code: string;
  name: string;
  areaCode: string;
  baseFacilityId: string | null;
  skills: string[];
  status: SquadStatus;
  statusChangedAt: string | null;
  position: (LatLng & { accuracy: number | null; at: string | null }) | null;
  /** In lists only. */
  memberCount?: number;
  /** In lists only: the base site's position, where the squad is drawn until it reports one. */
  basePosition?: LatLng | null;
}

export interface SquadMemberView {
  id: string;
  name: string;
  phone: string | null;
  partyMember: boolean;
  isLeader: boolean;
  skills: string[];
}

/** `GET /api/squads/:id`. */
export interface SquadDetailView extends SquadView {
  members: SquadMemberView[];
}
