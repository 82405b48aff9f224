// Incidents, recommendations and dispatches as the API returns them, and their states.
export const INCIDENT_KINDS = ['typhoon', 'flood', 'storm_surge', 'fire', 'medical', 'rescue', 'public_health', 'other'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export const INCIDENT_SEVERITIES = ['extreme', 'severe', 'moderate', 'minor'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];
export const INCIDENT_STATUSES = ['open', 'resolved', 'cancelled'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** API.md: pending → accepted → en_route → on_scene → completed; pending → declined | expired; before completed → cancelled. */
export const DISPATCH_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'en_route', 'on_scene', 'completed', 'cancelled'] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];
/** A dispatch in one of these still holds its squad. */
export const ACTIVE_DISPATCH_STATUSES: readonly DispatchStatus[] = ['pending', 'accepted', 'en_route', 'on_scene'];
export const isActiveDispatch = (status: DispatchStatus): boolean => ACTIVE_DISPATCH_STATUSES.includes(status);

/** `GET /api/incidents`, `GET /api/incidents/:id`. */
export interface IncidentView {
  id: string;
  kind: IncidentKind;
  severity: IncidentSeverity;
  title: string;
  description: string | null;
  lat: number;
  lng: number;
  requiredSkills: string[];
  status: IncidentStatus;
  exercise: boolean;
  drillId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** The nearest site (within LANDMARK_SITE_RADIUS_M) or else the nearest area centre: where the job is, in words. */
export interface Landmark {
  kind: 'site' | 'area';
  name: string;
  nameEn: string | null;
  /** Straight-line distance from the incident, metres. */
  distanceM: number;
}
export const LANDMARK_SITE_RADIUS_M = 3000;

/**
 * What a dispatch carries of its incident: enough for a phone to show the job. `requiredSkills` and
 * `landmark` are absent in events logged before they were added.
 */
export type IncidentSummary = Pick<IncidentView, 'id' | 'title' | 'kind' | 'severity' | 'lat' | 'lng'> & {
  requiredSkills?: string[];
  landmark?: Landmark | null;
};

/** `GET /api/dispatches`, and the `dispatch` every dispatch event carries. */
export interface DispatchView {
  id: string;
  incidentId: string;
  squadId: string;
  squadCode: string;
  squadName: string;
  status: DispatchStatus;
  note: string | null;
  ackDeadline: string;
  exercise: boolean;
  drillId: string | null;
  createdAt: string;
  acknowledgedAt: string | null;
  declineReason: string | null;
  enRouteAt: string | null;
  onSceneAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  expiredAt: string | null;
  /** While on scene: when the leader must next check in (PAR_INTERVAL_MINUTES); null otherwise. */
  checkInDueAt: string | null;
  lastCheckInAt: string | null;
  /** Check-ins missed in a row (a warning at 1, critical at 2). */
  checkInMisses: number;
  incident: IncidentSummary;
}

/** `GET /api/incidents/:id/recommendations`: available squads, best first. */
export interface Recommendation {
  squadId: string;
  code: string;
  name: string;
  distanceM: number;
  etaMinutes: number;
  skillsMatched: string[];
  skillsMissing: string[];
}
