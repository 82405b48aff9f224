import type { FacilityType } from '../contracts/facilities.js';
import type { ChecklistTask, PlanLevel, PlanLevelView } from '../contracts/plans.js';

/** Every site gets these when no checklist names its type: open it, check it. */
export const DEFAULT_CHECKLIST: ChecklistTask[] = [
  { title: '开放阵地并按应急功能布置', titleEn: 'Open the site and set it up for its emergency function', minutes: 20, who: '阵地工作人员' },
  { title: '清点应急物资', titleEn: 'Count the reserves', minutes: 15, who: '阵地工作人员' },
];

/** 急转平: what every site that goes back to normal must do. */
export const DEMOBILISATION_TASKS: ChecklistTask[] = [
  { title: '清点库存，记录消耗', titleEn: 'Count stock and record what was consumed', minutes: 30, who: '阵地工作人员' },
  { title: '补足储备至最低要求（缺口可从有富余的阵地调拨）', titleEn: 'Restock to the minimum (transfer from sites with surplus)', minutes: 60, who: '物资管理员' },
  { title: '清洁消毒', titleEn: 'Clean and disinfect', minutes: 60, who: '阵地工作人员' },
  { title: '设施检查，恢复日常服务', titleEn: 'Inspect the facility and restore everyday service', minutes: 30, who: '阵地负责人' },
];

/** The levels a level includes: itself and every less severe one (larger number). */
export const includedLevels = (levels: PlanLevelView[], level: PlanLevel): PlanLevelView[] => levels.filter((l) => l.level >= level);

/**
 * The WHERE clause (over `f`, facilities) selecting a level's sites, cumulative: a site is in when any
 * included level's scope takes it. Parameters are numbered from `first`.
 */
export function levelScopeSql(levels: PlanLevelView[], level: PlanLevel, first = 1): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${first + params.push(v) - 1}`;
  const ors: string[] = [];
  for (const l of includedLevels(levels, level)) {
    const s = l.scope;
    if (s.all) return { where: 'true', params: [] };
    const ands: string[] = [];
    if (s.areas?.length) ands.push(`f.area_code = ANY(${p(s.areas)}::text[])`);
    if (s.types?.length) ands.push(`f.type = ANY(${p(s.types)}::text[])`);
    if (s.kinds?.length) ands.push(`f.kind = ANY(${p(s.kinds)}::text[])`);
    if (ands.length) ors.push(`(${ands.join(' AND ')})`);
    if (s.facilityCodes?.length) ors.push(`f.code = ANY(${p(s.facilityCodes)}::text[])`);
  }
  return { where: ors.length ? `(${ors.join(' OR ')})` : 'false', params };
}

/** The checklist of a facility type at a level: the included levels' tasks for it, each title once. */
export function checklistFor(levels: PlanLevelView[], level: PlanLevel, type: FacilityType): ChecklistTask[] {
  const seen = new Set<string>();
  const out: ChecklistTask[] = [];
  for (const l of includedLevels(levels, level)) {
    for (const t of l.checklists[type] ?? []) {
      if (seen.has(t.title)) continue;
      seen.add(t.title);
      out.push(t);
    }
  }
  return out.length ? out : DEFAULT_CHECKLIST;
}

/** The reserve items a level requires, cumulative. */
export const reserveItemsOf = (levels: PlanLevelView[], level: PlanLevel): string[] => [...new Set(includedLevels(levels, level).flatMap((l) => l.reserveItems))];

/** A site's expected conversion time: its tasks one after another (one team does them). */
export const expectedMinutes = (tasks: ChecklistTask[]): number => tasks.reduce((sum, t) => sum + t.minutes, 0);

/** Median of numbers, or null for none. */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
