import type { FacilityImportRowDto } from './dto/facility-import-row.dto.js';
import type { SquadImportRowDto } from './dto/squad-import-row.dto.js';
import type { RowProblem as RowError } from '../common/domain-error.js';
import { rowText } from '../common/messages/rows.js';

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
    if (seen !== undefined) errors.push({ line, field: 'code', ...rowText('duplicateCode', { code: row.code, line: seen }) });
    else firstLine.set(row.code, line);
    if (row.kind && row.type !== 'neighborhood_center') errors.push({ line, field: 'kind', ...rowText('kindNotAllowed') });
    if (row.parentCode === row.code) errors.push({ line, field: 'parentCode', ...rowText('ownParent') });
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
      if (!row.squadName) errors.push({ line, field: 'squadName', ...rowText('squadNameNeeded', { squad: row.squadCode }) });
      if (!row.areaCode) errors.push({ line, field: 'areaCode', ...rowText('areaCodeNeeded', { squad: row.squadCode }) });
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
          errors.push({ line, field, ...rowText('differsFromLine', { field, line: entry.plan.line, squad: row.squadCode }) });
        }
      }
    }
    if (!row.memberName) {
      if (row.memberPhone || row.memberSkills?.length || row.isLeader || row.partyMember) {
        errors.push({ line, field: 'memberName', ...rowText('memberNameMissing') });
      }
      continue;
    }
    const memberKey = `${row.memberName}\u0000${row.memberPhone ?? ''}`;
    const seen = entry.memberLines.get(memberKey);
    if (seen !== undefined) {
      errors.push({ line, field: 'memberName', ...rowText('duplicateMember', { member: row.memberName, squad: row.squadCode, line: seen }) });
      continue;
    }
    entry.memberLines.set(memberKey, line);
    if (row.isLeader && entry.plan.members.some((m) => m.isLeader)) {
      errors.push({ line, field: 'isLeader', ...rowText('secondLeader', { squad: row.squadCode }) });
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
