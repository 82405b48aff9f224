/** Severity of an event; warning and critical events are alerts that a person must acknowledge. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Who may see an event: `everyone` (city-wide: mode changes, incidents, notices), `staff` (commander,
 * coordinator, viewer) or `squad` (staff and the leader of the event's squad).
 */
export const AUDIENCES = ['everyone', 'staff', 'squad'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** An event as clients see it (REST and the socket `event` message). */
export interface EventView {
  /** A string holding an integer that only grows. */
  id: string;
  type: string;
  at: string;
  exercise: boolean;
  severity: Severity;
  audience: Audience;
  actor?: { id: string; username: string };
  facilityId?: string;
  squadId?: string;
  dispatchId?: string;
  incidentId?: string;
  drillId?: string;
  payload: Record<string, unknown>;
}
