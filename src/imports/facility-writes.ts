import type { EntityManager } from 'typeorm';
import { rowsOf } from '../common/pg-errors.js';
import { describeCycle, FACILITY_PARENTS_LOCK, findParentCycles } from '../facilities/parent-cycles.js';
import { invalidRows } from './import-file.js';
import type { FacilityImportRowDto } from './dto/facility-import-row.dto.js';
import type { Lined } from './import-checks.js';
import { type Applied, existing, type Progress, writeInChunks } from './import-writes.js';
import type { RowProblem as RowError } from '../common/domain-error.js';
import { rowText } from '../common/messages/rows.js';

const AREA_CODE = /^[a-z][a-z0-9_]{1,39}$/;

const distinct = <T>(values: T[]) => [...new Set(values)];

/** What only the database can tell: areas that exist (or may be created), grid zones, parents. */
export async function checkFacilityReferences(m: EntityManager, rows: Lined<FacilityImportRowDto>[]): Promise<RowError[]> {
  const errors: RowError[] = [];
  const areas = await existing(m, 'areas', distinct(rows.map((r) => r.row.areaCode)));
  const named = new Set(rows.filter((r) => r.row.areaName).map((r) => r.row.areaCode));
  const zones = await existing(m, 'grid_zones', distinct(rows.flatMap((r) => (r.row.gridZoneCode ? [r.row.gridZoneCode] : []))));
  const inFile = new Set(rows.map((r) => r.row.code));
  const parents = await existing(m, 'facilities', distinct(rows.flatMap((r) => (r.row.parentCode && !inFile.has(r.row.parentCode) ? [r.row.parentCode] : []))));
  for (const { line, row } of rows) {
    if (!areas.has(row.areaCode)) {
      if (!named.has(row.areaCode)) {
        errors.push({ line, field: 'areaCode', ...rowText('unknownArea', { value: row.areaCode, canCreate: 1 }) });
      } else if (!AREA_CODE.test(row.areaCode)) {
        errors.push({ line, field: 'areaCode', ...rowText('badNewAreaCode') });
      }
    }
    if (row.gridZoneCode) {
      if (!zones.has(row.gridZoneCode)) errors.push({ line, field: 'gridZoneCode', ...rowText('unknownGridZone', { value: row.gridZoneCode }) });
      else if (zones.get(row.gridZoneCode) !== row.areaCode) {
        errors.push({ line, field: 'gridZoneCode', ...rowText('gridZoneElsewhere', { value: row.gridZoneCode, area: zones.get(row.gridZoneCode) ?? undefined, expected: row.areaCode ?? undefined }) });
      }
    }
    if (row.parentCode && !inFile.has(row.parentCode) && !parents.has(row.parentCode)) {
      errors.push({ line, field: 'parentCode', ...rowText('unknownParent', { value: row.parentCode }) });
    }
  }
  return errors;
}

/** New areas named in the file, placed at the mean position of their sites. */
async function createAreas(m: EntityManager, rows: Lined<FacilityImportRowDto>[]): Promise<string[]> {
  const named = rows.filter((r) => r.row.areaName);
  const known = await existing(m, 'areas', distinct(named.map((r) => r.row.areaCode)));
  const fresh = distinct(named.map((r) => r.row.areaCode)).filter((code) => !known.has(code));
  for (const code of fresh) {
    const sites = rows.filter((r) => r.row.areaCode === code).map((r) => r.row);
    const name = sites.find((s) => s.areaName)?.areaName;
    const mean = (f: (s: FacilityImportRowDto) => number) => sites.reduce((sum, s) => sum + f(s), 0) / sites.length;
    await m.query('INSERT INTO areas (code, name, lat, lng) VALUES ($1, $2, $3, $4)', [code, name, mean((s) => s.lat), mean((s) => s.lng)]);
  }
  return fresh;
}

const UPSERT = `
  INSERT INTO facilities (code, name, name_en, type, kind, area_code, grid_zone_code, lat, lng, capacity, opening_hours, emergency_function)
  SELECT code, name, name_en, type, kind, area_code, grid_zone_code, lat, lng, capacity, coalesce(opening_hours, '08:00-20:00'), emergency_function
  FROM jsonb_to_recordset($1::jsonb) AS r(code text, name text, name_en text, type text, kind text, area_code text, grid_zone_code text,
    lat double precision, lng double precision, capacity integer, opening_hours text, emergency_function text)
  ON CONFLICT (code) DO UPDATE SET
    name = excluded.name, name_en = excluded.name_en, type = excluded.type, kind = excluded.kind, area_code = excluded.area_code,
    grid_zone_code = excluded.grid_zone_code, lat = excluded.lat, lng = excluded.lng, capacity = excluded.capacity,
    opening_hours = excluded.opening_hours, emergency_function = excluded.emergency_function, updated_at = now()
  -- An identical row is left alone: re-importing a file changes nothing, not even updated_at.
  WHERE (facilities.name, facilities.name_en, facilities.type, facilities.kind, facilities.area_code, facilities.grid_zone_code,
         facilities.lat, facilities.lng, facilities.capacity, facilities.opening_hours, facilities.emergency_function)
    IS DISTINCT FROM (excluded.name, excluded.name_en, excluded.type, excluded.kind, excluded.area_code, excluded.grid_zone_code,
         excluded.lat, excluded.lng, excluded.capacity, excluded.opening_hours, excluded.emergency_function)
  RETURNING code, (xmax = 0) AS inserted`;

// Parents after every row exists: a row may name a parent further down the file.
const SET_PARENTS = `
  UPDATE facilities f SET parent_id = p.id, updated_at = now()
  FROM jsonb_to_recordset($1::jsonb) AS r(code text, parent_code text) LEFT JOIN facilities p ON p.code = r.parent_code
  WHERE f.code = r.code AND f.parent_id IS DISTINCT FROM p.id
  RETURNING f.code`;

export async function applyFacilities(m: EntityManager, rows: Lined<FacilityImportRowDto>[], progress: Progress): Promise<Applied> {
  const areasCreated = await createAreas(m, rows);
  const created = new Set<string>();
  const updated = new Set<string>();
  const upsert = async (lined: typeof rows) => {
    const chunk = lined.map(({ row: r }) => ({
      code: r.code,
      name: r.name,
      name_en: r.nameEn ?? null,
      type: r.type,
      kind: r.kind ?? null,
      area_code: r.areaCode,
      grid_zone_code: r.gridZoneCode ?? null,
      lat: r.lat,
      lng: r.lng,
      capacity: r.capacity ?? null,
      opening_hours: r.openingHours ?? null,
      emergency_function: r.emergencyFunction ?? null,
    }));
    const changed: { code: string; inserted: boolean }[] = await m.query(UPSERT, [JSON.stringify(chunk)]);
    for (const c of changed) (c.inserted ? created : updated).add(c.code);
  };
  await writeInChunks(rows, upsert, progress);
  const parentOf = rows.map(({ row }) => ({ code: row.code, parent_code: row.parentCode ?? null }));
  await m.query('SELECT pg_advisory_xact_lock($1)', [FACILITY_PARENTS_LOCK]);
  const reparented: { code: string }[] = [];
  await writeInChunks(parentOf, async (chunk) => {
    reparented.push(...rowsOf<{ code: string }>(await m.query(SET_PARENTS, [JSON.stringify(chunk)])));
  });
  // No site may end up inside itself (A inside B inside A), within the file or with the sites already there.
  const withParent = rows.filter(({ row }) => row.parentCode).map(({ row }) => row.code);
  const ids: { id: string }[] = withParent.length ? await m.query('SELECT id FROM facilities WHERE code = ANY($1::text[])', [withParent]) : [];
  const cycles = await findParentCycles(m, ids.map((r) => r.id));
  if (cycles.length) {
    const lineOf = new Map(rows.map(({ line, row }) => [row.code, line]));
    throw invalidRows(
      cycles.map((c) => ({ line: lineOf.get(c.code) ?? 0, field: 'parentCode', ...rowText('parentCycle', { code: c.code, cycle: describeCycle(c) }) })),
      rows.length,
    );
  }
  for (const { code } of reparented) if (!created.has(code)) updated.add(code);
  return { created: created.size, updated: updated.size, areasCreated };
}
