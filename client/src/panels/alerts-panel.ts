import { api, ApiError } from '../api.js';
import { html, render, type SafeHtml } from '../html.js';
import { t } from '../strings.js';
import { describeEvent } from './describe.js';
import { KeyedList } from './keyed-list.js';
import type { OpsChange, OpsStore } from './ops-store.js';
import { ot } from './operations-strings.js';
import { clock, fillTimes, itemName, nearestArea, scopeLabel, siteLabel, squadLabel, statusWord, STATUS_GLYPH } from './ops-words.js';
import type { AlertView } from '../../../src/contracts/events.js';

export interface AlertActions {
  isCommander: boolean;
  openIncident?: (incidentId: string) => void;
  openSite: (facilityId: string) => void;
  openReadiness: () => void;
  openPlans: () => void;
  openRollCall: (rollCallId: string) => void;
}

type Kind = 'dispatch' | 'stock' | 'other';
const kindOf = (a: AlertView): Kind => (a.type.startsWith('dispatch.') || a.type.startsWith('squad.') ? 'dispatch' : a.type.startsWith('stock.') ? 'stock' : 'other');
const newestFirst = (a: AlertView, b: AlertView) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1);

/**
 * Every open warning and critical alert, critical first: what happened in words (who, what, where), when,
 * and the next action — dispatch the next squad, open the incident, the site, the plans or the roll call,
 * set a squad's status — plus acknowledge for commanders. Alerts arrive and leave by events; rows are
 * kept by id so a re-render keeps focus.
 */
export class AlertsPanel {
  readonly el = document.createElement('section');
  private readonly list: HTMLOListElement;
  private readonly rows: KeyedList;
  /** Squads already sent from an alert, and errors to show on it: kept across re-renders. */
  private readonly sent = new Map<string, Set<string>>();
  private readonly errors = new Map<string, string>();
  private kind: 'all' | Kind = 'all';

  constructor(private readonly store: OpsStore, private readonly actions: AlertActions) {
    this.el.className = 'ops-section alerts-panel';
    this.el.dataset.testid = 'alerts-panel';
    const option = (k: string) => html`<option value="${k}">${ot().alertKinds[k]}</option>`;
    render(this.el, html`
      <div class="ops-toolbar">
        <h2>${ot().alertsTitle} <span class="count" data-testid="alerts-count">0</span></h2>
        <label>${ot().alertFilter} <select data-testid="alert-filter">${['all', 'dispatch', 'stock', 'other'].map(option)}</select></label>
      </div>
      ${actions.isCommander ? html`<div class="bulk-ack" data-testid="bulk-ack" hidden>
        <button data-action="ack-all" data-testid="ack-all"></button>
        <span class="confirm" hidden><span class="question"></span>
          <button data-action="ack-all-yes" data-testid="ack-all-yes" class="danger">${ot().confirmYes}</button>
          <button data-action="ack-all-no">${ot().confirmNo}</button></span>
        <span class="progress" role="status"></span></div>` : ''}
      <p class="empty muted" data-testid="alerts-empty">${ot().alertsEmpty}</p>
      <ol class="alerts"></ol>`);
    this.list = this.el.querySelector('ol')!;
    this.rows = new KeyedList(this.list);
    this.el.querySelector('select')!.addEventListener('change', (e) => {
      this.kind = (e.target as HTMLSelectElement).value as Kind;
      this.render();
    });
    this.list.addEventListener('click', (e) => void this.onClick(e));
    this.el.querySelector('[data-testid=bulk-ack]')?.addEventListener('click', (e) => void this.onBulk(e));
    store.subscribe((c) => this.onChange(c));
    window.setInterval(() => this.refreshTimes(), 15_000);
  }

  private onChange(c: Set<OpsChange>): void {
    if (c.has('alerts') || c.has('squads') || c.has('incidents') || c.has('dispatches')) this.render();
  }

  render(): void {
    const all = [...this.store.alerts.values()];
    const shown = all
      .filter((a) => this.kind === 'all' || kindOf(a) === this.kind)
      .sort((a, b) => Number(b.severity === 'critical') - Number(a.severity === 'critical') || newestFirst(a, b));
    this.el.querySelector('[data-testid=alerts-count]')!.textContent = String(all.length);
    this.el.querySelector<HTMLElement>('[data-testid=alerts-empty]')!.hidden = shown.length > 0;
    this.showBulk(shown);
    this.rows.update(shown.map((a) => ({
      key: a.id,
      markup: this.body(a),
      init: (li) => {
        li.dataset.testid = 'alert';
        li.dataset.alertId = a.id;
        li.dataset.type = a.type;
        li.dataset.severity = a.severity;
        li.className = `sev-${a.severity}${a.exercise ? ' exercise' : ''}`;
      },
    })));
    this.refreshTimes();
  }

  private body(a: AlertView): SafeHtml {
    const { text, details, actions } = this.describe(a);
    const error = this.errors.get(a.id);
    return html`
      <div class="row-head">${a.exercise ? html`<span class="drill-badge">${t().drill}</span> ` : ''}<b class="sev">${ot().sevLabel[a.severity]}</b>
        <span class="kind">${t().eventTypes[a.type] ?? a.type}</span>
        <time datetime="${a.at}" data-at="${a.at}" data-clock></time></div>
      <p class="what" data-testid="alert-text">${text}</p>
      ${details}
      <div class="alert-actions">${actions}${this.actions.isCommander
        ? html`<button data-action="ack" data-testid="ack" class="ack">${ot().acknowledge}</button>` : ''}</div>
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}`;
  }

  /** Who, what, where, and what to do next, per kind of alert. */
  private describe(a: AlertView): { text: string; details: SafeHtml | string; actions: SafeHtml | string } {
    const s = this.store;
    const cmd = this.actions.isCommander;
    const openIncident = (id: string | undefined) =>
      cmd && id && this.actions.openIncident ? html`<button data-action="open-incident" data-incident-id="${id}">${ot().openIncident}</button>` : '';
    const openSite = (id: string | undefined) => (id ? html`<button data-action="open-site" data-facility-id="${id}">${ot().openSite}</button>` : '');
    const incidentOpen = (id: string) => !s.loaded || s.incidents.get(id)?.status === 'open';
    switch (a.type) {
      case 'dispatch.expired': {
        const p = a.payload;
        const squad = squadLabel(s, a.squadId, p.squadCode, p.dispatch?.squadName);
        const open = incidentOpen(p.incident.id);
        const sent = this.sent.get(a.id) ?? new Set<string>();
        const next = p.nextRecommended.map((n) => {
          const now = s.squads.get(n.squadId)?.status;
          const busy = now && now !== 'available' && !sent.has(n.squadId);
          return html`<li data-testid="next-squad" data-squad-code="${n.squadCode}">
            <b>${n.squadCode}</b> ${n.squadName} · ${t().km(n.distanceM)} · ${t().minutes(n.etaMinutes)}
            ${busy ? html`<span class="muted">${ot().squadBusy(statusWord(now))}</span>` : ''}
            ${cmd && open ? (sent.has(n.squadId)
              ? html`<span class="done" data-testid="dispatched">${ot().dispatchedSquad(n.squadCode)}</span>`
              : html`<button data-action="dispatch-next" data-testid="dispatch-next" data-squad-id="${n.squadId}" data-squad-code="${n.squadCode}"
                  data-incident-id="${p.incident.id}" ${busy ? 'disabled' : ''}>${ot().dispatchSquad(n.squadCode)}</button>`) : ''}</li>`;
        });
        return {
          text: ot().expired(squad, clock(p.ackDeadline)),
          details: html`<p class="where">${ot().incidentLine(p.incident.title, nearestArea(p.incident.lat, p.incident.lng))}
              ${open ? '' : html` · <b>${ot().incidentClosed}</b>`}</p>
            ${next.length ? html`<p class="next-title">${ot().nextRecommended}</p><ol class="next-squads">${next}</ol>`
              : html`<p class="muted">${ot().noNextSquad}</p>`}`,
          actions: open ? openIncident(p.incident.id) : '',
        };
      }
      case 'dispatch.declined': {
        const p = a.payload;
        const open = incidentOpen(p.incident.id);
        return {
          text: ot().declined(squadLabel(s, a.squadId, p.squadCode, p.dispatch?.squadName), p.reason),
          details: html`<p class="where">${ot().incidentLine(p.incident.title, nearestArea(p.incident.lat, p.incident.lng))}</p>`,
          actions: open ? openIncident(p.incident.id) : '',
        };
      }
      case 'squad.return_overdue': {
        const p = a.payload;
        const now = a.squadId ? s.squads.get(a.squadId) : undefined;
        const still = now?.status === 'returning';
        return {
          text: ot().returnOverdue(squadLabel(s, a.squadId, p.code, p.name), p.minutes),
          details: html`<p class="where">${still ? ot().returnOverdueHint : html`${STATUS_GLYPH[now?.status ?? ''] ?? ''} ${statusWord(now?.status ?? '')}`}</p>`,
          actions: cmd && still ? html`
            <button data-action="squad-status" data-status="available" data-squad-id="${a.squadId}">${ot().setAvailable}</button>
            <button data-action="squad-status" data-status="unavailable" data-squad-id="${a.squadId}">${ot().setUnavailable}</button>` : '',
        };
      }
      case 'stock.low': {
        const p = a.payload;
        const item = itemName(s, p.itemCode);
        return {
          text: ot().stockLow(siteLabel(a.facilityId, p), item.name, p.available, p.required, item.unit),
          details: '',
          actions: openSite(a.facilityId),
        };
      }
      case 'stock.expiring': {
        const p = a.payload;
        const item = itemName(s, p.itemCode);
        return {
          text: ot().stockExpiring(siteLabel(a.facilityId, p), item.name, p.quantity, item.unit, p.expiresOn),
          details: '',
          actions: openSite(a.facilityId),
        };
      }
      case 'switchover.completed': {
        const p = a.payload;
        return {
          text: ot().switchedToEmergency(p.switchedCount, scopeLabel(p.scope), p.reason),
          details: a.actor ? html`<p class="muted">${ot().by(a.actor.username)}</p>` : '',
          actions: html`<button data-action="open-readiness">${ot().openReadiness}</button>`,
        };
      }
      case 'incident.created': {
        const p = a.payload;
        const open = s.incidents.get(a.incidentId ?? '')?.status === 'open';
        return {
          text: ot().newIncidentAlert(p.title, t().severities[p.severity] ?? p.severity, nearestArea(p.lat, p.lng)),
          details: html`<p class="muted">${t().incidentKinds[p.kind] ?? p.kind}${p.requiredSkills.length ? ` · ${p.requiredSkills.map((k) => t().skills[k] ?? k).join('、')}` : ''}</p>`,
          actions: open ? openIncident(a.incidentId) : '',
        };
      }
      case 'dispatch.check_in_missed': {
        const p = a.payload;
        return {
          text: describeEvent(a),
          details: html`<p class="where">${ot().incidentLine(p.incident.title, nearestArea(p.incident.lat, p.incident.lng))}
            · ${ot().lastCheckIn(p.lastCheckInAt ? clock(p.lastCheckInAt) : null)}</p>`,
          actions: incidentOpen(p.incident.id) ? openIncident(p.incident.id) : '',
        };
      }
      case 'conversion.overdue':
        return { text: describeEvent(a), details: '', actions: openSite(a.facilityId) };
      case 'roll_call.escalated':
        return {
          text: describeEvent(a),
          details: '',
          actions: html`<button data-action="open-roll-call" data-roll-call-id="${a.payload.rollCallId}">${ot().openRollCall}</button>`,
        };
      case 'plan.activated':
      case 'plan.level_changed':
        return { text: describeEvent(a), details: '', actions: html`<button data-action="open-plans">${ot().openPlans}</button>` };
      default:
        return { text: describeEvent(a), details: '', actions: '' };
    }
  }

  private async onClick(e: Event): Promise<void> {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const li = button?.closest<HTMLLIElement>('li[data-alert-id]');
    if (!button || !li) return;
    const alertId = li.dataset.alertId!;
    const { action } = button.dataset;
    if (action === 'open-incident') return this.actions.openIncident?.(button.dataset.incidentId!);
    if (action === 'open-site') return this.actions.openSite(button.dataset.facilityId!);
    if (action === 'open-readiness') return this.actions.openReadiness();
    if (action === 'open-plans') return this.actions.openPlans();
    if (action === 'open-roll-call') return this.actions.openRollCall(button.dataset.rollCallId!);
    button.disabled = true;
    try {
      if (action === 'ack') {
        await api('POST', `/api/alerts/${alertId}/ack`);
        this.forget(alertId);
      } else if (action === 'dispatch-next') {
        await api('POST', `/api/incidents/${button.dataset.incidentId}/dispatches`, { squadIds: [button.dataset.squadId] });
        this.sent.set(alertId, new Set([...(this.sent.get(alertId) ?? []), button.dataset.squadId!]));
        this.errors.delete(alertId);
      } else if (action === 'squad-status') {
        await api('POST', `/api/squads/${button.dataset.squadId}/status`, { status: button.dataset.status });
        this.errors.delete(alertId);
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'ALERT.ALREADY_ACKNOWLEDGED') this.forget(alertId);
      else this.errors.set(alertId, err instanceof ApiError ? err.message : String(err));
      button.disabled = false;
    }
    this.render();
  }

  /** Supply alerts come by the hundred: with the supply filter on, a commander acknowledges them together. */
  private showBulk(shown: AlertView[]): void {
    const box = this.el.querySelector<HTMLElement>('[data-testid=bulk-ack]');
    if (!box || this.bulkRunning) return;
    box.hidden = this.kind !== 'stock' || shown.length < 2;
    box.querySelector('[data-action=ack-all]')!.textContent = ot().ackAllStock(shown.length);
  }

  private bulkRunning = false;

  private async onBulk(e: Event): Promise<void> {
    const action = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]')?.dataset.action;
    const box = this.el.querySelector<HTMLElement>('[data-testid=bulk-ack]')!;
    const confirm = box.querySelector<HTMLElement>('.confirm')!;
    const ids = [...this.store.alerts.values()].filter((a) => kindOf(a) === 'stock').map((a) => a.id);
    if (action === 'ack-all') {
      box.querySelector('.question')!.textContent = ot().confirmAckAll(ids.length);
      confirm.hidden = false;
      confirm.querySelector<HTMLElement>('[data-action=ack-all-yes]')!.focus();
      return;
    }
    confirm.hidden = true;
    if (action !== 'ack-all-yes') return;
    this.bulkRunning = true;
    const progress = box.querySelector('.progress')!;
    let done = 0;
    // Four at a time: quick for a few hundred, gentle on the server.
    const queue = [...ids];
    const worker = async () => {
      for (let id = queue.shift(); id; id = queue.shift()) {
        await api('POST', `/api/alerts/${id}/ack`).catch((err) => {
          if (!(err instanceof ApiError && err.code === 'ALERT.ALREADY_ACKNOWLEDGED')) throw err;
        });
        this.store.dismissAlert(id);
        progress.textContent = ot().ackProgress(++done, ids.length);
      }
    };
    try {
      await Promise.all([worker(), worker(), worker(), worker()]);
    } catch (err) {
      progress.textContent = err instanceof ApiError ? err.message : String(err);
    }
    this.bulkRunning = false;
    this.render();
  }

  /** Acknowledged here: gone at once (the alert.acknowledged event confirms it to every dashboard). */
  private forget(alertId: string): void {
    this.store.dismissAlert(alertId);
    this.sent.delete(alertId);
    this.errors.delete(alertId);
  }

  private refreshTimes(): void {
    fillTimes(this.list);
  }
}
