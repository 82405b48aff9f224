/** What an import answers, shared with the dashboard's import page (no runtime dependencies). */
export const IMPORT_FORMATS = ['csv', 'geojson'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export type ImportKind = 'facilities' | 'squads';

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
}
