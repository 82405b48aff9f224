import { api, ApiError } from '../api.js';
import { html, render } from '../html.js';
import { t } from '../strings.js';
import { KeyedList } from './keyed-list.js';
import { type OpsChange, type OpsStore } from './ops-store.js';
import { ot } from './operations-strings.js';
import { fillTimes, nearestArea, statusWord, STATUS_GLYPH } from './ops-words.js';
import { type DispatchView, type IncidentView, INCIDENT_SEVERITIES, isActiveDispatch } from '../../../src/contracts/dispatch.js';

const SEVERITY_RANK = Object.fromEntries(INCIDENT_SEVERITIES.map((s, i) => [s, i])) as Record<string, number>;
const STATUS_WORD = () => ({ open: ot().statusOpen, resolved: ot().statusResolved, cancelled: ot().statusCancelled }) as Record<string, string>;

/**
 * The incidents: open first, the most severe first, each with the squads sent to it and where they are
 * in the job; commanders open its recommendations, resolve or cancel it (with a confirmation that says
 * how many dispatches end). Drills are hidden unless asked for, and then marked 演练/DRILL.
 */
export class IncidentList {
  readonly el = document.createElement('section');
  private readonly rows: KeyedList;
  private showDrills = false;
  private confirming?: { id: string; status: 'resolved' | 'cancelled' };
  private readonly errors = new Map<string, string>();

  constructor(
    private readonly store: OpsStore,
    private readonly opts: { isCommander: boolean; openIncident?: (id: string) => void },
  ) {
    this.el.className = 'ops-section incident-list';
    this.el.dataset.testid = 'incident-list';
    render(this.el, html`
      <div class="ops-toolbar">
        <h2>${ot().incidentsTitle} <span class="count" data-testid="incidents-count">0</span></h2>
        <label><input type="checkbox" data-testid="show-drills" /> ${ot().showDrills}</label>
      </div>
      <p class="empty muted" data-testid="incidents-empty">${ot().incidentsEmpty}</p>
      <ol class="incidents"></ol>`);
    this.rows = new KeyedList(this.el.querySelector('ol')!);
    this.el.querySelector<HTMLInputElement>('[data-testid=show-drills]')!.addEventListener('change', (e) => {
      this.showDrills = (e.target as HTMLInputElement).checked;
      this.render();
    });
    this.el.querySelector('ol')!.addEventListener('click', (e) => void this.onClick(e));
    store.subscribe((c: Set<OpsChange>) => {
      if (c.has('incidents') || c.has('dispatches') || c.has('squads')) this.render();
    });
    window.setInterval(() => fillTimes(this.el), 30_000);
  }

  render(): void {
    const all = [...this.store.incidents.values()];
    const shown = all
      .filter((i) => this.showDrills || !i.exercise)
      .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open')
        || SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || b.createdAt.localeCompare(a.createdAt));
    const open = all.filter((i) => i.status === 'open' && (this.showDrills || !i.exercise)).length;
    this.el.querySelector('[data-testid=incidents-count]')!.textContent = String(open);
    this.el.querySelector<HTMLElement>('[data-testid=incidents-empty]')!.hidden = open > 0;
    const byIncident = new Map<string, DispatchView[]>();
    for (const d of this.store.dispatches.values()) byIncident.set(d.incidentId, [...(byIncident.get(d.incidentId) ?? []), d]);
    this.rows.update(shown.map((i) => ({
      key: i.id,
      markup: this.row(i, byIncident.get(i.id) ?? []),
      init: (li) => {
        li.dataset.testid = 'incident-row';
        li.dataset.incidentId = i.id;
        li.dataset.status = i.status;
        li.dataset.severity = i.severity;
        li.className = `sev-${i.severity} status-${i.status}${i.exercise ? ' exercise' : ''}`;
        li.querySelector<HTMLElement>('[data-action=confirm-yes]')?.focus();
      },
    })));
    fillTimes(this.el);
  }

  private row(i: IncidentView, dispatches: DispatchView[]) {
    const active = dispatches.filter((d) => isActiveDispatch(d.status));
    const ordered = [...active, ...dispatches.filter((d) => !isActiveDispatch(d.status))];
    const canAct = this.opts.isCommander && i.status === 'open';
    const confirming = this.confirming?.id === i.id ? this.confirming.status : undefined;
    const error = this.errors.get(i.id);
    return html`
      <div class="row-head">${i.exercise ? html`<span class="drill-badge">${t().drill}</span> ` : ''}<b class="title">${i.title}</b></div>
      <p class="meta"><span class="sev-word">${t().severities[i.severity] ?? i.severity}</span> · ${t().incidentKinds[i.kind] ?? i.kind}
        · ${nearestArea(i.lat, i.lng)} · <span class="state">${STATUS_WORD()[i.status]}</span> · <span class="muted">${ot().opened} <time data-at="${i.createdAt}"></time></span></p>
      ${ordered.length ? html`<ul class="incident-squads">${ordered.map((d) => {
        const squad = this.store.squads.get(d.squadId);
        return html`<li data-testid="incident-squad" data-squad-code="${d.squadCode}" data-dispatch-status="${d.status}" class="${isActiveDispatch(d.status) ? 'active' : 'ended'}">
          <b>${d.squadCode}</b> ${d.squadName} — ${t().dispatchStatus[d.status] ?? d.status}${squad && isActiveDispatch(d.status)
            ? '' : squad ? html` <span class="muted">(${STATUS_GLYPH[squad.status]} ${statusWord(squad.status)})</span>` : ''}</li>`;
      })}</ul>` : html`<p class="muted">${ot().noSquads}</p>`}
      ${canAct && !confirming ? html`<div class="row-actions">
        ${this.opts.openIncident ? html`<button data-action="open-incident">${ot().recommendAndDispatch}</button>` : ''}
        <button data-action="resolve" data-testid="resolve">${ot().resolve}</button>
        <button data-action="cancel" data-testid="cancel-incident">${ot().cancelIncident}</button></div>` : ''}
      ${canAct && confirming ? html`<div class="confirm" role="group" aria-label="${confirming === 'resolved' ? ot().resolve : ot().cancelIncident}">
        <p>${confirming === 'resolved' ? ot().confirmResolve(active.length) : ot().confirmCancel(active.length)}</p>
        <button data-action="confirm-yes" data-testid="confirm-yes" class="danger">${ot().confirmYes}</button>
        <button data-action="confirm-no">${ot().confirmNo}</button></div>` : ''}
      ${error ? html`<p class="error" role="alert">${error}</p>` : ''}`;
  }

  private async onClick(e: Event): Promise<void> {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action]');
    const li = button?.closest<HTMLElement>('[data-incident-id]');
    if (!button || !li) return;
    const id = li.dataset.incidentId!;
    switch (button.dataset.action) {
      case 'open-incident':
        return this.opts.openIncident?.(id);
      case 'resolve':
      case 'cancel':
        this.confirming = { id, status: button.dataset.action === 'resolve' ? 'resolved' : 'cancelled' };
        this.errors.delete(id);
        return this.render();
      case 'confirm-no':
        this.confirming = undefined;
        this.render();
        return this.rows.get(id)?.querySelector<HTMLElement>('[data-action=resolve]')?.focus();
      case 'confirm-yes': {
        const status = this.confirming!.status;
        button.disabled = true;
        try {
          await api('PATCH', `/api/incidents/${id}`, { status });
          const incident = this.store.incidents.get(id);
          if (incident) incident.status = status; // the incident.updated event says the same to every dashboard
        } catch (err) {
          this.errors.set(id, err instanceof ApiError ? err.message : String(err));
        }
        this.confirming = undefined;
        return this.render();
      }
    }
  }
}
