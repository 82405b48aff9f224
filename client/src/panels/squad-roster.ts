import { api, ApiError } from '../api.js';
import { facilityStore } from '../facilities.js';
import { html, render } from '../html.js';
import { t, timeAgo } from '../strings.js';
import { KeyedList } from './keyed-list.js';
import type { OpsChange, OpsStore } from './ops-store.js';
import { ot } from './operations-strings.js';
import { areaLabel, minutesSince, statusWord, STATUS_GLYPH } from './ops-words.js';
import { SQUAD_STATUSES, type SquadStatus, type SquadView } from '../../../src/contracts/squads.js';

/** Minutes after which a squad's time in a status is worth a look (returning: SQUAD_RETURN_ALERT_MINUTES' default). */
const THRESHOLD_MIN: Partial<Record<SquadStatus, number>> = { assigned: 5, en_route: 30, on_scene: 120, returning: 60, unavailable: 12 * 60 };
export const COMMITTED: readonly SquadStatus[] = ['assigned', 'en_route', 'on_scene'];
/** What a commander may set by hand from each status (the server's rule, squads/squad-status.ts). */
const SETTABLE: Partial<Record<SquadStatus, ('available' | 'unavailable')[]>> = {
  available: ['unavailable'], returning: ['available', 'unavailable'], unavailable: ['available'],
};

export type RosterStatusFilter = '' | SquadStatus | 'committed';

/**
 * All squads: status in words and a glyph, time in that status (marked past a threshold), area by
 * name, the incident it works on, how old its last position is; filtered by area and status, searched
 * by code. A commander sets a squad available or unavailable here — the way out of `returning`.
 */
export class SquadRoster {
  readonly el = document.createElement('section');
  private rows?: KeyedList;
  private filter = { area: '', status: '' as RosterStatusFilter, code: '' };
  private readonly errors = new Map<string, string>();

  constructor(private readonly store: OpsStore, private readonly isCommander: boolean) {
    this.el.className = 'ops-section squad-roster';
    this.el.dataset.testid = 'squad-roster';
    render(this.el, html`<p>${ot().loading}</p>`);
    store.subscribe((c: Set<OpsChange>) => {
      if (c.has('squads') || c.has('positions') || c.has('dispatches') || c.has('incidents')) this.render();
    });
    window.setInterval(() => this.render(), 30_000);
  }

  /** Shows only squads in this status (the indicator strip's buttons). */
  setStatusFilter(status: RosterStatusFilter): void {
    this.filter.status = status;
    const select = this.el.querySelector<HTMLSelectElement>('[data-testid=roster-status]');
    if (select) select.value = status;
    this.render();
  }

  private frame?: HTMLTableSectionElement;

  /** The filters and the table head, made once the areas are known; rows are updated by key. */
  private build(): HTMLTableSectionElement {
    const option = (value: string, label: string) => html`<option value="${value}">${label}</option>`;
    render(this.el, html`
      <div class="ops-toolbar">
        <h2>${ot().rosterTitle}</h2>
        <span class="muted" data-testid="roster-shown"></span>
      </div>
      <div class="ops-filters">
        <label>${ot().searchCode} <input type="search" data-testid="roster-search" placeholder="SQ-017" size="8" /></label>
        <label>${ot().areaFilter} <select data-testid="roster-area">${option('', t().allAreas)}${facilityStore.areas.map((a) => option(a.code, areaLabel(a.code)))}</select></label>
        <label>${ot().statusFilter} <select data-testid="roster-status">${option('', ot().allStatuses)}${option('committed', ot().committed)}${SQUAD_STATUSES.map((s) => option(s, `${STATUS_GLYPH[s]} ${statusWord(s)}`))}</select></label>
      </div>
      <p class="error" role="alert" data-testid="roster-error"></p>
      <table class="roster">
        <thead><tr><th scope="col">${ot().colSquad}</th><th scope="col">${ot().colStatus}</th><th scope="col">${ot().colInStatus}</th>
          <th scope="col">${ot().colArea}</th><th scope="col">${ot().colIncident}</th><th scope="col">${ot().colPosition}</th>
          ${this.isCommander ? html`<th scope="col">${ot().colActions}</th>` : ''}</tr></thead>
        <tbody></tbody>
      </table>`);
    const search = this.el.querySelector<HTMLInputElement>('[data-testid=roster-search]')!;
    search.addEventListener('input', () => {
      this.filter.code = search.value.trim().toUpperCase();
      this.render();
    });
    this.el.querySelector<HTMLSelectElement>('[data-testid=roster-area]')!.addEventListener('change', (e) => {
      this.filter.area = (e.target as HTMLSelectElement).value;
      this.render();
    });
    const status = this.el.querySelector<HTMLSelectElement>('[data-testid=roster-status]')!;
    status.value = this.filter.status;
    status.addEventListener('change', () => {
      this.filter.status = status.value as RosterStatusFilter;
      this.render();
    });
    const body = this.el.querySelector('tbody')!;
    body.addEventListener('click', (e) => void this.onClick(e));
    return body;
  }

  render(): void {
    if (!this.store.loaded) return;
    if (!this.frame) {
      this.frame = this.build();
      this.rows = new KeyedList(this.frame, 'tr');
    }
    const all = [...this.store.squads.values()].sort((a, b) => a.code.localeCompare(b.code));
    const { area, status, code } = this.filter;
    const shown = all.filter((s) => (!area || s.areaCode === area)
      && (!status || (status === 'committed' ? COMMITTED.includes(s.status) : s.status === status))
      && (!code || s.code.toUpperCase().includes(code)));
    this.el.querySelector('[data-testid=roster-shown]')!.textContent = ot().shown(shown.length, all.length);
    this.rows!.update(shown.map((s) => ({
      key: s.id,
      markup: this.row(s),
      init: (tr) => {
        tr.dataset.testid = 'roster-row';
        tr.dataset.squadId = s.id;
        tr.dataset.squadCode = s.code;
        tr.dataset.status = s.status;
        tr.className = `squad-${s.status}`;
      },
    })));
  }

  private row(s: SquadView) {
    const minutes = minutesSince(s.statusChangedAt);
    const limit = THRESHOLD_MIN[s.status];
    const over = minutes !== null && limit !== undefined && minutes >= limit;
    const job = this.store.activeDispatchOf(s.id);
    const actions = SETTABLE[s.status] ?? [];
    const error = this.errors.get(s.id);
    return html`
      <th scope="row"><b>${s.code}</b><br><small>${s.name}</small></th>
      <td><span class="squad-status s-${s.status}" data-testid="roster-status-word">${STATUS_GLYPH[s.status]} ${statusWord(s.status)}</span></td>
      <td class="${over ? 'over' : ''}" ${over ? html`title="${ot().overThreshold}"` : ''}>${minutes === null ? '—' : html`${over ? '⚠ ' : ''}${ot().duration(minutes)}`}</td>
      <td>${areaLabel(s.areaCode)}</td>
      <td>${job ? html`${job.exercise ? html`<span class="drill-badge">DRILL</span> ` : ''}${job.incident.title}` : '—'}</td>
      <td>${s.position?.at ? timeAgo(s.position.at) : html`<span class="muted">${ot().noPosition}</span>`}</td>
      ${this.isCommander ? html`<td>${actions.map((to) => html`<button data-action="set-status" data-status="${to}" data-testid="set-${to}"
          aria-label="${s.code} ${to === 'available' ? ot().setAvailable : ot().setUnavailable}">${to === 'available' ? ot().setAvailable : ot().setUnavailable}</button>`)}
        ${error ? html`<small class="error" role="alert">${error}</small>` : ''}</td>` : ''}`;
  }

  private async onClick(e: Event): Promise<void> {
    const button = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-action=set-status]');
    const tr = button?.closest<HTMLElement>('tr[data-squad-id]');
    if (!button || !tr) return;
    const id = tr.dataset.squadId!;
    button.disabled = true;
    try {
      const squad = await api<SquadView>('POST', `/api/squads/${id}/status`, { status: button.dataset.status });
      this.errors.delete(id);
      // The squad.status_changed event tells every dashboard; this one shows it at once.
      Object.assign(this.store.squads.get(id) ?? {}, { status: squad.status, statusChangedAt: squad.statusChangedAt });
      this.render();
    } catch (err) {
      this.errors.set(id, err instanceof ApiError ? err.message : String(err));
      button.disabled = false;
      this.render();
    }
  }
}
