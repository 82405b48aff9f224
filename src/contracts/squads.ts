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
  /** Whether the leader's phone holds a live connection, and since when (null: not seen since this was tracked). */
  leaderPhone?: { online: boolean; since: string | null };
  /** In lists only. */
  memberCount?: number;
  /** In lists only: the base site's position, where the squad is drawn until it reports one. */
  basePosition?: LatLng | null;
}

/** A member as everyone who may see the squad sees them: no personal data. */
export interface SquadMemberSummary {
  id: string;
  isLeader: boolean;
  skills: string[];
}

/** A member with their personal data (name, phone, party membership): for commanders and the squad's own leader only. */
export interface SquadMemberView extends SquadMemberSummary {
  name: string;
  phone: string | null;
  partyMember: boolean;
}

/**
 * `GET /api/squads/:id`. `personalData` says which member shape the caller gets: the full one for a
 * commander and the squad's own leader, the summary for everyone else.
 */
export type SquadDetailView = SquadView &
  ({ personalData: true; members: SquadMemberView[] } | { personalData: false; members: SquadMemberSummary[] });
