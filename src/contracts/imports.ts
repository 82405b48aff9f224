// Imports of sites and squads: what an upload answers, its progress, and the record of past imports.
export const IMPORT_FORMATS = ['csv', 'geojson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const IMPORT_KINDS = ['facilities', 'squads'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** `POST /api/imports/{facilities,squads}`. */
export interface ImportResult {
  importId: string;
  kind: ImportKind;
  format: ImportFormat;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  areasCreated: string[];
  /**
   * Sites of this file left in normal mode in an area where sites are in emergency: the import page
   * offers to switch them (POST /api/switchovers). Facility imports only; ids are meaningless in a dry run.
   */
  inEmergencyAreas?: { areaCode: string; facilityIds: string[]; codes: string[] }[];
}

/** The socket message `import.progress`, to the uploader's own sockets. */
export interface ImportProgress {
  importId: string;
  kind: ImportKind;
  phase: 'checking' | 'writing' | 'done' | 'failed';
  /** Lines of the file written so far, of `total`. */
  done: number;
  total: number;
}

/** `GET /api/imports`: the recent imports. */
export interface ImportRecordView {
  id: string;
  kind: ImportKind;
  format: ImportFormat;
  fileName: string | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  areasCreated: string[] | null;
  by: string | null;
  at: string;
}
