// Drills and trainings as the API returns them.
export const DRILL_KINDS = ['drill', 'training'] as const;
export type DrillKind = (typeof DRILL_KINDS)[number];
export const DRILL_STATUSES = ['planned', 'running', 'finished', 'cancelled'] as const;
export type DrillStatus = (typeof DRILL_STATUSES)[number];

/** `GET /api/drills`, `GET /api/drills/:id`. */
export interface DrillView {
  id: string;
  title: string;
  kind: DrillKind;
  scenario: string | null;
  areas: string[];
  plannedStart: string;
  plannedEnd: string;
  actualStart: string | null;
  actualEnd: string | null;
  status: DrillStatus;
  summary: string | null;
  coordinator: string | null;
  squadIds: string[];
  facilityIds: string[];
  exercise: true;
}

/** `GET /api/drills/:id/report`: who took part, and how fast they answered and arrived. */
export interface DrillReportView {
  drill: DrillView;
  participants: { squads: number; people: number };
  squads: {
    squadId: string;
    code: string;
    name: string;
    members: number;
    dispatchStatus: string | null;
    secondsToAcknowledge: number | null;
    secondsToArrive: number | null;
  }[];
  acknowledge: { median: number | null; worst: number | null; count: number };
  arrive: { median: number | null; worst: number | null; count: number };
  log: { at: string; text: string; by: string | null; source: string; type: string | null }[];
}

/** `GET /api/drills/stats?year=`: the year in numbers. */
export interface DrillStatsView {
  year: number;
  drills: number;
  byKind: Record<string, number>;
  hours: number;
  squads: number;
  squadParticipations: number;
  people: number;
  byArea: Record<string, number>;
  byMonth: { month: number; kind: DrillKind; count: number }[];
}
