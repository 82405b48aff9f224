import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { assertManagesSite } from '../auth/ownership.js';
import { rowsOf } from '../common/pg-errors.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { SwitchoverService } from '../facilities/switchover.service.js';
import { RollCallsService } from '../roll-calls/roll-calls.service.js';
import { ReadinessService } from '../supplies/readiness.service.js';
import type { FacilityType, Mode } from '../contracts/facilities.js';
import type {
  ActivationDryRun, ActivationStatus, ActivationView, ChecklistTask, ConversionState, ConversionTaskView, PlanLevel, PlanView, TaskKind,
} from '../contracts/plans.js';
import type { FacilityShortfallView } from '../contracts/supplies.js';
import { checklistFor, DEMOBILISATION_TASKS, expectedMinutes, includedLevels, levelScopeSql, reserveItemsOf } from './plan-rules.js';
import { PlansService } from './plans.service.js';

/** Held by every transaction that changes activations: coverage of a site by "any active activation" is then never read stale. */
const PLANS_LOCK = 7_400_301;

interface SiteRow {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  type: FacilityType;
  area_code: string;
  mode: Mode;
}

export interface ActivationRow {
  id: string;
  plan_code: string;
  plan_name: string;
  plan_name_en: string;
  level: PlanLevel;
  status: ActivationStatus;
  exercise: boolean;
  reason: string;
  activated_at: Date;
  stood_down_at: Date | null;
  closed_at: Date | null;
  shortfalls_at_activation: FacilityShortfallView[];
  shortfalls_at_stand_down: FacilityShortfallView[] | null;
}

interface ActivationSiteRow {
  facility_id: string;
  code: string;
  name: string;
  area_code: string;
  type: FacilityType;
  switched: boolean;
  started_at: Date;
  expected_ready_at: Date;
  ready_at: Date | null;
  released_at: Date | null;
  conversion: ConversionState;
}

interface TaskRow {
  id: string;
  activation_id: string;
  facility_id: string;
  kind: TaskKind;
  title: string;
  title_en: string | null;
  who: string | null;
  expected_minutes: string | number;
  status: 'open' | 'done';
  done_at: Date | null;
  done_by: string | null;
  note: string | null;
}

export const ACTIVATION_COLUMNS = `a.id, a.plan_code, p.name AS plan_name, p.name_en AS plan_name_en, a.level, a.status, a.exercise, a.reason,
  a.activated_at, a.stood_down_at, a.closed_at, a.shortfalls_at_activation, a.shortfalls_at_stand_down`;
const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : undefined);

/** What a level of a plan takes: its sites, the squads to stand by, and the reserves to check. */
interface LevelTake {
  sites: SiteRow[];
  squadIds: string[];
  reserveItems: string[];
}

/**
 * Activations of response plans: the switchover (the facilities' own machinery, in this transaction),
 * the record, each switched site's conversion tasks, the standby orders, and the events — together.
 */
@Injectable()
export class ActivationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly switchovers: SwitchoverService,
    private readonly readiness: ReadinessService,
    private readonly plans: PlansService,
    private readonly rollCalls: RollCallsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async activate(actor: AuthUser, code: string, req: { level: PlanLevel; reason: string; dryRun?: boolean; exercise?: boolean }): Promise<ActivationDryRun | ActivationView> {
    const exercise = req.exercise === true;
    if (!exercise && actor.role !== 'commander') {
      throw new DomainError('PLAN.EXERCISE_ONLY', 'forbidden', { reason: 'activate' });
    }
    if (req.dryRun) {
      const plan = await this.plans.get(code);
      const take = await this.take(this.dataSource.manager, plan, req.level);
      const toSwitch = exercise ? take.sites : take.sites.filter((s) => s.mode === 'normal');
      return {
        dryRun: true,
        level: req.level,
        exercise,
        sitesToSwitch: toSwitch.map((s) => s.id),
        alreadyInEmergency: exercise ? [] : take.sites.filter((s) => s.mode === 'emergency').map((s) => s.id),
        shortfalls: await this.shortfalls(this.dataSource.manager, take.sites.map((s) => s.id), take.reserveItems),
        standbySquads: take.squadIds,
        tasks: toSwitch.reduce((n, s) => n + checklistFor(plan.levels, req.level, s.type).length, 0),
      };
    }
    const id = await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [PLANS_LOCK]);
      const plan = await this.plans.get(code, m, true);
      const take = await this.take(m, plan, req.level);
      const events: NewEvent[] = [];
      const toSwitch = take.sites.filter((s) => s.mode === 'normal').map((s) => s.id);
      if (!exercise && toSwitch.length) {
        const done = await this.switchovers.switchoverInTransaction(m, actor, {
          mode: 'emergency',
          reason: `${plan.name} ${roman(req.level)}: ${req.reason}`,
          scope: { facilityIds: toSwitch },
        });
        events.push(...done.events);
      }
      const shortfalls = await this.shortfalls(m, take.sites.map((s) => s.id), take.reserveItems);
      const [row]: { id: string }[] = await m.query(
        `INSERT INTO plan_activations (plan_code, level, exercise, reason, actor_id, actor_name, shortfalls_at_activation)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [plan.code, req.level, exercise, req.reason, actor.id, actor.username, JSON.stringify(shortfalls)],
      );
      const switched = new Set(exercise ? take.sites.map((s) => s.id) : toSwitch);
      await this.addSites(m, row.id, plan, req.level, take.sites, switched);
      await this.orderStandby(m, row.id, take.squadIds);
      if (!exercise) events.push(...(await this.standbyRollCall(m, actor, plan, req.level, take.squadIds)));
      events.push({
        type: 'plan.activated',
        severity: 'warning',
        exercise,
        actor,
        payload: {
          ...this.ref(row.id, plan),
          level: req.level,
          reason: req.reason,
          areas: [...new Set(take.sites.map((s) => s.area_code))].sort(),
          sites: take.sites.length,
          switched: switched.size,
          standbySquadIds: take.squadIds,
        },
      });
      await this.events.append(m, events);
      return row.id;
    });
    return this.get(id);
  }

  /** Escalate or de-escalate: the difference in sites, squads and tasks is added or released. */
  async changeLevel(actor: AuthUser, id: string, req: { level: PlanLevel; reason: string }): Promise<ActivationView> {
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [PLANS_LOCK]);
      const a = await this.lockActive(m, id, actor);
      if (a.level === req.level) throw new DomainError('PLAN.SAME_LEVEL', 'conflict', { level: req.level });
      const plan = await this.plans.get(a.plan_code, m, true);
      const take = await this.take(m, plan, req.level);
      const current: { facility_id: string }[] = await m.query('SELECT facility_id FROM activation_sites WHERE activation_id = $1 AND released_at IS NULL', [id]);
      const currentIds = new Set(current.map((c) => c.facility_id));
      const wantedIds = new Set(take.sites.map((s) => s.id));
      const added = take.sites.filter((s) => !currentIds.has(s.id));
      const released = [...currentIds].filter((f) => !wantedIds.has(f)).sort();
      const events: NewEvent[] = [];
      const toSwitch = added.filter((s) => s.mode === 'normal').map((s) => s.id);
      if (!a.exercise && toSwitch.length) {
        const done = await this.switchovers.switchoverInTransaction(m, actor, {
          mode: 'emergency',
          reason: `${plan.name} ${roman(a.level)} → ${roman(req.level)}: ${req.reason}`,
          scope: { facilityIds: toSwitch },
        });
        events.push(...done.events);
      }
      await this.addSites(m, id, plan, req.level, added, new Set(a.exercise ? added.map((s) => s.id) : toSwitch));
      events.push(...(await this.releaseSites(m, actor, a, released, `${plan.name} ${roman(a.level)} → ${roman(req.level)}: ${req.reason}`)).events);
      const before: { squad_id: string }[] = await m.query('SELECT squad_id FROM squad_standby WHERE activation_id = $1 AND released_at IS NULL', [id]);
      const onStandby = new Set(before.map((r) => r.squad_id));
      await this.orderStandby(m, id, take.squadIds);
      if (!a.exercise) events.push(...(await this.standbyRollCall(m, actor, plan, req.level, take.squadIds.filter((s) => !onStandby.has(s)))));
      await m.query('UPDATE plan_activations SET level = $2 WHERE id = $1', [id, req.level]);
      events.push({
        type: 'plan.level_changed',
        severity: 'warning',
        exercise: a.exercise,
        actor,
        payload: {
          ...this.ref(id, plan),
          from: a.level,
          to: req.level,
          reason: req.reason,
          areas: [...new Set(take.sites.map((s) => s.area_code))].sort(),
          sitesAdded: added.length,
          sitesReleased: released.length,
          standbySquadIds: take.squadIds,
        },
      });
      await this.events.append(m, events);
    });
    return this.get(id);
  }

  /** 急转平: every site is released; those no other active activation covers go back to normal, with demobilisation tasks. */
  async standDown(actor: AuthUser, id: string, reason: string): Promise<ActivationView> {
    await this.dataSource.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [PLANS_LOCK]);
      const a = await this.lockActive(m, id, actor);
      const plan = await this.plans.get(a.plan_code, m, true);
      const all: { facility_id: string }[] = await m.query('SELECT facility_id FROM activation_sites WHERE activation_id = $1 ORDER BY facility_id', [id]);
      const current: { facility_id: string }[] = await m.query(
        'SELECT facility_id FROM activation_sites WHERE activation_id = $1 AND released_at IS NULL ORDER BY facility_id',
        [id],
      );
      const released = await this.releaseSites(m, actor, a, current.map((c) => c.facility_id), `${plan.name} 急转平: ${reason}`);
      await m.query('UPDATE squad_standby SET released_at = now() WHERE activation_id = $1 AND released_at IS NULL', [id]);
      const reserveItems = reserveItemsOf(plan.levels, a.level);
      const shortfalls = await this.shortfalls(m, all.map((s) => s.facility_id), reserveItems);
      await m.query(
        `UPDATE plan_activations SET status = CASE WHEN $3 THEN 'closed' ELSE 'standing_down' END, stood_down_at = now(),
           closed_at = CASE WHEN $3 THEN now() END, shortfalls_at_stand_down = $2 WHERE id = $1`,
        [id, JSON.stringify(shortfalls), released.tasks === 0],
      );
      await this.events.append(m, [
        ...released.events,
        {
          type: 'plan.stood_down',
          exercise: a.exercise,
          actor,
          payload: {
            ...this.ref(id, plan),
            level: a.level,
            reason,
            sitesReturned: released.returned,
            sitesStillCovered: current.length - released.returned,
            tasks: released.tasks,
          },
        },
      ]);
    });
    return this.get(id);
  }

  /** A task done; the site is ready when its last conversion task is, the activation closed with its last demobilisation task. */
  async taskDone(actor: AuthUser, taskId: string, note: string | undefined): Promise<ConversionTaskView> {
    await this.dataSource.transaction(async (m) => {
      // The activation first: tasks done at once then queue, so the last one always sees the others done.
      await m.query('SELECT id FROM plan_activations WHERE id = (SELECT activation_id FROM conversion_tasks WHERE id = $1) FOR UPDATE', [taskId]);
      const [t]: (TaskRow & { exercise: boolean })[] = await m.query(
        `SELECT t.*, a.exercise FROM conversion_tasks t JOIN plan_activations a ON a.id = t.activation_id WHERE t.id = $1 FOR UPDATE OF t`,
        [taskId],
      );
      if (!t) throw new DomainError('PLAN.TASK_NOT_FOUND', 'not_found', { id: taskId });
      // The command center, or the site's own manager (who does the work); a coordinator only in exercises.
      if (actor.role === 'coordinator' && !t.exercise) throw new DomainError('AUTH.FORBIDDEN', 'forbidden', { roles: 'commander, site_manager', role: actor.role });
      if (actor.role !== 'coordinator') await assertManagesSite(m, actor, t.facility_id);
      if (t.status === 'done') throw new DomainError('PLAN.TASK_DONE', 'conflict', {});
      await m.query(`UPDATE conversion_tasks SET status = 'done', done_at = now(), done_by = $2, note = $3 WHERE id = $1`, [taskId, actor.username, note ?? null]);
      const [site]: { code: string; name: string; name_en: string | null; area_code: string }[] = await m.query(
        'SELECT code, name, name_en, area_code FROM facilities WHERE id = $1',
        [t.facility_id],
      );
      const siteRef = { activationId: t.activation_id, code: site.code, name: site.name, nameEn: site.name_en, areaCode: site.area_code };
      const events: NewEvent[] = [
        {
          type: 'conversion.task_done',
          exercise: t.exercise,
          facilityId: t.facility_id,
          actor,
          payload: { ...siteRef, taskId, title: t.title, kind: t.kind, note: note ?? null },
        },
      ];
      if (t.kind === 'conversion') {
        const ready = rowsOf<{ ready_at: Date; seconds: number }>(await m.query(
          `UPDATE activation_sites SET ready_at = now()
           WHERE activation_id = $1 AND facility_id = $2 AND ready_at IS NULL AND released_at IS NULL
             AND NOT EXISTS (SELECT 1 FROM conversion_tasks WHERE activation_id = $1 AND facility_id = $2 AND kind = 'conversion' AND status = 'open')
           RETURNING ready_at, extract(epoch FROM (now() - started_at))::float8 AS seconds`,
          [t.activation_id, t.facility_id],
        ));
        if (ready.length) {
          events.push({
            type: 'facility.ready',
            exercise: t.exercise,
            facilityId: t.facility_id,
            actor,
            payload: { ...siteRef, readyAt: new Date(ready[0].ready_at).toISOString(), timeToReadySeconds: Math.round(ready[0].seconds) },
          });
        }
      } else {
        await m.query(
          `UPDATE plan_activations SET status = 'closed', closed_at = now()
           WHERE id = $1 AND status = 'standing_down'
             AND NOT EXISTS (SELECT 1 FROM conversion_tasks WHERE activation_id = $1 AND kind = 'demobilisation' AND status = 'open')`,
          [t.activation_id],
        );
      }
      await this.events.append(m, events);
    });
    const [view] = await this.tasks({ id: taskId });
    return view;
  }

  /** Sites converting past their expected time, each reported once (the sweep calls it). */
  async reportOverdue(m: EntityManager): Promise<void> {
    const due: { activation_id: string; facility_id: string; expected_ready_at: Date; exercise: boolean; code: string; name: string; name_en: string | null; area_code: string; open: number }[] =
      await m.query(
        `WITH due AS (
           UPDATE activation_sites s SET overdue_alerted_at = now()
           FROM plan_activations a
           WHERE a.id = s.activation_id AND a.status = 'active' AND s.ready_at IS NULL AND s.released_at IS NULL
             AND s.overdue_alerted_at IS NULL AND s.expected_ready_at <= now()
           RETURNING s.activation_id, s.facility_id, s.expected_ready_at, a.exercise
         )
         SELECT due.*, f.code, f.name, f.name_en, f.area_code,
           (SELECT count(*)::int FROM conversion_tasks t WHERE t.activation_id = due.activation_id AND t.facility_id = due.facility_id
              AND t.kind = 'conversion' AND t.status = 'open') AS open
         FROM due JOIN facilities f ON f.id = due.facility_id ORDER BY due.activation_id, f.code`,
      );
    if (!due.length) return;
    await this.events.append(
      m,
      due.map((d): NewEvent => ({
        type: 'conversion.overdue',
        severity: 'warning',
        exercise: d.exercise,
        facilityId: d.facility_id,
        payload: {
          activationId: d.activation_id,
          code: d.code,
          name: d.name,
          nameEn: d.name_en,
          areaCode: d.area_code,
          expectedReadyAt: new Date(d.expected_ready_at).toISOString(),
          openTasks: d.open,
        },
      })),
    );
  }

  async list(active?: boolean): Promise<ActivationView[]> {
    const rows: ActivationRow[] = await this.dataSource.query(
      `SELECT ${ACTIVATION_COLUMNS} FROM plan_activations a JOIN response_plans p ON p.code = a.plan_code
       ${active === true ? `WHERE a.status = 'active'` : active === false ? `WHERE a.status <> 'active'` : ''}
       ORDER BY a.activated_at DESC, a.id LIMIT 200`,
    );
    return Promise.all(rows.map((r) => this.view(this.dataSource.manager, r)));
  }

  async get(id: string, m: EntityManager = this.dataSource.manager): Promise<ActivationView> {
    return this.view(m, await this.row(m, id));
  }

  async row(m: EntityManager, id: string, lock = false): Promise<ActivationRow> {
    const [row]: ActivationRow[] = await m.query(
      `SELECT ${ACTIVATION_COLUMNS} FROM plan_activations a JOIN response_plans p ON p.code = a.plan_code WHERE a.id = $1${lock ? ' FOR UPDATE OF a' : ''}`,
      [id],
    );
    if (!row) throw new DomainError('PLAN.ACTIVATION_NOT_FOUND', 'not_found', { id });
    return row;
  }

  async tasks(filter: { id?: string; activationId?: string; facilityId?: string; status?: 'open' | 'done' }): Promise<ConversionTaskView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.id) where.push(`id = $${params.push(filter.id)}`);
    if (filter.activationId) where.push(`activation_id = $${params.push(filter.activationId)}`);
    if (filter.facilityId) where.push(`facility_id = $${params.push(filter.facilityId)}`);
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    const rows: TaskRow[] = await this.dataSource.query(
      `SELECT * FROM conversion_tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, kind, position, id LIMIT 5000`,
      params,
    );
    return rows.map((t) => ({
      id: t.id,
      activationId: t.activation_id,
      facilityId: t.facility_id,
      kind: t.kind,
      title: t.title,
      titleEn: t.title_en,
      who: t.who,
      expectedMinutes: Number(t.expected_minutes),
      status: t.status,
      ...(t.done_at ? { doneAt: iso(t.done_at), doneBy: t.done_by ?? undefined } : {}),
      ...(t.note ? { note: t.note } : {}),
    }));
  }

  async sites(m: EntityManager, id: string): Promise<ActivationSiteRow[]> {
    return m.query(
      `SELECT s.facility_id, f.code, f.name, f.area_code, f.type, s.switched, s.started_at, s.expected_ready_at, s.ready_at, s.released_at,
         CASE WHEN s.ready_at IS NOT NULL THEN 'ready' WHEN s.overdue_alerted_at IS NOT NULL OR s.expected_ready_at <= now() THEN 'overdue' ELSE 'converting' END AS conversion
       FROM activation_sites s JOIN facilities f ON f.id = s.facility_id WHERE s.activation_id = $1 ORDER BY f.code`,
      [id],
    );
  }

  private async view(m: EntityManager, a: ActivationRow): Promise<ActivationView> {
    const sites = await this.sites(m, a.id);
    const squads: { squad_id: string }[] = await m.query(
      'SELECT squad_id FROM squad_standby WHERE activation_id = $1 AND released_at IS NULL ORDER BY squad_id',
      [a.id],
    );
    return {
      id: a.id,
      planCode: a.plan_code,
      planName: a.plan_name,
      planNameEn: a.plan_name_en,
      level: a.level,
      status: a.status,
      exercise: a.exercise,
      reason: a.reason,
      activatedAt: iso(a.activated_at)!,
      ...(a.stood_down_at ? { stoodDownAt: iso(a.stood_down_at) } : {}),
      ...(a.closed_at ? { closedAt: iso(a.closed_at) } : {}),
      sites: sites.map((s) => ({
        facilityId: s.facility_id,
        code: s.code,
        name: s.name,
        areaCode: s.area_code,
        type: s.type,
        switched: s.switched,
        conversion: s.conversion,
        startedAt: iso(s.started_at)!,
        expectedReadyAt: iso(s.expected_ready_at)!,
        ...(s.ready_at ? { readyAt: iso(s.ready_at), timeToReadySeconds: Math.round((new Date(s.ready_at).getTime() - new Date(s.started_at).getTime()) / 1000) } : {}),
        ...(s.released_at ? { releasedAt: iso(s.released_at) } : {}),
      })),
      standbySquads: squads.map((s) => s.squad_id),
    };
  }

  private ref(activationId: string, plan: PlanView) {
    return { activationId, planCode: plan.code, planName: plan.name, planNameEn: plan.nameEn };
  }

  private async lockActive(m: EntityManager, id: string, actor: AuthUser): Promise<ActivationRow> {
    const a = await this.row(m, id, true);
    if (!a.exercise && actor.role !== 'commander') {
      throw new DomainError('PLAN.EXERCISE_ONLY', 'forbidden', { reason: 'change' });
    }
    if (a.status !== 'active') throw new DomainError('PLAN.NOT_ACTIVE', 'conflict', { status: a.status });
    return a;
  }

  /** The sites, squads and reserve items of a plan's level. */
  private async take(m: EntityManager, plan: PlanView, level: PlanLevel): Promise<LevelTake> {
    const { where, params } = levelScopeSql(plan.levels, level);
    const sites: SiteRow[] = await m.query(`SELECT f.id, f.code, f.name, f.name_en, f.type, f.area_code, f.mode FROM facilities f WHERE ${where} ORDER BY f.id`, params);
    if (!sites.length) throw new DomainError('PLAN.NOTHING_IN_SCOPE', 'conflict', { level, code: plan.code });
    const squadIds = new Set<string>();
    for (const l of includedLevels(plan.levels, level)) {
      const rule = l.standby;
      const squads: { id: string; area_code: string }[] = await m.query(
        `SELECT id, area_code FROM squads
         WHERE ($1::text[] IS NULL OR area_code = ANY($1::text[])) AND ($2::text[] IS NULL OR skills && $2::text[])
         ORDER BY area_code, code`,
        [rule.areas?.length ? rule.areas : null, rule.skills?.length ? rule.skills : null],
      );
      const perArea = new Map<string, number>();
      for (const s of squads) {
        const n = perArea.get(s.area_code) ?? 0;
        if (rule.perArea !== undefined && n >= rule.perArea) continue;
        perArea.set(s.area_code, n + 1);
        squadIds.add(s.id);
      }
    }
    return { sites, squadIds: [...squadIds].sort(), reserveItems: reserveItemsOf(plan.levels, level) };
  }

  /** Shortfalls of the sites, in the plan's reserve items (all items when the plan names none). */
  private async shortfalls(m: EntityManager, facilityIds: string[], items: string[]): Promise<FacilityShortfallView[]> {
    const all = await this.readiness.shortfalls(facilityIds, m);
    return items.length ? all.filter((s) => items.includes(s.itemCode)) : all;
  }

  /** Site rows (a site taken again after a release starts over) and each switched site's conversion tasks. */
  private async addSites(m: EntityManager, activationId: string, plan: PlanView, level: PlanLevel, sites: SiteRow[], switched: Set<string>): Promise<void> {
    if (!sites.length) return;
    const rows = sites.map((s) => {
      const tasks = switched.has(s.id) ? checklistFor(plan.levels, level, s.type) : [];
      return { facility_id: s.id, switched: switched.has(s.id), minutes: expectedMinutes(tasks), tasks };
    });
    await m.query(
      `INSERT INTO activation_sites (activation_id, facility_id, switched, started_at, expected_ready_at, ready_at)
       SELECT $1, r.facility_id, r.switched, now(), now() + make_interval(secs => r.minutes * 60), CASE WHEN r.switched THEN NULL ELSE now() END
       FROM jsonb_to_recordset($2::jsonb) AS r(facility_id uuid, switched boolean, minutes float8)
       ON CONFLICT (activation_id, facility_id) DO UPDATE SET switched = EXCLUDED.switched, started_at = EXCLUDED.started_at,
         expected_ready_at = EXCLUDED.expected_ready_at, ready_at = EXCLUDED.ready_at, overdue_alerted_at = NULL, released_at = NULL`,
      [activationId, JSON.stringify(rows.map(({ tasks: _t, ...r }) => r))],
    );
    await this.insertTasks(m, activationId, 'conversion', rows.flatMap((r) => r.tasks.map((t) => ({ facilityId: r.facility_id, t }))));
  }

  private async insertTasks(m: EntityManager, activationId: string, kind: TaskKind, tasks: { facilityId: string; t: ChecklistTask }[]): Promise<void> {
    if (!tasks.length) return;
    await m.query(
      `INSERT INTO conversion_tasks (activation_id, facility_id, kind, title, title_en, who, expected_minutes, position)
       SELECT $1, r.facility_id, $2, r.title, r.title_en, r.who, r.minutes, r.position
       FROM jsonb_to_recordset($3::jsonb) AS r(facility_id uuid, title text, title_en text, who text, minutes numeric, position int)`,
      [
        activationId,
        kind,
        JSON.stringify(tasks.map(({ facilityId, t }, position) => ({ facility_id: facilityId, title: t.title, title_en: t.titleEn ?? null, who: t.who ?? null, minutes: t.minutes, position }))),
      ],
    );
  }

  /**
   * Releases sites from an activation: their open conversion tasks are dropped; those no other active
   * real activation covers go back to normal (a real activation's) and get demobilisation tasks.
   */
  private async releaseSites(
    m: EntityManager,
    actor: AuthUser,
    a: ActivationRow,
    facilityIds: string[],
    reason: string,
  ): Promise<{ events: NewEvent[]; returned: number; tasks: number }> {
    if (!facilityIds.length) return { events: [], returned: 0, tasks: 0 };
    await m.query('UPDATE activation_sites SET released_at = now() WHERE activation_id = $1 AND facility_id = ANY($2::uuid[])', [a.id, facilityIds]);
    await m.query(
      `DELETE FROM conversion_tasks WHERE activation_id = $1 AND facility_id = ANY($2::uuid[]) AND kind = 'conversion' AND status = 'open'`,
      [a.id, facilityIds],
    );
    let returning = facilityIds;
    const events: NewEvent[] = [];
    if (!a.exercise) {
      const covered: { facility_id: string }[] = await m.query(
        `SELECT DISTINCT s.facility_id FROM activation_sites s JOIN plan_activations o ON o.id = s.activation_id
         WHERE o.status = 'active' AND NOT o.exercise AND s.released_at IS NULL AND o.id <> $1 AND s.facility_id = ANY($2::uuid[])`,
        [a.id, facilityIds],
      );
      const stay = new Set(covered.map((c) => c.facility_id));
      returning = facilityIds.filter((f) => !stay.has(f));
      const modes: { id: string }[] = returning.length
        ? await m.query(`SELECT id FROM facilities WHERE id = ANY($1::uuid[]) AND mode = 'emergency'`, [returning])
        : [];
      if (modes.length) {
        const done = await this.switchovers.switchoverInTransaction(m, actor, { mode: 'normal', reason, scope: { facilityIds: modes.map((r) => r.id) } });
        events.push(...done.events);
      }
    }
    const tasks = returning.flatMap((facilityId) => DEMOBILISATION_TASKS.map((t) => ({ facilityId, t })));
    await this.insertTasks(m, a.id, 'demobilisation', tasks);
    return { events, returned: returning.length, tasks: tasks.length };
  }

  /** Standby orders: the squads of the level are ordered (again), the others released. Squads stay dispatchable. */
  /** 叫应 to the leaders of squads newly put on standby: each must confirm they have the order. */
  private async standbyRollCall(m: EntityManager, actor: AuthUser, plan: { name: string }, level: PlanLevel, squadIds: string[]): Promise<NewEvent[]> {
    if (!squadIds.length) return [];
    const round = await this.rollCalls.startIn(m, actor, {
      message: `${plan.name} ${roman(level)}级响应：贵队转入待命，请确认收到，保持通讯畅通，等待调派。`,
      audience: { squadIds },
      answerWithinSeconds: this.config.rollCallAnswerSeconds,
      exercise: false,
      source: 'plan',
    });
    return round?.events ?? [];
  }

  private async orderStandby(m: EntityManager, activationId: string, squadIds: string[]): Promise<void> {
    await m.query(
      `INSERT INTO squad_standby (activation_id, squad_id) SELECT $1, unnest($2::uuid[])
       ON CONFLICT (activation_id, squad_id) DO UPDATE SET released_at = NULL, ordered_at = CASE WHEN squad_standby.released_at IS NULL THEN squad_standby.ordered_at ELSE now() END`,
      [activationId, squadIds],
    );
    await m.query('UPDATE squad_standby SET released_at = now() WHERE activation_id = $1 AND released_at IS NULL AND NOT (squad_id = ANY($2::uuid[]))', [activationId, squadIds]);
  }
}

const ROMAN: Record<PlanLevel, string> = { 4: 'Ⅳ', 3: 'Ⅲ', 2: 'Ⅱ', 1: 'Ⅰ' };
export const roman = (level: PlanLevel) => `${ROMAN[level]}级`;
