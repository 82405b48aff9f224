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
