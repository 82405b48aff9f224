// Response plans (应急预案) by level, their activations, and the conversion of each site they switch.
import type { CenterKind, FacilityType } from './facilities.js';
import type { FacilityShortfallView } from './supplies.js';

/** Levels as in Chinese practice: 4 = Ⅳ (blue, least severe) … 1 = Ⅰ (red, most severe). */
export const PLAN_LEVELS = [4, 3, 2, 1] as const;
export type PlanLevel = (typeof PLAN_LEVELS)[number];

export const HAZARDS = ['typhoon', 'rainstorm', 'cold_wave', 'public_health', 'other'] as const;
export type Hazard = (typeof HAZARDS)[number];

export const ACTIVATION_STATUSES = ['active', 'standing_down', 'closed'] as const;
export type ActivationStatus = (typeof ACTIVATION_STATUSES)[number];

export const CONVERSION_STATES = ['converting', 'ready', 'overdue'] as const;
export type ConversionState = (typeof CONVERSION_STATES)[number];

export const TASK_KINDS = ['conversion', 'demobilisation'] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

/** One task of a conversion checklist: what, how long it is expected to take, who does it. */
export interface ChecklistTask {
  title: string;
  titleEn?: string;
  minutes: number;
  who?: string;
}

/**
 * What one level adds to the levels below it in severity (a level includes every level with a larger
 * number): the sites (areas and/or facility types, or listed site codes), the squads to put on
 * standby, the reserve items that must meet their requirements, and the checklist per facility type.
 */
export interface PlanLevelView {
  level: PlanLevel;
  /** `all`, or the sites of these areas and/or types (and center kinds), plus listed site codes. */
  scope: { all?: boolean; areas?: string[]; types?: FacilityType[]; kinds?: CenterKind[]; facilityCodes?: string[] };
  standby: { areas?: string[]; skills?: string[]; perArea?: number };
  reserveItems: string[];
  checklists: Partial<Record<FacilityType, ChecklistTask[]>>;
}

/** `GET /api/plans`, `GET /api/plans/:code`. */
export interface PlanView {
  code: string;
  name: string;
  nameEn: string;
  hazard: Hazard;
  levels: PlanLevelView[];
  updatedAt: string;
}

/** `POST /api/plans/:code/activations` with `dryRun: true`: what would happen, nothing changed. */
export interface ActivationDryRun {
  dryRun: true;
  level: PlanLevel;
  exercise: boolean;
  sitesToSwitch: string[];
  alreadyInEmergency: string[];
  shortfalls: FacilityShortfallView[];
  standbySquads: string[];
  tasks: number;
}

/** One site an activation covers, and how far its conversion has come. */
export interface ActivationSiteView {
  facilityId: string;
  code: string;
  name: string;
  areaCode: string;
  type: FacilityType;
  /** False when the site was already in emergency mode: it has no conversion of its own. */
  switched: boolean;
  conversion: ConversionState;
  startedAt: string;
  expectedReadyAt: string;
  readyAt?: string;
  timeToReadySeconds?: number;
  /** Set when a level change or the stand-down released the site from this activation. */
  releasedAt?: string;
}

/** `GET /api/activations`, `GET /api/activations/:id`, and the answer to activating, escalating, standing down. */
export interface ActivationView {
  id: string;
  planCode: string;
  planName: string;
  planNameEn: string;
  level: PlanLevel;
  status: ActivationStatus;
  exercise: boolean;
  reason: string;
  activatedAt: string;
  stoodDownAt?: string;
  closedAt?: string;
  sites: ActivationSiteView[];
  standbySquads: string[];
}

/** `GET /api/conversion-tasks`. */
export interface ConversionTaskView {
  id: string;
  activationId: string;
  facilityId: string;
  kind: TaskKind;
  title: string;
  titleEn: string | null;
  who: string | null;
  expectedMinutes: number;
  status: 'open' | 'done';
  doneAt?: string;
  doneBy?: string;
  note?: string;
}

/** `GET /api/activations/:id/report`: the after-action report. */
export interface ActivationReport {
  activation: Omit<ActivationView, 'sites'>;
  timeline: { id: string; at: string; type: string; severity: string; summary: string; acknowledgedBy?: string }[];
  timeToReady: {
    sites: { facilityId: string; code: string; name: string; areaCode: string; seconds: number | null; overdue: boolean }[];
    switched: number;
    ready: number;
    overdue: number;
    medianSeconds: number | null;
    worstSeconds: number | null;
  };
  shortfallsAtActivation: FacilityShortfallView[];
  shortfallsAtStandDown: FacilityShortfallView[] | null;
  stockConsumed: { itemCode: string; quantity: number }[];
}
