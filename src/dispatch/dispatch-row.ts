import { type DispatchStatus, type DispatchView, type IncidentKind, type IncidentSeverity, type Landmark, LANDMARK_SITE_RADIUS_M } from '../contracts/dispatch.js';

export interface DispatchRow {
  id: string;
  incident_id: string;
  squad_id: string;
  squad_code: string;
  squad_name: string;
  status: DispatchStatus;
  note: string | null;
  ack_deadline: Date;
  exercise: boolean;
  drill_id: string | null;
  created_at: Date;
  acknowledged_at: Date | null;
  decline_reason: string | null;
  en_route_at: Date | null;
  on_scene_at: Date | null;
  completed_at: Date | null;
  cancelled_at: Date | null;
  cancel_reason: string | null;
  expired_at: Date | null;
  check_in_due_at: Date | null;
  last_check_in_at: Date | null;
  check_in_misses: number;
  incident_title: string;
  incident_kind: IncidentKind;
  incident_severity: IncidentSeverity;
  incident_lat: number;
  incident_lng: number;
  incident_skills: string[];
  landmark: Landmark | null;
}

/** Metres between the incident and a row's lat/lng (equirectangular: plenty at city scale). */
const DISTANCE_M = (t: string) => `(6371000 * sqrt(power(radians(${t}.lat - i.lat), 2)
  + power(radians(${t}.lng - i.lng) * cos(radians(i.lat)), 2)))`;

/**
 * A dispatch with its squad and incident, as every reader needs them, from `source`: the table, or a
 * statement's own rows (`WITH created AS (INSERT … RETURNING *)`), read back in the same round trip.
 */
export const dispatchSelectFrom = (source: string) => `
  SELECT d.id, d.incident_id, d.squad_id, s.code AS squad_code, s.name AS squad_name, d.status, d.note, d.ack_deadline,
         d.exercise, d.drill_id, d.created_at, d.acknowledged_at, d.decline_reason, d.en_route_at, d.on_scene_at,
         d.completed_at, d.cancelled_at, d.cancel_reason, d.expired_at,
         d.check_in_due_at, d.last_check_in_at, d.check_in_misses,
         i.title AS incident_title, i.kind AS incident_kind, i.severity AS incident_severity, i.lat AS incident_lat, i.lng AS incident_lng,
         i.required_skills AS incident_skills,
         coalesce(
           (SELECT json_build_object('kind', 'site', 'name', f.name, 'nameEn', f.name_en, 'distanceM', round(${DISTANCE_M('f')}))
            FROM facilities f
            WHERE f.lat BETWEEN i.lat - 0.03 AND i.lat + 0.03 AND f.lng BETWEEN i.lng - 0.035 AND i.lng + 0.035
              AND ${DISTANCE_M('f')} <= ${LANDMARK_SITE_RADIUS_M}
            ORDER BY ${DISTANCE_M('f')} LIMIT 1),
           (SELECT json_build_object('kind', 'area', 'name', a.name, 'nameEn', a.name_en, 'distanceM', round(${DISTANCE_M('a')}))
            FROM areas a ORDER BY ${DISTANCE_M('a')} LIMIT 1)) AS landmark
  FROM ${source} d JOIN squads s ON s.id = d.squad_id JOIN incidents i ON i.id = d.incident_id`;

export const DISPATCH_SELECT = dispatchSelectFrom('dispatches');

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

export function toDispatchView(r: DispatchRow): DispatchView {
  return {
    id: r.id,
    incidentId: r.incident_id,
    squadId: r.squad_id,
    squadCode: r.squad_code,
    squadName: r.squad_name,
    status: r.status,
    note: r.note,
    ackDeadline: iso(r.ack_deadline)!,
    exercise: r.exercise,
    drillId: r.drill_id,
    createdAt: iso(r.created_at)!,
    acknowledgedAt: iso(r.acknowledged_at),
    declineReason: r.decline_reason,
    enRouteAt: iso(r.en_route_at),
    onSceneAt: iso(r.on_scene_at),
    completedAt: iso(r.completed_at),
    cancelledAt: iso(r.cancelled_at),
    cancelReason: r.cancel_reason,
    expiredAt: iso(r.expired_at),
    checkInDueAt: iso(r.check_in_due_at),
    lastCheckInAt: iso(r.last_check_in_at),
    checkInMisses: Number(r.check_in_misses ?? 0),
    incident: { id: r.incident_id, title: r.incident_title, kind: r.incident_kind, severity: r.incident_severity, lat: r.incident_lat, lng: r.incident_lng,
      requiredSkills: r.incident_skills ?? [], landmark: r.landmark ? { ...r.landmark, distanceM: Number(r.landmark.distanceM) } : null },
  };
}
