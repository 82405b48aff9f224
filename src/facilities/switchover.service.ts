import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { AuthUser } from '../common/auth-user.js';
import { DomainError } from '../common/domain-error.js';
import { EventsService, type NewEvent } from '../events/events.service.js';
import { ReadinessService } from '../supplies/readiness.service.js';
import { RollCallsService } from '../roll-calls/roll-calls.service.js';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { emergencyFunctionOf, type FacilityType, type Mode } from '../contracts/facilities.js';
import type { FacilityShortfallView, SwitchoverResult } from '../contracts/supplies.js';
import { type ResolvedScope, resolveScope, scopeSql, type SwitchoverScope } from './switchover-scope.js';

export interface SwitchoverRequest {
  mode: Mode;
  reason: string;
  scope: SwitchoverScope;
}

/** A switchover's result before its shortfalls are read. */
type SwitchedSites = Omit<SwitchoverResult, 'shortfalls'>;

interface LockedScope {
  inScope: ScopedFacility[];
  /** The sites in scope not yet in the requested mode. */
  changing: ScopedFacility[];
}

interface ScopedFacility {
  id: string;
  code: string;
  name: string;
  name_en: string | null;
  type: FacilityType;
  area_code: string;
  lat: number;
  lng: number;
  emergency_function: string | null;
  mode: Mode;
}

/**
 * 平急转换: every site in scope switches, or none. In one transaction: lock the scope's rows in id
 * order, one set-based UPDATE, one history row per changed site, and the events — a
 * facility.mode_changed per changed site and one switchover.completed.
 */
@Injectable()
export class SwitchoverService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly readiness: ReadinessService,
    private readonly rollCalls: RollCallsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async switchover(actor: AuthUser, req: SwitchoverRequest): Promise<SwitchoverResult> {
    let shortfalls: Promise<FacilityShortfallView[]> = Promise.resolve([]);
    const result = await this.dataSource.transaction(async (m) => {
      const locked = await this.lockScope(m, req);
      shortfalls = this.shortfallsBeside(locked.changing.map((f) => f.id));
      const { result, events } = await this.apply(m, actor, req, locked);
      await this.events.append(m, events);
      return result;
    });
    // Read again if the read beside failed (no connection in time): the switchover has committed.
    return { ...result, shortfalls: await shortfalls.catch(() => this.readiness.shortfalls(result.switched)) };
  }

  /**
   * The switchover inside the caller's transaction (response plans switch their sites with it): the
   * rows are written, and the events are returned for the caller to append last, with its own. Plans
   * count their own shortfalls (of their reserve items), so none are read here.
   */
  async switchoverInTransaction(m: EntityManager, actor: AuthUser, req: SwitchoverRequest): Promise<{ result: SwitchedSites; events: NewEvent[] }> {
    return this.apply(m, actor, req, await this.lockScope(m, req));
  }

  /** The sites in scope, locked in id order (so overlapping switchovers queue instead of deadlocking). */
  private async lockScope(m: EntityManager, req: SwitchoverRequest): Promise<LockedScope> {
    const scope = resolveScope(req.scope);
    await this.assertKnownAreas(m, scope);
    const { where, params } = scopeSql(scope);
    const inScope: ScopedFacility[] = await m.query(
      `SELECT id, code, name, name_en, type, area_code, lat, lng, emergency_function, mode
       FROM facilities WHERE ${where} ORDER BY id FOR UPDATE`,
      params,
    );
    this.assertAllFound(scope, inScope);
    return { inScope, changing: inScope.filter((f) => f.mode !== req.mode) };
  }

  /**
   * The switched sites' shortfalls, read on another connection while the switchover writes (a
   * switchover changes no stock), and awaited only after its commit: a transaction never waits for a
   * second connection, which the embedded database's pool of one would never give it.
   */
  private shortfallsBeside(facilityIds: string[]): Promise<FacilityShortfallView[]> {
    const read = this.readiness.shortfalls(facilityIds);
    read.catch(() => undefined); // not awaited when the switchover fails first
    return read;
  }

  private async apply(m: EntityManager, actor: AuthUser, req: SwitchoverRequest, { inScope, changing }: LockedScope): Promise<{ result: SwitchedSites; events: NewEvent[] }> {
    const changingIds = changing.map((f) => f.id);
    const [switchover]: { id: string; at: Date }[] = await m.query(
      `INSERT INTO switchovers (mode, reason, scope, actor_id, actor_name, switched_count, unchanged_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, at`,
      [req.mode, req.reason, JSON.stringify(req.scope), actor.id, actor.username, changing.length, inScope.length - changing.length],
    );
    if (changing.length) {
      await m.query('UPDATE facilities SET mode = $1, mode_changed_at = now() WHERE id = ANY($2::uuid[])', [req.mode, changingIds]);
      await m.query(
        `INSERT INTO facility_mode_history (facility_id, switchover_id, from_mode, to_mode, actor_id, actor_name, reason)
         SELECT unnest($1::uuid[]), $2, $3, $4, $5, $6, $7`,
        [changingIds, switchover.id, req.mode === 'emergency' ? 'normal' : 'emergency', req.mode, actor.id, actor.username, req.reason],
      );
    }
    // 叫应: the managers of the sites going into emergency mode must confirm, in this same transaction.
    const rollCall = req.mode === 'emergency' && changing.length
      ? await this.rollCalls.startIn(m, actor, {
          message: `平急转换：${changing.length}个阵地转入急时模式（${req.reason}）。请确认收到，并按应急功能开放阵地、上报状态。`,
          audience: { facilityIds: changingIds },
          answerWithinSeconds: this.config.rollCallAnswerSeconds,
          exercise: false,
          source: 'switchover',
          switchoverId: switchover.id,
        })
      : null;
    const events: NewEvent[] = [
      // First, so that switchover.completed stays the last event of a switchover (screens wait for it).
      ...(rollCall?.events ?? []),
      ...changing.map((f): NewEvent => ({
        type: 'facility.mode_changed',
        facilityId: f.id,
        actor,
        payload: {
          switchoverId: switchover.id,
          code: f.code,
          name: f.name,
          nameEn: f.name_en,
          type: f.type,
          areaCode: f.area_code,
          lat: Number(f.lat),
          lng: Number(f.lng),
          from: f.mode,
          to: req.mode,
          reason: req.reason,
          emergencyFunction: emergencyFunctionOf(f.type, f.emergency_function).code,
        },
      })),
      {
        type: 'switchover.completed',
        // Going into emergency mode is something every commander must see and acknowledge.
        severity: req.mode === 'emergency' && changing.length ? 'warning' : 'info',
        actor,
        payload: {
          switchoverId: switchover.id,
          mode: req.mode,
          reason: req.reason,
          scope: req.scope,
          switchedCount: changing.length,
          unchangedCount: inScope.length - changing.length,
        },
      },
    ];
    const result: SwitchedSites = {
      id: switchover.id,
      mode: req.mode,
      at: new Date(switchover.at).toISOString(),
      switched: changingIds,
      unchanged: inScope.filter((f) => f.mode === req.mode).map((f) => f.id),
      ...(rollCall ? { rollCallId: rollCall.id } : {}),
    };
    return { result, events };
  }

  /** Switchovers, newest first. */
  async list(limit: number) {
    const rows: { id: string; mode: Mode; reason: string; scope: SwitchoverScope; actor_name: string | null; at: Date; switched_count: number; unchanged_count: number }[] =
      await this.dataSource.query(
        'SELECT id, mode, reason, scope, actor_name, at, switched_count, unchanged_count FROM switchovers ORDER BY at DESC, id LIMIT $1',
        [limit],
      );
    return rows.map((r) => ({
      id: r.id,
      mode: r.mode,
      reason: r.reason,
      scope: r.scope,
      by: r.actor_name,
      at: new Date(r.at).toISOString(),
      switchedCount: r.switched_count,
      unchangedCount: r.unchanged_count,
    }));
  }

  private async assertKnownAreas(m: EntityManager, scope: ResolvedScope): Promise<void> {
    if (scope.kind !== 'areasTypes' || !scope.areas) return;
    const known: { code: string }[] = await m.query('SELECT code FROM areas WHERE code = ANY($1::text[])', [scope.areas]);
    const knownCodes = new Set(known.map((k) => k.code));
    const unknown = scope.areas.filter((a) => !knownCodes.has(a));
    if (unknown.length) {
      throw new DomainError('SWITCHOVER.UNKNOWN_AREA', 'invalid', { areas: unknown.join(', ') });
    }
  }

  private assertAllFound(scope: ResolvedScope, found: ScopedFacility[]): void {
    if (scope.kind === 'facilities') {
      const foundIds = new Set(found.map((f) => f.id));
      const missing = scope.facilityIds.filter((id) => !foundIds.has(id));
      if (missing.length) {
        throw new DomainError('FACILITY.NOT_FOUND', 'not_found', { id: `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ' …' : ''}` });
      }
    }
    if (!found.length) throw new DomainError('SWITCHOVER.NOTHING_MATCHED', 'not_found', 'No facility matches this scope; nothing was switched.');
  }
}
