import { DomainError } from '../common/domain-error.js';
import type { FacilityType, Mode } from '../contracts/facility-types.js';

export interface FacilityFilter {
  type?: FacilityType;
  area?: string;
  mode?: Mode;
  /** minLng, minLat, maxLng, maxLat */
  bbox?: [number, number, number, number];
}

/** "118.6,24.7,118.7,24.8" → a checked bounding box, or a 400 that says what is wrong. */
export function parseBbox(raw: string): [number, number, number, number] {
  const parts = raw.split(',').map((p) => Number(p.trim()));
  const bad = (why: string) => new DomainError('FACILITY.BAD_BBOX', 'invalid', `bbox must be minLng,minLat,maxLng,maxLat: ${why}`);
  if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) throw bad('four numbers separated by commas');
  const [minLng, minLat, maxLng, maxLat] = parts;
  if ([minLng, maxLng].some((x) => x < -180 || x > 180) || [minLat, maxLat].some((y) => y < -90 || y > 90)) {
    throw bad('longitudes within ±180, latitudes within ±90');
  }
  if (minLng > maxLng || minLat > maxLat) throw bad('the minimums must not exceed the maximums');
  return [minLng, minLat, maxLng, maxLat];
}

/** A WHERE clause for the filter, parameters from `$1`. */
export function filterSql(f: FacilityFilter): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    clauses.push(sql(params.length));
  };
  if (f.type) add((n) => `type = $${n}`, f.type);
  if (f.area) add((n) => `area_code = $${n}`, f.area);
  if (f.mode) add((n) => `mode = $${n}`, f.mode);
  if (f.bbox) {
    const [minLng, minLat, maxLng, maxLat] = f.bbox;
    add((n) => `lng >= $${n}`, minLng);
    add((n) => `lat >= $${n}`, minLat);
    add((n) => `lng <= $${n}`, maxLng);
    add((n) => `lat <= $${n}`, maxLat);
  }
  return { where: clauses.length ? clauses.join(' AND ') : 'true', params };
}
