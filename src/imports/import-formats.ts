import { FACILITY_COLUMNS_IN_FILES, FacilityImportRowDto, REQUIRED_FACILITY_COLUMNS } from './dto/facility-import-row.dto.js';
import { REQUIRED_SQUAD_COLUMNS, SQUAD_COLUMNS_IN_FILES, SquadImportRowDto } from './dto/squad-import-row.dto.js';
import { readGeoJsonRows } from './geojson-file.js';
import { checkFacilityRows, groupSquadRows, type Lined, type SquadPlan } from './import-checks.js';
import { readCsvRows, splitList, toBoolean, toNumber, validateRows } from './import-file.js';
import type { RowProblem as RowError } from '../common/domain-error.js';
import type { ImportFormat } from '../contracts/imports.js';


/** What a file says, checked row by row: the rows to apply, or the problems to report. */
export interface ReadFile<T> {
  total: number;
  rows: T[];
  errors: RowError[];
}

/** Our own GeoJSON export describes emergencyFunction as an object; an import wants the override code. */
function emergencyFunctionCode(v: unknown): unknown {
  if (typeof v === 'object' && v !== null && 'code' in v) return (v as { overridden?: boolean }).overridden ? (v as { code: unknown }).code : undefined;
  return v;
}

const sortedSet = (v: unknown) => (Array.isArray(v) ? [...new Set(v as string[])].sort() : v);

export async function readFacilityFile(text: string, format: ImportFormat): Promise<ReadFile<Lined<FacilityImportRowDto>>> {
  const parsed =
    format === 'csv' ? { rows: await readCsvRows(text, FACILITY_COLUMNS_IN_FILES, REQUIRED_FACILITY_COLUMNS), errors: [] } : readGeoJsonRows(text);
  const { valid, errors } = await validateRows(FacilityImportRowDto, parsed.rows, (v) => ({
    ...v,
    lat: toNumber(v.lat),
    lng: toNumber(v.lng),
    capacity: toNumber(v.capacity),
    emergencyFunction: emergencyFunctionCode(v.emergencyFunction),
  }));
  const total = parsed.rows.length + parsed.errors.length;
  return { total, rows: valid, errors: [...parsed.errors, ...errors, ...checkFacilityRows(valid)] };
}

export async function readSquadFile(text: string): Promise<ReadFile<SquadPlan>> {
  const rows = await readCsvRows(text, SQUAD_COLUMNS_IN_FILES, REQUIRED_SQUAD_COLUMNS);
  const { valid, errors } = await validateRows(SquadImportRowDto, rows, (v) => ({
    ...v,
    squadSkills: sortedSet(splitList(v.squadSkills)),
    memberSkills: sortedSet(splitList(v.memberSkills)),
    partyMember: toBoolean(v.partyMember),
    isLeader: toBoolean(v.isLeader),
  }));
  const grouped = groupSquadRows(valid);
  return { total: rows.length, rows: grouped.squads, errors: [...errors, ...grouped.errors] };
}
