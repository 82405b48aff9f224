import type { FacilityImportRowDto } from './dto/facility-import-row.dto.js';
import type { SquadImportRowDto } from './dto/squad-import-row.dto.js';
import type { RowError } from '../contracts/errors.js';

export interface Lined<T> {
  line: number;
  row: T;
}

/** Checks across rows that no single-row rule sees: a code given twice, a site inside itself, kinds. */
export function checkFacilityRows(rows: Lined<FacilityImportRowDto>[]): RowError[] {
  const errors: RowError[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, row } of rows) {
    const seen = firstLine.get(row.code);
    if (seen !== undefined) errors.push({ line, field: 'code', message: `code ${row.code} is already on line ${seen}: each site once per file` });
    else firstLine.set(row.code, line);
    if (row.kind && row.type !== 'neighborhood_center') errors.push({ line, field: 'kind', message: 'kind: only neighborhood centers have a kind' });
    if (row.parentCode === row.code) errors.push({ line, field: 'parentCode', message: 'parentCode: a site cannot be inside itself' });
  }
  return errors;
}

export interface SquadMemberPlan {
  name: string;
  phone: string | null;
  skills: string[];
  partyMember: boolean;
  isLeader: boolean;
}

export interface SquadPlan {
  line: number;
  code: string;
  name: string;
  areaCode: string;
  baseSiteCode: string | null;
  skills: string[];
  members: SquadMemberPlan[];
}

const SQUAD_FIELDS = ['squadName', 'areaCode', 'baseSiteCode', 'squadSkills'] as const;
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Squads CSV lines → one plan per squad. A squad's own fields come from its first line; later lines
 * may repeat them (the export does) or leave them empty, but not contradict them.
 */
export function groupSquadRows(rows: Lined<SquadImportRowDto>[]): { squads: SquadPlan[]; errors: RowError[] } {
  const errors: RowError[] = [];
  const byCode = new Map<string, { first: SquadImportRowDto; plan: SquadPlan; memberLines: Map<string, number> }>();
  for (const { line, row } of rows) {
    let entry = byCode.get(row.squadCode);
    if (!entry) {
      if (!row.squadName) errors.push({ line, field: 'squadName', message: `squadName is needed on the first line of squad ${row.squadCode}` });
      if (!row.areaCode) errors.push({ line, field: 'areaCode', message: `areaCode is needed on the first line of squad ${row.squadCode}` });
      const plan: SquadPlan = {
        line,
        code: row.squadCode,
        name: row.squadName ?? '',
        areaCode: row.areaCode ?? '',
        baseSiteCode: row.baseSiteCode ?? null,
        skills: row.squadSkills ?? [],
        members: [],
      };
      entry = { first: row, plan, memberLines: new Map() };
      byCode.set(row.squadCode, entry);
    } else {
      for (const field of SQUAD_FIELDS) {
        if (row[field] !== undefined && !sameValue(row[field], entry.first[field])) {
          errors.push({ line, field, message: `${field} differs from line ${entry.plan.line} for the same squad ${row.squadCode}` });
        }
      }
    }
    if (!row.memberName) {
      if (row.memberPhone || row.memberSkills?.length || row.isLeader || row.partyMember) {
        errors.push({ line, field: 'memberName', message: 'memberName is missing: the line has other member fields' });
      }
      continue;
    }
    const memberKey = `${row.memberName}\u0000${row.memberPhone ?? ''}`;
    const seen = entry.memberLines.get(memberKey);
    if (seen !== undefined) {
      errors.push({ line, field: 'memberName', message: `${row.memberName} is already a member of ${row.squadCode} on line ${seen}` });
      continue;
    }
    entry.memberLines.set(memberKey, line);
    if (row.isLeader && entry.plan.members.some((m) => m.isLeader)) {
      errors.push({ line, field: 'isLeader', message: `squad ${row.squadCode} already has a leader: one per squad` });
    }
    entry.plan.members.push({
      name: row.memberName,
      phone: row.memberPhone ?? null,
      skills: row.memberSkills ?? [],
      partyMember: row.partyMember ?? false,
      isLeader: row.isLeader ?? false,
    });
  }
  return { squads: [...byCode.values()].map((e) => e.plan), errors };
}

/** A squad's members in one canonical order, so the file's and the database's sets compare equal. */
export function canonicalMembers(members: SquadMemberPlan[]): string {
  const sorted = [...members].sort((a, b) => (a.name + '\u0000' + (a.phone ?? '')).localeCompare(b.name + '\u0000' + (b.phone ?? '')));
  return JSON.stringify(sorted.map((m) => [m.name, m.phone, [...m.skills].sort(), m.partyMember, m.isLeader]));
}
