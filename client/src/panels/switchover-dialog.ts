import { api, ApiError } from '../api.js';
import { areaName, facilityName, facilityStore } from '../facilities.js';
import { t } from '../strings.js';
import { html, render, type SafeHtml } from '../html.js';
import { m } from '../layers/map-strings.js';
import { itemName, loadItemNames } from '../layers/names.js';
import type { FacilityFilter } from '../layers/facilities-layer.js';
import type { FacilityView, Mode } from '../../../src/contracts/facilities.js';
import type { ReadinessView, ShortfallView, SwitchoverResult } from '../../../src/contracts/supplies.js';
import { announceSwitchover } from './switchover-events.js';

type ScopeKind = 'site' | 'area' | 'type' | 'city';
const MAX_SHORT_SITES = 30;

/**
 * The commander's switchover, made hard to get wrong: the scope comes from the selected site or the
 * map's filter, only that scope's fields show, the target mode is the opposite of what the sites are,
 * the shortfalls are named (site, item, have/need) before confirming, and afterwards it says what
 * happened.
 */
export class SwitchoverDialog {
  private readonly dialog = document.createElement('dialog');
  private site?: FacilityView;
  private readiness?: Map<string, ShortfallView[]>;
  private modeTouched = false;

  constructor(private readonly mapFilter: () => FacilityFilter = () => ({})) {
    this.dialog.className = 'switchover-dialog';
    this.dialog.dataset.testid = 'switchover-dialog';
    this.dialog.setAttribute('aria-labelledby', 'switchover-title');
    document.body.append(this.dialog);
  }

  open(site?: FacilityView): void {
    this.site = site ? (facilityStore.facilities.get(site.id) ?? site) : undefined;
    this.readiness = undefined;
    this.modeTouched = false;
    // Which sites in scope are short of reserves, before anyone confirms.
    void Promise.all([api<ReadinessView>('GET', '/api/readiness'), loadItemNames()]).then(([r]) => {
      this.readiness = new Map(r.sites.filter((s) => !s.ready).map((s) => [s.facilityId, s.shortfalls]));
      this.preview();
    }).catch(() => undefined);
    const filter = this.mapFilter();
    const kind: ScopeKind = this.site ? 'site' : filter.area ? 'area' : filter.type ? 'type' : 'city';
    const option = (value: string, label: string, selected = false) => html`<option value="${value}" ${selected ? html`selected` : ''}>${label}</option>`;
    render(this.dialog, html`
      <form method="dialog">
        <h2 id="switchover-title">${m().switchoverTitle}</h2>
        <label>${m().scope}
          <select name="scope">
            ${this.site ? option('site', m().scopeSite(facilityName(this.site)), kind === 'site') : ''}
            ${option('area', m().scopeArea, kind === 'area')}${option('type', m().scopeType, kind === 'type')}${option('city', m().scopeCity, kind === 'city')}
          </select></label>
        <label data-for="area">${m().scopeArea}<select name="area">${facilityStore.areas.map((a) => option(a.code, areaName(a), a.code === (filter.area ?? this.site?.areaCode)))}</select></label>
        <label data-for="type">${m().scopeType}<select name="type">${Object.entries(t().types).map(([k, v]) => option(k, v, k === (filter.type ?? this.site?.type)))}</select></label>
        <label>${m().targetMode}<select name="mode">${option('emergency', t().modeEmergency)}${option('normal', t().modeNormal)}</select></label>
        <label>${m().reason}<textarea name="reason" rows="2" required minlength="2"></textarea></label>
        <p class="preview" data-testid="switchover-preview" role="status"></p>
        <section class="readiness-in-scope" data-testid="switchover-readiness"><h3></h3><ul></ul></section>
        <p class="error" role="alert"></p>
        <menu><button value="cancel" formnovalidate>${m().cancel}</button><button value="confirm" data-action="confirm">${m().confirm}</button></menu>
      </form>
      <section class="result" data-testid="switchover-result" role="status" hidden></section>`);
    const form = this.dialog.querySelector('form')!;
    form.querySelector('[name=mode]')!.addEventListener('change', () => (this.modeTouched = true));
    form.addEventListener('change', () => this.preview());
    form.querySelector('[data-action=confirm]')!.addEventListener('click', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.preview();
    this.dialog.showModal();
  }

  private field<T extends HTMLElement = HTMLInputElement>(name: string): T {
    return this.dialog.querySelector<T>(`[name=${name}]`)!;
  }

  private value(name: string): string {
    return this.field(name).value;
  }

  private scope(): { body: Record<string, unknown>; sites: FacilityView[] } {
    const kind = this.value('scope') as ScopeKind;
    const all = [...facilityStore.facilities.values()];
    if (kind === 'site' && this.site) return { body: { facilityIds: [this.site.id] }, sites: all.filter((f) => f.id === this.site!.id) };
    if (kind === 'area') return { body: { areas: [this.value('area')] }, sites: all.filter((f) => f.areaCode === this.value('area')) };
    if (kind === 'type') return { body: { types: [this.value('type')] }, sites: all.filter((f) => f.type === this.value('type')) };
    return { body: { all: true }, sites: all };
  }

  /** Shortfalls in words: one line per site, its items with have/need. */
  private shortList(entries: [string, ShortfallView[]][]): SafeHtml {
    const code = (id: string) => facilityStore.facilities.get(id)?.code ?? id;
    const shown = [...entries].sort(([a], [b]) => code(a).localeCompare(code(b))).slice(0, MAX_SHORT_SITES);
    return html`${shown.map(([id, short]) => {
      const f = facilityStore.facilities.get(id);
      return html`<li data-testid="shortfall" data-facility-id="${id}"><b>${f ? facilityName(f) : id}</b>${m().colon}${
        short.map((s) => m().shortLine(itemName(s.itemCode), s.available, s.required)).join(m().listSep)}</li>`;
    })}${entries.length > shown.length ? html`<li class="muted">${m().moreShort(entries.length - shown.length)}</li>` : ''}`;
  }

  private preview(): void {
    const kind = this.value('scope');
    this.dialog.querySelector<HTMLElement>('[data-for=area]')!.hidden = kind !== 'area';
    this.dialog.querySelector<HTMLElement>('[data-for=type]')!.hidden = kind !== 'type';
    const { sites } = this.scope();
    if (!this.modeTouched) {
      // The opposite of what the site is; for many sites, emergency unless they all already are.
      const target: Mode = sites.length && sites.every((f) => f.mode === 'emergency') ? 'normal' : 'emergency';
      this.field<HTMLSelectElement>('mode').value = target;
    }
    const mode = this.value('mode');
    const changing = sites.filter((f) => f.mode !== mode).length;
    this.dialog.querySelector('.preview')!.textContent = m().willChange(changing, sites.length, m().modeName[mode]);
    this.dialog.querySelector<HTMLButtonElement>('[data-action=confirm]')!.disabled = changing === 0;
    const heading = this.dialog.querySelector('.readiness-in-scope h3')!;
    const list = this.dialog.querySelector('.readiness-in-scope ul')!;
    if (!this.readiness) {
      heading.textContent = m().loadingReadiness;
      list.replaceChildren();
      return;
    }
    const short = sites.filter((f) => this.readiness!.has(f.id)).map((f): [string, ShortfallView[]] => [f.id, this.readiness!.get(f.id)!]);
    heading.textContent = m().shortHeading(short.length, sites.length);
    render(list, this.shortList(short));
  }

  private async submit(): Promise<void> {
    const form = this.dialog.querySelector('form')!;
    if (!form.reportValidity()) return;
    const error = this.dialog.querySelector('.error')!;
    try {
      const result = await api<SwitchoverResult>('POST', '/api/switchovers', {
        mode: this.value('mode'),
        reason: this.value('reason').trim(),
        scope: this.scope().body,
      });
      this.showResult(result);
      announceSwitchover(result); // the readiness board shows what the switched sites lack
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : String(e);
    }
  }

  /** What happened, in the dialog itself: how many switched, how many were already there, what is short. */
  private showResult(result: SwitchoverResult): void {
    const bySite = new Map<string, ShortfallView[]>();
    for (const s of result.shortfalls) bySite.set(s.facilityId, [...(bySite.get(s.facilityId) ?? []), s]);
    const section = this.dialog.querySelector<HTMLElement>('[data-testid=switchover-result]')!;
    render(section, html`
      <h2>${m().switchoverTitle}</h2>
      <p class="done" data-testid="switchover-done" data-switched="${result.switched.length}" data-unchanged="${result.unchanged.length}">
        <b>✔ ${m().done(result.switched.length, m().modeName[result.mode])}</b>${result.unchanged.length ? html`<br>${m().unchanged(result.unchanged.length)}` : ''}</p>
      <h3>${m().doneShortHeading(bySite.size)}</h3>
      <ul>${this.shortList([...bySite])}</ul>
      <menu><button data-action="close" autofocus>${m().close}</button></menu>`);
    this.dialog.querySelector('form')!.hidden = true;
    section.hidden = false;
    this.dialog.dataset.lastResult = t().switched(result.switched.length);
    section.querySelector('[data-action=close]')!.addEventListener('click', () => this.dialog.close());
  }
}
