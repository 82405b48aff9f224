// The event log as clients see it: every event type and the payload it carries, typed once. A client
// narrows on `type` and reads a typed payload; the server cannot append a payload of the wrong shape.
import type { DispatchStatus, DispatchView, IncidentStatus, IncidentSummary, IncidentView } from './dispatch.js';
import type { DrillKind, DrillStatus } from './drills.js';
import type { EmergencyFunctionCode, FacilityType, Mode } from './facilities.js';
import type { ImportFormat, ImportKind } from './imports.js';
import type { Role } from './auth.js';
import type { PlanLevel, TaskKind } from './plans.js';
import type { SquadStatus } from './squads.js';
import type { NeedLine, RollCallSource, SiteStatus } from './field.js';

/** Severity of an event; warning and critical events are alerts that a person must acknowledge. */
export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * Who may see an event: `everyone` (city-wide: mode changes, incidents, notices), `staff` (commander,
 * coordinator, viewer) or `squad` (staff and the leader of the event's squad).
 */
export const AUDIENCES = ['everyone', 'staff', 'squad'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** Which sites a switchover covers: listed sites, or every site of some areas and/or types, or all. */
export type SwitchoverScope = { facilityIds?: string[]; areas?: string[]; types?: string[]; all?: boolean };

type SiteRef = { code: string; name: string };
type DispatchChange = {
  squadCode: string;
  from: DispatchStatus;
  status: DispatchStatus;
  reason: string | null;
  incident: IncidentSummary;
  /** The dispatch as it now is: screens apply it instead of asking again (absent in events logged before it was added). */
  dispatch?: DispatchView;
};
type NextSquad = { squadId: string; squadCode: string; squadName: string; distanceM: number; etaMinutes: number };
type DrillChange = { title: string; kind: DrillKind; status: DrillStatus };
type FacilityRecord = SiteRef & { nameEn: string | null };
type TokenChange = { tokenId: string; name: string };
type UserChange = { userId: string; username: string; role: Role };
type PlanRef = { activationId: string; planCode: string; planName: string; planNameEn: string };
type ConversionSite = SiteRef & { activationId: string; nameEn: string | null; areaCode: string };
/** Someone a 叫应 round did not reach in time, and where they are. */
type Unanswered = { userId: string; username: string; role: Role; sites: SiteRef[]; squadCode: string | null };

// Payloads are type aliases, not interfaces, so that each is also a Record<string, unknown>.
export type EventPayloads = {
  'facility.created': FacilityRecord;
  'facility.updated': FacilityRecord;
  'facility.mode_changed': SiteRef & {
    switchoverId: string;
    nameEn: string | null;
    type: FacilityType;
    areaCode: string;
    lat: number;
    lng: number;
    from: Mode;
    to: Mode;
    reason: string;
    emergencyFunction: EmergencyFunctionCode;
  };
  'switchover.completed': {
    switchoverId: string;
    mode: Mode;
    reason: string;
    scope: SwitchoverScope;
    switchedCount: number;
    unchangedCount: number;
  };
  'stock.low': SiteRef & { itemCode: string; required: number; available: number };
  'stock.expiring': SiteRef & { itemCode: string; quantity: number; expiresOn: string };
  'stock.moved': SiteRef & { itemCode: string; kind: string; quantity: number; before: number; after: number };
  'stock.transferred': { transferId: string; itemCode: string; quantity: number; from: { id: string; code: string }; to: { id: string; code: string } };
  'reserve.requirements_changed': { requirements: { facilityType?: string; facilityId?: string; itemCode: string; quantity: number }[] };
  'incident.created': Pick<IncidentView, 'title' | 'kind' | 'severity' | 'lat' | 'lng' | 'requiredSkills'>;
  'incident.updated': Pick<IncidentView, 'title' | 'kind' | 'severity' | 'lat' | 'lng'> & { from: IncidentStatus; status: IncidentStatus };
  'dispatch.created': { squadCode: string; ackDeadline: string; note: string | null; incident: IncidentSummary; dispatch?: DispatchView };
  'dispatch.accepted': DispatchChange;
  'dispatch.declined': DispatchChange;
  'dispatch.progress': DispatchChange;
  'dispatch.cancelled': DispatchChange;
  'dispatch.expired': {
    squadCode: string;
    ackDeadline: string;
    incident: IncidentSummary;
    /** The best available squads to send instead, best first (none for a drill's dispatch). */
    nextRecommended: NextSquad[];
    dispatch?: DispatchView;
  };
  'squad.status_changed': { code: string; name: string; from: SquadStatus; to: SquadStatus };
  'squad.position': { code: string; lat: number; lng: number; accuracy: number | null; at: string };
  /** A squad has been `returning` longer than SQUAD_RETURN_ALERT_MINUTES: is it back, or stuck? */
  /** The leader's phone connected (its first socket) or lost its last socket. */
  'squad.phone': { code: string; online: boolean };
  'squad.return_overdue': { code: string; name: string; since: string; minutes: number };
  'drill.planned': DrillChange;
  'drill.started': DrillChange;
  'drill.finished': DrillChange;
  'drill.cancelled': DrillChange;
  'drill.logged': { title: string; text: string; at: string };
  'alert.acknowledged': { alertId: string; alertType: EventType };
  'notice.posted': { title: string; body: string | null };
  'import.completed': {
    importId: string;
    kind: ImportKind;
    format: ImportFormat;
    fileName: string | null;
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    areasCreated: string[];
  };
  'api_token.created': TokenChange;
  'api_token.revoked': TokenChange;
  /** The user can no longer log in; every instance disconnects their sockets and refuses their tokens. */
  'user.disabled': UserChange;
  'user.enabled': UserChange;
  /** A site said how it is: open/limited/full/closed, occupancy, capacity, needs (each need a supply request). */
  'site.reported': SiteRef & {
    reportId: string;
    status: SiteStatus;
    occupancy: number;
    capacity: number;
    needs: NeedLine[];
    note: string | null;
    supplyRequestIds: string[];
  };
  /** A 叫应 round went out: everyone addressed must answer before `deadline`. */
  'roll_call.started': { rollCallId: string; message: string; deadline: string; total: number; source: RollCallSource };
  'roll_call.answered': { rollCallId: string; userId: string; username: string; via: 'app' | 'reply'; answered: number; total: number; late: boolean };
  /** The deadline passed with people unanswered: the commander is told who, what and where; each was asked once more. */
  'roll_call.escalated': { rollCallId: string; message: string; deadline: string; total: number; unanswered: Unanswered[] };
  /** A squad on scene checked in: the next check-in is due at `nextDueAt`. */
  'dispatch.checked_in': { squadCode: string; note: string | null; lat: number | null; lng: number | null; nextDueAt: string; incident: IncidentSummary };
  /** A squad on scene missed its check-in (the first a warning, the second critical). */
  'dispatch.check_in_missed': { squadCode: string; misses: number; dueAt: string; lastCheckInAt: string | null; incident: IncidentSummary };
  /** Someone downloaded a file with members' personal data (staff only: the audit trail of who took it). */
  'export.personal_data': { file: string; squads: number; members: number };
  /** A response plan was created or edited (staff only). */
  'plan.saved': { code: string; name: string; created: boolean };
  /** A response plan was activated: its sites switch (none for an exercise) and convert, its squads stand by. */
  'plan.activated': PlanRef & {
    level: PlanLevel;
    reason: string;
    areas: string[];
    sites: number;
    switched: number;
    /** The squads on standby: a leader's phone shows 待命 with the plan and level. */
    standbySquadIds: string[];
  };
  'plan.level_changed': PlanRef & {
    from: PlanLevel;
    to: PlanLevel;
    reason: string;
    areas: string[];
    sitesAdded: number;
    sitesReleased: number;
    standbySquadIds: string[];
  };
  /** 急转平: the sites no other active activation covers went back to normal, with demobilisation tasks. */
  'plan.stood_down': PlanRef & { level: PlanLevel; reason: string; sitesReturned: number; sitesStillCovered: number; tasks: number };
  'conversion.task_done': ConversionSite & { taskId: string; title: string; kind: TaskKind; note: string | null };
  /** Every conversion task of a site is done: it is ready, this long after it was switched. */
  'facility.ready': ConversionSite & { readyAt: string; timeToReadySeconds: number };
  /** A site is still converting past its expected time. */
  'conversion.overdue': ConversionSite & { expectedReadyAt: string; openTasks: number };
};
export type EventType = keyof EventPayloads;

/** What every event has besides its type and payload. */
/**
 * A position in the event log (`GET /api/events/position`): the newest event id, in the log identified
 * by `epoch` (new after a database reset). A screen reads it before its snapshots and resumes its socket
 * from it, so a change made while the snapshots load still reaches it by replay.
 */
export interface LogPosition {
  lastEventId: string;
  epoch: string;
}

export interface EventEnvelope {
  /** A string holding an integer that only grows. */
  id: string;
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
}

/** One event of a given type. */
export type EventOf<T extends EventType> = EventEnvelope & { type: T; payload: EventPayloads[T] };

/** An event as clients see it (REST and the socket `event` message): narrow on `type` to read its payload. */
export type EventView = { [T in EventType]: EventOf<T> }[EventType];

/** `GET /api/alerts`, `POST /api/alerts/:id/ack`: a warning or critical event and who acknowledged it. */
export type AlertView = EventView & { acknowledged: { by: string; at: string } | null };
