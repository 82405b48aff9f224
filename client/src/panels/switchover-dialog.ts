import { api, ApiError } from '../api.js';
import { areaName, facilityName, facilityStore } from '../facilities.js';
import { t } from '../strings.js';
import { html, render } from '../html.js';
import type { FacilityView, Mode } from '../../../src/contracts/facilities.js';
import type { SwitchoverResult } from '../../../src/contracts/operations.js';
import { announceSwitchover } from './switchover-events.js';

type ScopeKind = 'site' | 'area' | 'type' | 'city';

/** The commander's switchover: scope, target mode and reason, with how many sites will change before confirming. */
export class SwitchoverDialog {
  private readonly dialog = document.createElement('dialog');
  private site?: FacilityView;

  constructor() {
    this.dialog.className = 'switchover-dialog';
    this.dialog.dataset.testid = 'switchover-dialog';
    document.body.append(this.dialog);
  }

  private readiness: { facilityId: string; code: string; ready: boolean; shortfalls: { itemCode: string; required: number; available: number }[] }[] = [];

  open(site?: FacilityView): void {
    this.site = site;
    // Which sites in scope are short of reserves, before anyone confirms.
    void api<{ sites: SwitchoverDialog['readiness'] }>('GET', '/api/readiness').then((r) => {
      this.readiness = r.sites;
      this.preview();
    });
    const option = (value: string, label: string) => html`<option value="${value}">${label}</option>`;
    render(this.dialog, html`
      <form method="dialog">
        <h2>${t().switchover}</h2>
        <label>${t().scope}
          <select name="scope">
            ${site ? option('site', `${t().scopeSite}：${facilityName(site)}`) : ''}
            ${option('area', t().scopeArea)}${option('type', t().scopeType)}${option('city', t().scopeCity)}
          </select></label>
        <label data-for="area">${t().scopeArea}<select name="area">${facilityStore.areas.map((a) => option(a.code, areaName(a)))}</select></label>
        <label data-for="type">${t().scopeType}<select name="type">${Object.entries(t().types).map(([k, v]) => option(k, v))}</select></label>
        <label>${t().targetMode}<select name="mode">${option('emergency', t().modeEmergency)}${option('normal', t().modeNormal)}</select></label>
        <label>${t().reason}<textarea name="reason" rows="2" required minlength="2"></textarea></label>
        <p class="preview" data-testid="switchover-preview"></p>
        <details class="readiness-in-scope" data-testid="switchover-readiness"><summary></summary><ul></ul></details>
        <p class="error" role="alert"></p>
        <menu><button value="cancel" formnovalidate>${t().cancel}</button><button value="confirm" data-action="confirm">${t().confirm}</button></menu>
      </form>`);
    const form = this.dialog.querySelector('form')!;
    form.addEventListener('change', () => this.preview());
    form.querySelector('[data-action=confirm]')!.addEventListener('click', (e) => {
      e.preventDefault();
      void this.submit();
    });
    this.preview();
    this.dialog.showModal();
  }

  private value(name: string): string {
    return (this.dialog.querySelector(`[name=${name}]`) as HTMLInputElement).value;
  }

  private scope(): { body: Record<string, unknown>; sites: FacilityView[] } {
    const kind = this.value('scope') as ScopeKind;
    const all = [...facilityStore.facilities.values()];
    if (kind === 'site' && this.site) return { body: { facilityIds: [this.site.id] }, sites: all.filter((f) => f.id === this.site!.id) };
    if (kind === 'area') return { body: { areas: [this.value('area')] }, sites: all.filter((f) => f.areaCode === this.value('area')) };
    if (kind === 'type') return { body: { types: [this.value('type')] }, sites: all.filter((f) => f.type === this.value('type')) };
    return { body: { all: true }, sites: all };
  }

  private preview(): void {
    const kind = this.value('scope');
    this.dialog.querySelector<HTMLElement>('[data-for=area]')!.hidden = kind !== 'area';
    this.dialog.querySelector<HTMLElement>('[data-for=type]')!.hidden = kind !== 'type';
    const { sites } = this.scope();
    const changing = sites.filter((f) => f.mode !== (this.value('mode') as Mode)).length;
    this.dialog.querySelector('.preview')!.textContent = t().willChange(changing, sites.length);
    const inScope = new Set(sites.map((f) => f.id));
    const short = this.readiness.filter((r) => inScope.has(r.facilityId) && !r.ready);
    this.dialog.querySelector('.readiness-in-scope summary')!.textContent = t().readinessInScope(short.length, sites.length);
    render(this.dialog.querySelector('.readiness-in-scope ul')!, html`${short
      .slice(0, 50)
      .map((r) => html`<li>${r.code}: ${r.shortfalls.map((s) => `${s.itemCode} ${s.available}/${s.required}`).join(', ')}</li>`)}`);
  }

  private async submit(): Promise<void> {
    const error = this.dialog.querySelector('.error')!;
    try {
      const result = await api<SwitchoverResult>('POST', '/api/switchovers', {
        mode: this.value('mode'),
        reason: this.value('reason').trim(),
        scope: this.scope().body,
      });
      this.dialog.close();
      this.dialog.dataset.lastResult = t().switched(result.switched.length);
      announceSwitchover(result); // the readiness board shows what the switched sites lack
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : String(e);
    }
  }
}
