import { facilityName, facilityStore } from '../facilities.js';
import { html, render, type SafeHtml } from '../html.js';
import { t } from '../strings.js';
import type { OpsChange, OpsStore } from './ops-store.js';
import { ot } from './operations-strings.js';
import { areaLabel, itemName, siteLabel } from './ops-words.js';
import type { FacilityView } from '../../../src/contracts/facilities.js';
import type { ReadinessSiteView } from '../../../src/contracts/supplies.js';

const modeWord = (mode: string | undefined) => (mode === 'emergency' ? `▲ ${t().modeEmergency}` : `○ ${t().modeNormal}`);

/**
 * City → area → site: how many sites are in emergency, which are ready and what each is short of (item
 * names, have/need), lots expiring, open alerts per site. After a confirmed switchover, its shortfalls
 * on top. Areas render their sites only when opened (a city of 10,000 sites stays fast); printing opens
 * them all, and the print stylesheet prints this board alone.
 */
export class ReadinessBoard {
  readonly el = document.createElement('section');
  private readonly openAreas = new Set<string>();
  private filter = { mode: '', onlyShort: false };
  private printing = false;
  private visible = false;
  private dirty = true;

  constructor(private readonly store: OpsStore) {
    this.el.className = 'ops-section readiness-board';
    this.el.dataset.testid = 'readiness-board';
    store.subscribe((c: Set<OpsChange>) => {
      if (c.has('readiness') || c.has('modes') || c.has('alerts') || c.has('switchover')) this.changed();
    });
    window.addEventListener('beforeprint', () => this.beforePrint());
    window.addEventListener('afterprint', () => {
      this.printing = false;
      this.changed();
    });
    this.el.addEventListener('click', (e) => this.onClick(e));
    this.el.addEventListener('change', (e) => this.onFilter(e));
    this.el.addEventListener('toggle', (e) => {
      const d = e.target as HTMLDetailsElement;
      if (!d.dataset.area) return;
      const was = this.openAreas.has(d.dataset.area);
      if (d.open) this.openAreas.add(d.dataset.area);
      else this.openAreas.delete(d.dataset.area);
      if (was !== d.open) this.render();
    }, true);
  }

  /** Shown by the drawer: render what changed while hidden. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible && this.dirty) this.render();
  }

  /** The indicator strip's shortcuts: sites in emergency, or sites short of reserves. */
  setFilter(filter: { mode?: string; onlyShort?: boolean }): void {
    this.filter = { mode: filter.mode ?? '', onlyShort: filter.onlyShort ?? false };
    this.render();
  }

  private changed(): void {
    if (this.visible || this.printing) this.render();
    else this.dirty = true;
  }

  render(): void {
    this.dirty = false;
    if (!this.store.loaded) return render(this.el, html`<p>${ot().loading}</p>`);
    const sites = [...facilityStore.facilities.values()];
    const warnings = new Map<string, number>();
    for (const a of this.store.alerts.values()) if (a.facilityId) warnings.set(a.facilityId, (warnings.get(a.facilityId) ?? 0) + 1);
    const ready = (f: FacilityView) => this.store.readiness.get(f.id)?.ready ?? true;
    const emergency = (f: FacilityView) => this.store.modeOf(f.id) === 'emergency';
    const shown = sites.filter((f) => (!this.filter.mode || this.store.modeOf(f.id) === this.filter.mode) && (!this.filter.onlyShort || !ready(f)));
    const areas = [...facilityStore.areas].sort((a, b) => a.code.localeCompare(b.code));
    const option = (value: string, label: string, on: boolean) => html`<option value="${value}" ${on ? 'selected' : ''}>${label}</option>`;
    render(this.el, html`
      <div class="ops-toolbar">
        <h2>${ot().readinessTitle}</h2>
        <span class="print-only muted">${ot().printedAt(new Date().toLocaleString())}</span>
        <span class="no-print">
          <button data-action="refresh">${ot().refresh}</button>
          <button data-action="print" data-testid="print-readiness">${ot().print}</button></span>
      </div>
      <p class="city-summary" data-testid="city-summary">${ot().citySummary(sites.length, sites.filter(emergency).length,
        sites.filter(ready).length, sites.filter((f) => !ready(f)).length)}</p>
      ${this.switchoverSection()}
      <div class="ops-filters no-print">
        <label>${ot().modeFilter} <select name="mode" data-testid="readiness-mode">${option('', ot().allModes, !this.filter.mode)}
          ${option('emergency', t().modeEmergency, this.filter.mode === 'emergency')}${option('normal', t().modeNormal, this.filter.mode === 'normal')}</select></label>
        <label><input type="checkbox" name="onlyShort" data-testid="readiness-only-short" ${this.filter.onlyShort ? 'checked' : ''} /> ${ot().onlyShort}</label>
      </div>
      ${areas.map((a) => {
        const inArea = sites.filter((f) => f.areaCode === a.code);
        const rows = shown.filter((f) => f.areaCode === a.code).sort((x, y) => Number(ready(x)) - Number(ready(y)) || x.code.localeCompare(y.code));
        if (!rows.length) return '';
        const open = this.printing || this.openAreas.has(a.code);
        const areaWarnings = inArea.reduce((n, f) => n + (warnings.get(f.id) ?? 0), 0);
        return html`<details class="area" data-area="${a.code}" data-testid="readiness-area" ${open ? 'open' : ''}>
          <summary><b>${areaLabel(a.code)}</b> <span>${ot().areaSummary(inArea.length, inArea.filter(emergency).length,
            inArea.filter(ready).length, inArea.filter((f) => !ready(f)).length, areaWarnings)}</span></summary>
          ${open ? this.table(rows, warnings) : ''}</details>`;
      })}`);
  }

  private table(rows: FacilityView[], warnings: Map<string, number>): SafeHtml {
    return html`<table class="readiness-table">
      <thead><tr><th scope="col">${ot().colSite}</th><th scope="col">${ot().colMode}</th><th scope="col">${ot().colReady}</th>
        <th scope="col">${ot().colShortfalls}</th><th scope="col">${ot().colWarnings}</th></tr></thead>
      <tbody>${rows.map((f) => {
        const r = this.store.readiness.get(f.id);
        const mode = this.store.modeOf(f.id);
        return html`<tr data-testid="readiness-site" data-facility-id="${f.id}" data-ready="${r?.ready ?? true}" class="${r && !r.ready ? 'short' : ''}">
          <th scope="row">${facilityName(f)}<br><small class="muted">${f.code} · ${t().types[f.type] ?? f.type}</small></th>
          <td class="mode-${mode}">${modeWord(mode)}</td>
          <td>${r && !r.ready ? html`<b class="short-word">${ot().readyNo}</b>` : ot().readyYes}</td>
          <td>${r ? this.shortfalls(r) : ''}</td>
          <td>${warnings.get(f.id) ? `⚠ ${warnings.get(f.id)}` : ''}</td></tr>`;
      })}</tbody></table>`;
  }

  private shortfalls(r: ReadinessSiteView): SafeHtml {
    return html`${r.shortfalls.map((s) => {
      const item = itemName(this.store, s.itemCode);
      return html`<span class="shortfall">${item.name} ${s.available}/${s.required}${item.unit ? ` ${item.unit}` : ''}</span>`;
    })}${r.expiringSoon.map((x) => html`<small class="expiring">${ot().expiringSoon(itemName(this.store, x.itemCode).name, x.quantity, x.expiresOn)}</small>`)}`;
  }

  private switchoverSection(): SafeHtml | string {
    const last = this.store.lastSwitchover;
    if (!last) return '';
    const bySite = new Map<string, typeof last.shortfalls>();
    for (const s of last.shortfalls) bySite.set(s.facilityId, [...(bySite.get(s.facilityId) ?? []), s]);
    const mode = last.mode === 'emergency' ? t().modeEmergency : t().modeNormal;
    return html`<section class="last-switchover" data-testid="switchover-shortfalls" role="status">
      <h3>${ot().lastSwitchover(last.switched.length, mode)} <button data-action="dismiss-switchover" class="no-print">${ot().dismiss}</button></h3>
      ${bySite.size ? html`<p>${ot().switchoverShort(bySite.size)}</p><ul>${[...bySite].map(([id, list]) => {
        const f = facilityStore.facilities.get(id);
        return html`<li data-testid="switchover-shortfall"><b>${siteLabel(id, { code: f?.code ?? id, name: f ? facilityName(f) : id })}</b>${ot().colon}
          ${list.map((s) => {
            const item = itemName(this.store, s.itemCode);
            return html`<span class="shortfall">${item.name} ${s.available}/${s.required}${item.unit ? ` ${item.unit}` : ''}</span>`;
          })}</li>`;
      })}</ul>` : html`<p>${ot().switchoverAllReady}</p>`}</section>`;
  }

  private onClick(e: Event): void {
    const action = (e.target as HTMLElement).closest<HTMLElement>('button[data-action]')?.dataset.action;
    if (action === 'print') {
      this.beforePrint();
      window.print();
    } else if (action === 'refresh') {
      void this.store.reloadReadiness();
    } else if (action === 'dismiss-switchover') {
      this.store.lastSwitchover = undefined;
      this.render();
    }
  }

  private onFilter(e: Event): void {
    const input = e.target as HTMLInputElement;
    if (input.name === 'mode') this.filter.mode = input.value;
    else if (input.name === 'onlyShort') this.filter.onlyShort = input.checked;
    else return;
    this.render();
  }

  private beforePrint(): void {
    this.printing = true;
    this.render();
  }
}
