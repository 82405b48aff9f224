import { api } from '../api.js';
import { facilityStore } from '../facilities.js';
import type { EventView } from '../realtime.js';
import { type DispatchView, type IncidentView, isActiveDispatch } from '../../../src/contracts/dispatch.js';
import type { Mode } from '../../../src/contracts/facilities.js';
import type { AlertView } from '../../../src/contracts/events.js';
import type { ReadinessSiteView, ReadinessView, SupplyItemView, SwitchoverResult } from '../../../src/contracts/supplies.js';
import type { SquadView } from '../../../src/contracts/squads.js';

/** What changed, so a panel re-renders only for what it shows. */
export type OpsChange = 'squads' | 'positions' | 'incidents' | 'dispatches' | 'alerts' | 'readiness' | 'modes' | 'switchover';

/** How far back the dispatch board and incident list keep ended dispatches. */
export const ENDED_KEPT_MS = 12 * 3600_000;

const STOCK_EVENTS = new Set(['stock.moved', 'stock.transferred', 'stock.low', 'stock.expiring', 'reserve.requirements_changed']);

/** When a dispatch last changed: the moment it ended, or was acknowledged, or was made. */
export function lastChange(d: DispatchView): string {
  return [d.completedAt, d.cancelledAt, d.expiredAt, d.acknowledgedAt, d.enRouteAt, d.onSceneAt, d.createdAt]
    .filter((x): x is string => !!x)
    .sort()
    .at(-1)!;
}

/**
 * The operation as the panels see it: squads, incidents, dispatches (active, and ended in the last 12
 * hours), open alerts, readiness and site modes. Loaded once when the dashboard opens, then kept current
 * by applying the events' payloads — a dispatch or a squad's change costs no request. Only readiness is
 * read again, after stock moved (its numbers are computed by the server), a few seconds later.
 */
export class OpsStore {
  readonly squads = new Map<string, SquadView>();
  readonly incidents = new Map<string, IncidentView>();
  readonly dispatches = new Map<string, DispatchView>();
  readonly alerts = new Map<string, AlertView>();
  readonly items = new Map<string, SupplyItemView>();
  readiness = new Map<string, ReadinessSiteView>();
  lastSwitchover?: SwitchoverResult;
  loaded = false;

  private readonly modes = new Map<string, Mode>();
  /** Alerts acknowledged while the first load was under way: the load must not bring them back. */
  private readonly acked = new Set<string>();
  private readonly listeners = new Set<(changes: Set<OpsChange>) => void>();
  private readonly alertListeners = new Set<(a: AlertView) => void>();
  private pending = new Set<OpsChange>();
  private flushTimer?: number;
  private readinessTimer?: number;
  private squadReloads: Promise<void> = Promise.resolve();

  async load(): Promise<void> {
    const since = new Date(Date.now() - ENDED_KEPT_MS).toISOString();
    const [squads, incidents, dispatches, alerts, items] = await Promise.all([
      api<SquadView[]>('GET', '/api/squads'),
      api<IncidentView[]>('GET', '/api/incidents?status=open'),
      api<DispatchView[]>('GET', `/api/dispatches?since=${encodeURIComponent(since)}&limit=1000`),
      api<AlertView[]>('GET', '/api/alerts?open=true&limit=1000'),
      api<SupplyItemView[]>('GET', '/api/supply-items'),
      this.loadReadiness(false),
    ]);
    // Events that arrived meanwhile are newer than these answers: they win.
    for (const s of squads) if (!this.squads.has(s.id)) this.squads.set(s.id, s);
    for (const i of incidents) if (!this.incidents.has(i.id)) this.incidents.set(i.id, i);
    for (const d of dispatches) if (!this.dispatches.has(d.id)) this.dispatches.set(d.id, d);
    for (const a of alerts) if (!this.alerts.has(a.id) && !this.acked.has(a.id)) this.alerts.set(a.id, a);
    for (const i of items) this.items.set(i.code, i);
    this.loaded = true;
    this.changed('squads', 'incidents', 'dispatches', 'alerts', 'readiness', 'modes');
  }

  /** Called with the changes of a batch of events, at most every 50 ms. */
  subscribe(listener: (changes: Set<OpsChange>) => void): void {
    this.listeners.add(listener);
  }

  /** Called for each alert that arrives live (not those loaded with the page): the sound, for one. */
  onNewAlert(listener: (a: AlertView) => void): void {
    this.alertListeners.add(listener);
  }

  modeOf(facilityId: string): Mode | undefined {
    return this.modes.get(facilityId) ?? facilityStore.facilities.get(facilityId)?.mode;
  }

  /** The squad's dispatch that still holds it, if any. */
  activeDispatchOf(squadId: string): DispatchView | undefined {
    for (const d of this.dispatches.values()) if (d.squadId === squadId && isActiveDispatch(d.status)) return d;
    return undefined;
  }

  /** A confirmed switchover (the dialog announces it): its shortfalls are shown on the readiness board. */
  switchover(result: SwitchoverResult): void {
    this.lastSwitchover = result;
    for (const id of result.switched) this.modes.set(id, result.mode);
    this.changed('switchover', 'modes');
    this.scheduleReadiness(0);
  }

  /** Applies one event; nothing here asks the server, except readiness after stock changed. */
  apply(e: EventView): void {
    if (e.severity !== 'info' && !this.acked.has(e.id) && !this.alerts.has(e.id)) {
      const alert: AlertView = { ...e, acknowledged: null };
      this.alerts.set(e.id, alert);
      this.changed('alerts');
      for (const l of this.alertListeners) l(alert);
    }
    switch (e.type) {
      case 'alert.acknowledged':
        this.acked.add(e.payload.alertId);
        if (this.alerts.delete(e.payload.alertId)) this.changed('alerts');
        break;
      case 'incident.created':
        this.incidents.set(e.incidentId!, {
          id: e.incidentId!, ...e.payload, description: null, status: 'open', exercise: e.exercise,
          drillId: e.drillId ?? null, createdAt: e.at, updatedAt: e.at,
        });
        this.changed('incidents');
        break;
      case 'incident.updated': {
        const before = this.incidents.get(e.incidentId!);
        const { from: _from, ...rest } = e.payload;
        this.incidents.set(e.incidentId!, {
          id: e.incidentId!, description: null, requiredSkills: [], exercise: e.exercise, drillId: e.drillId ?? null, createdAt: e.at,
          ...before, ...rest, updatedAt: e.at,
        });
        this.changed('incidents');
        break;
      }
      case 'dispatch.created':
      case 'dispatch.accepted':
      case 'dispatch.declined':
      case 'dispatch.progress':
      case 'dispatch.cancelled':
      case 'dispatch.expired':
        if (e.payload.dispatch) {
          this.dispatches.set(e.payload.dispatch.id, e.payload.dispatch);
          this.changed('dispatches');
        }
        break;
      case 'squad.status_changed': {
        const s = this.squads.get(e.squadId!);
        if (s) {
          s.status = e.payload.to;
          s.statusChangedAt = e.at;
          this.changed('squads');
        }
        break;
      }
      case 'squad.phone': {
        const s = this.squads.get(e.squadId!);
        if (s) {
          s.leaderPhone = { online: e.payload.online, since: e.at };
          this.changed('dispatches');
        }
        break;
      }
      case 'squad.position': {
        const s = this.squads.get(e.squadId!);
        if (s) {
          s.position = { lat: e.payload.lat, lng: e.payload.lng, accuracy: e.payload.accuracy, at: e.payload.at };
          this.changed('positions');
        }
        break;
      }
      case 'facility.mode_changed':
        this.modes.set(e.facilityId!, e.payload.to);
        this.changed('modes');
        break;
      case 'import.completed':
        if (e.payload.kind === 'squads') {
          this.squadReloads = this.squadReloads.then(() => this.reloadSquads()).catch(() => undefined);
        } else {
          this.scheduleReadiness(3000);
        }
        break;
      default:
        if (STOCK_EVENTS.has(e.type)) this.scheduleReadiness(3000);
    }
  }

  /** Drops ended dispatches older than 12 hours. */
  prune(now = Date.now()): void {
    for (const [id, d] of this.dispatches) {
      if (!isActiveDispatch(d.status) && now - new Date(lastChange(d)).getTime() > ENDED_KEPT_MS) this.dispatches.delete(id);
    }
  }

  /** Acknowledged from this dashboard: gone at once (the alert.acknowledged event tells the others). */
  dismissAlert(alertId: string): void {
    this.acked.add(alertId);
    if (this.alerts.delete(alertId)) this.changed('alerts');
  }

  reloadReadiness(): Promise<void> {
    return this.loadReadiness(true);
  }

  private async loadReadiness(announce: boolean): Promise<void> {
    const r = await api<ReadinessView>('GET', '/api/readiness');
    this.readiness = new Map(r.sites.map((s) => [s.facilityId, s]));
    if (announce) this.changed('readiness');
  }

  private scheduleReadiness(ms: number): void {
    window.clearTimeout(this.readinessTimer);
    this.readinessTimer = window.setTimeout(() => void this.loadReadiness(true).catch(() => undefined), ms);
  }

  private async reloadSquads(): Promise<void> {
    const squads = await api<SquadView[]>('GET', '/api/squads');
    this.squads.clear();
    for (const s of squads) this.squads.set(s.id, s);
    this.changed('squads');
  }

  private changed(...what: OpsChange[]): void {
    for (const w of what) this.pending.add(w);
    // A burst of events (a city-wide switch is thousands) becomes one render per panel.
    this.flushTimer ??= window.setTimeout(() => {
      this.flushTimer = undefined;
      const changes = this.pending;
      this.pending = new Set();
      for (const l of this.listeners) l(changes);
    }, 50);
  }
}
