import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { rowsOf } from '../common/pg-errors.js';
import { EventsService } from '../events/events.service.js';
import { FACILITY_TYPES, type FacilityType } from '../contracts/facilities.js';
import { type ChecklistTask, type Hazard, PLAN_LEVELS, type PlanLevelView, type PlanView } from '../contracts/plans.js';
import type { CreatePlanDto, PlanBodyDto } from './dto/plan.dto.js';

interface PlanRow {
  code: string;
  name: string;
  name_en: string;
  hazard: Hazard;
  levels: PlanLevelView[];
  updated_at: Date;
}

const invalid = (message: string) => new DomainError('PLAN.INVALID', 'invalid', message);
const MAX_TASKS = 50;

export const toPlanView = (r: PlanRow): PlanView => ({
  code: r.code,
  name: r.name,
  nameEn: r.name_en,
  hazard: r.hazard,
  levels: [...r.levels].sort((a, b) => b.level - a.level),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** Response plans: everyone reads them, commanders write them. */
@Injectable()
export class PlansService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
  ) {}

  async list(): Promise<PlanView[]> {
    const rows: PlanRow[] = await this.dataSource.query('SELECT code, name, name_en, hazard, levels, updated_at FROM response_plans ORDER BY code');
    return rows.map(toPlanView);
  }

  async get(code: string, m: EntityManager = this.dataSource.manager, lock = false): Promise<PlanView> {
    const [row]: PlanRow[] = await m.query(
      `SELECT code, name, name_en, hazard, levels, updated_at FROM response_plans WHERE code = $1${lock ? ' FOR SHARE' : ''}`,
      [code],
    );
    if (!row) throw new DomainError('PLAN.NOT_FOUND', 'not_found', { code });
    return toPlanView(row);
  }

  async create(actor: AuthUser, dto: CreatePlanDto): Promise<PlanView> {
    const levels = await this.checkLevels(dto);
    return this.dataSource.transaction(async (m) => {
      const inserted: PlanRow[] = await m.query(
        `INSERT INTO response_plans (code, name, name_en, hazard, levels) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (code) DO NOTHING RETURNING code, name, name_en, hazard, levels, updated_at`,
        [dto.code, dto.name, dto.nameEn, dto.hazard, JSON.stringify(levels)],
      );
      if (!inserted.length) throw new DomainError('PLAN.CODE_TAKEN', 'conflict', { code: dto.code });
      await this.events.append(m, { type: 'plan.saved', audience: 'staff', actor, payload: { code: dto.code, name: dto.name, created: true } });
      return toPlanView(inserted[0]);
    });
  }

  /** Edits a plan; active activations keep the levels they were activated with until their next level change. */
  async update(actor: AuthUser, code: string, dto: PlanBodyDto): Promise<PlanView> {
    const levels = await this.checkLevels(dto);
    return this.dataSource.transaction(async (m) => {
      const updated = rowsOf<PlanRow>(await m.query(
        `UPDATE response_plans SET name = $2, name_en = $3, hazard = $4, levels = $5, updated_at = now() WHERE code = $1
         RETURNING code, name, name_en, hazard, levels, updated_at`,
        [code, dto.name, dto.nameEn, dto.hazard, JSON.stringify(levels)],
      ));
      if (!updated.length) throw new DomainError('PLAN.NOT_FOUND', 'not_found', { code });
      await this.events.append(m, { type: 'plan.saved', audience: 'staff', actor, payload: { code, name: dto.name, created: false } });
      return toPlanView(updated[0]);
    });
  }

  /** The four levels, each once, with known areas, items and facility types, and well-formed checklists. */
  private async checkLevels(dto: PlanBodyDto): Promise<PlanLevelView[]> {
    const given = dto.levels.map((l) => l.level);
    if (given.length !== PLAN_LEVELS.length || new Set(given).size !== PLAN_LEVELS.length) {
      throw invalid('levels must hold each of the four levels 4, 3, 2 and 1 exactly once.');
    }
    const areas = new Set(dto.levels.flatMap((l) => [...(l.scope.areas ?? []), ...(l.standby.areas ?? [])]));
    const items = new Set(dto.levels.flatMap((l) => l.reserveItems));
    const codes = new Set(dto.levels.flatMap((l) => l.scope.facilityCodes ?? []));
    const [known] = await this.dataSource.query(
      `SELECT (SELECT coalesce(array_agg(code), '{}') FROM areas WHERE code = ANY($1::text[])) AS areas,
              (SELECT coalesce(array_agg(code), '{}') FROM supply_items WHERE code = ANY($2::text[])) AS items,
              (SELECT coalesce(array_agg(code), '{}') FROM facilities WHERE code = ANY($3::text[])) AS sites`,
      [[...areas], [...items], [...codes]],
    );
    const unknown = (all: Set<string>, found: string[]) => [...all].filter((x) => !found.includes(x));
    if (unknown(areas, known.areas).length) throw invalid(`Unknown area ${unknown(areas, known.areas).join(', ')}; see GET /api/areas.`);
    if (unknown(items, known.items).length) throw invalid(`Unknown supply item ${unknown(items, known.items).join(', ')}; see GET /api/supply-items.`);
    if (unknown(codes, known.sites).length) throw invalid(`Unknown site code ${unknown(codes, known.sites).slice(0, 5).join(', ')}.`);
    return dto.levels
      .map((l) => {
        if (l.scope.all && (l.scope.areas || l.scope.types || l.scope.kinds || l.scope.facilityCodes)) {
          throw invalid(`Level ${l.level}: scope.all takes the whole city; give nothing else with it.`);
        }
        return {
          level: l.level,
          scope: { ...l.scope },
          standby: { ...l.standby },
          reserveItems: [...new Set(l.reserveItems)],
          checklists: checkChecklists(l.level, l.checklists),
        };
      })
      .sort((a, b) => b.level - a.level);
  }
}

function checkChecklists(level: number, raw: Record<string, unknown>): Partial<Record<FacilityType, ChecklistTask[]>> {
  const out: Partial<Record<FacilityType, ChecklistTask[]>> = {};
  for (const [type, tasks] of Object.entries(raw)) {
    const at = `Level ${level}, checklist ${type}`;
    if (!(FACILITY_TYPES as readonly string[]).includes(type)) throw invalid(`${at}: unknown facility type; the types are ${FACILITY_TYPES.join(', ')}.`);
    if (!Array.isArray(tasks) || tasks.length > MAX_TASKS) throw invalid(`${at}: give a list of at most ${MAX_TASKS} tasks.`);
    out[type as FacilityType] = tasks.map((t: unknown, i) => {
      const task = (t ?? {}) as Record<string, unknown>;
      const text = (v: unknown, min: number, max: number) => typeof v === 'string' && v.trim().length >= min && v.length <= max;
      if (typeof t !== 'object' || t === null || Array.isArray(t)) throw invalid(`${at}, task ${i + 1}: must be {title, minutes, titleEn?, who?}.`);
      const extra = Object.keys(task).filter((k) => !['title', 'titleEn', 'minutes', 'who'].includes(k));
      if (extra.length) throw invalid(`${at}, task ${i + 1}: unknown field ${extra.join(', ')}.`);
      if (!text(task.title, 2, 200)) throw invalid(`${at}, task ${i + 1}: title must be 2 to 200 characters.`);
      if (typeof task.minutes !== 'number' || !Number.isFinite(task.minutes) || task.minutes <= 0 || task.minutes > 10080) {
        throw invalid(`${at}, task ${i + 1}: minutes must be a number above 0 and at most 10080 (a week).`);
      }
      if (task.titleEn !== undefined && !text(task.titleEn, 0, 200)) throw invalid(`${at}, task ${i + 1}: titleEn must be text of at most 200 characters.`);
      if (task.who !== undefined && !text(task.who, 0, 100)) throw invalid(`${at}, task ${i + 1}: who must be text of at most 100 characters.`);
      return { title: task.title as string, titleEn: task.titleEn as string | undefined, minutes: task.minutes, who: task.who as string | undefined };
    });
  }
  return out;
}
