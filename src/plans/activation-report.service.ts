import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toCsv, withBom } from '../common/csv.js';
import type { ActivationReport } from '../contracts/plans.js';
import { ActivationsService } from './activations.service.js';
import { median } from './plan-rules.js';

/** Types that belong to an activation's timeline by their payload's activationId. */
const OWN_TYPES = ['plan.activated', 'plan.level_changed', 'plan.stood_down', 'conversion.task_done', 'facility.ready', 'conversion.overdue'];
/** Types of the period that the timeline shows too: what happened in the city meanwhile. */
const PERIOD_TYPES = ['facility.mode_changed', 'switchover.completed', 'incident.created', 'incident.updated', 'dispatch.created', 'dispatch.accepted',
  'dispatch.declined', 'dispatch.expired', 'dispatch.progress', 'dispatch.cancelled'];

/** The after-action report of an activation: timeline, time to ready, shortfalls, stock consumed. */
@Injectable()
export class ActivationReportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly activations: ActivationsService,
  ) {}

  async report(id: string): Promise<ActivationReport> {
    const m = this.dataSource.manager;
    const a = await this.activations.row(m, id);
    const view = await this.activations.get(id);
    const until = a.closed_at ?? new Date();
    const events: { id: string; at: Date; type: string; severity: string; payload: Record<string, unknown>; acked_by_name: string | null }[] = await m.query(
      `SELECT e.id::text AS id, e.at, e.type, e.severity, e.payload, k.acked_by_name
       FROM events e LEFT JOIN alert_acks k ON k.event_id = e.id
       WHERE e.at >= $2 AND e.at <= $3 AND e.exercise = $4
         AND ((e.type = ANY($5::text[]) AND e.payload->>'activationId' = $1) OR e.type = ANY($6::text[]) OR (e.severity <> 'info' AND NOT (e.type = ANY($5::text[]))))
       ORDER BY e.id LIMIT 5000`,
      [id, a.activated_at, until, a.exercise, OWN_TYPES, PERIOD_TYPES],
    );
    const sites = view.sites.filter((s) => s.switched);
    const seconds = sites.filter((s) => s.timeToReadySeconds !== undefined).map((s) => s.timeToReadySeconds!);
    const overdueIds = new Set(events.filter((e) => e.type === 'conversion.overdue').map((e) => `${String(e.payload.code)}`));
    const consumed: { item_code: string; quantity: number }[] = await m.query(
      `SELECT item_code, sum(abs(quantity))::int AS quantity FROM stock_movements
       WHERE kind = 'issue' AND exercise = $4 AND at >= $2 AND at <= $3
         AND facility_id IN (SELECT facility_id FROM activation_sites WHERE activation_id = $1)
       GROUP BY item_code ORDER BY item_code`,
      [id, a.activated_at, until, a.exercise],
    );
    const { sites: _all, ...activation } = view;
    return {
      activation,
      timeline: events.map((e) => ({
        id: e.id,
        at: new Date(e.at).toISOString(),
        type: e.type,
        severity: e.severity,
        summary: summaryOf(e.payload),
        ...(e.acked_by_name ? { acknowledgedBy: e.acked_by_name } : {}),
      })),
      timeToReady: {
        sites: sites.map((s) => ({
          facilityId: s.facilityId,
          code: s.code,
          name: s.name,
          areaCode: s.areaCode,
          seconds: s.timeToReadySeconds ?? null,
          overdue: overdueIds.has(s.code) || s.conversion === 'overdue',
        })),
        switched: sites.length,
        ready: seconds.length,
        overdue: sites.filter((s) => overdueIds.has(s.code) || s.conversion === 'overdue').length,
        medianSeconds: median(seconds),
        worstSeconds: seconds.length ? Math.max(...seconds) : null,
      },
      shortfallsAtActivation: a.shortfalls_at_activation,
      shortfallsAtStandDown: a.shortfalls_at_stand_down,
      stockConsumed: consumed.map((c) => ({ itemCode: c.item_code, quantity: c.quantity })),
    };
  }

  /** The report as CSV: one row per switched site, then the timeline. */
  async csv(id: string): Promise<string> {
    const r = await this.report(id);
    const rows: (string | number | boolean | null)[][] = [
      ['section', 'code', 'name', 'area', 'seconds', 'overdue', 'at', 'type', 'summary'],
      ...r.timeToReady.sites.map((s) => ['site', s.code, s.name, s.areaCode, s.seconds, s.overdue, null, null, null]),
      ['summary', null, null, null, r.timeToReady.medianSeconds, r.timeToReady.overdue, null, 'median', `${r.timeToReady.ready}/${r.timeToReady.switched} ready`],
      ...r.timeline.map((t) => ['timeline', null, null, null, null, null, t.at, t.type, t.summary]),
    ];
    return withBom(toCsv(rows));
  }
}

function summaryOf(p: Record<string, unknown>): string {
  const parts = [p.planName, p.title, p.code, p.name, p.squadCode, p.reason].filter((v) => typeof v === 'string' && v);
  return parts.join(' · ');
}
