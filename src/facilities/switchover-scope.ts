import { DomainError } from '../common/domain-error.js';
import { FACILITY_TYPES, type FacilityType } from '../contracts/facility-types.js';

/** Which sites a switchover covers: listed sites, or every site of some areas and/or types, or all. */
export interface SwitchoverScope {
  facilityIds?: string[];
  areas?: string[];
  types?: string[];
  all?: boolean;
}

export type ResolvedScope =
  | { kind: 'all' }
  | { kind: 'facilities'; facilityIds: string[] }
  | { kind: 'areasTypes'; areas?: string[]; types?: FacilityType[] };

const invalid = (message: string) => new DomainError('SWITCHOVER.INVALID_SCOPE', 'invalid', message);

/**
 * Checks the shape of a scope: exactly one of `all`, `facilityIds`, or `areas`/`types` (both: the sites
 * of those types in those areas). Duplicates are dropped; nothing empty is accepted.
 */
export function resolveScope(scope: SwitchoverScope): ResolvedScope {
  const ids = scope.facilityIds ? [...new Set(scope.facilityIds)] : undefined;
  const areas = scope.areas ? [...new Set(scope.areas)] : undefined;
  const types = scope.types ? [...new Set(scope.types)] : undefined;
  const given = [scope.all === true, ids !== undefined, areas !== undefined || types !== undefined].filter(Boolean).length;
  if (scope.all === false && given === 0) throw invalid('scope.all is false and nothing else is given: say which sites to switch.');
  if (given === 0) throw invalid('The scope is empty: give facilityIds, areas, types, or all: true.');
  if (given > 1) throw invalid('Give only one of: facilityIds, areas/types, or all: true.');
  if (scope.all) return { kind: 'all' };
  if (ids) {
    if (!ids.length) throw invalid('scope.facilityIds is empty.');
    return { kind: 'facilities', facilityIds: ids };
  }
  if (areas && !areas.length) throw invalid('scope.areas is empty.');
  if (types && !types.length) throw invalid('scope.types is empty.');
  const unknownTypes = (types ?? []).filter((t) => !(FACILITY_TYPES as readonly string[]).includes(t));
  if (unknownTypes.length) {
    throw invalid(`Unknown facility type ${unknownTypes.join(', ')}; the types are ${FACILITY_TYPES.join(', ')}.`);
  }
  return { kind: 'areasTypes', areas, types: types as FacilityType[] | undefined };
}

/** The WHERE clause selecting a resolved scope's facilities, parameters from `$first`. */
export function scopeSql(scope: ResolvedScope, first = 1): { where: string; params: unknown[] } {
  if (scope.kind === 'all') return { where: 'true', params: [] };
  if (scope.kind === 'facilities') return { where: `id = ANY($${first}::uuid[])`, params: [scope.facilityIds] };
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (scope.areas) clauses.push(`area_code = ANY($${first + params.push(scope.areas) - 1}::text[])`);
  if (scope.types) clauses.push(`type = ANY($${first + params.push(scope.types) - 1}::text[])`);
  return { where: clauses.join(' AND '), params };
}
