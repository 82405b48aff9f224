import { api } from '../api.js';
import { facilityName } from '../facilities.js';
import { currentLang } from '../i18n.js';
import { t, timeAgo } from '../strings.js';
import { renderStock } from './stock-section.js';
import { html, render } from '../html.js';
import type { FacilityView } from '../../../src/contracts/facilities.js';
import type { ModeChangeView } from '../../../src/contracts/facilities.js';
import type { SiteReportView } from '../../../src/contracts/field.js';

const modeLabel = (mode: string) => (mode === 'emergency' ? t().modeEmergency : t().modeNormal);

/** Details of one site: emergency function, current mode and its switch history. */
export class SitePanel {
  readonly el = document.createElement('aside');
  private current?: FacilityView;

  constructor(
    private readonly canEditStock: boolean,
    private readonly onSwitch?: (f: FacilityView) => void,
  ) {
    this.el.className = 'panel site-panel';
    this.el.dataset.testid = 'site-panel';
    this.el.hidden = true;
  }

  async show(f: FacilityView): Promise<void> {
    this.current = f;
    const [fresh, history, reports] = await Promise.all([
      api<FacilityView>('GET', `/api/facilities/${f.id}`),
      api<ModeChangeView[]>('GET', `/api/facilities/${f.id}/modes`),
      api<SiteReportView[]>('GET', `/api/facilities/${f.id}/reports?limit=3`).catch(() => [] as SiteReportView[]),
    ]);
    if (this.current !== f) return;
    const fn = fresh.emergencyFunction;
    render(this.el, html`
      <button class="close" data-action="close" aria-label="${t().close}">×</button>
      <h2>${facilityName(fresh)}</h2>
      <p class="muted">${fresh.code} · ${t().types[fresh.type] ?? fresh.type}</p>
      <dl>
        <dt>${t().currentMode}</dt><dd><b class="mode-${fresh.mode}" data-testid="site-mode">${modeLabel(fresh.mode)}</b>
          ${fresh.modeChangedAt ? html`<span class="muted">${t().since} ${timeAgo(fresh.modeChangedAt)}</span>` : ''}</dd>
        <dt>${t().emergencyFunction}</dt><dd>${currentLang() === 'en' ? fn.en : fn.zh} <span class="muted">${currentLang() === 'en' ? fn.zh : fn.en}</span></dd>
        <dt>${t().capacity}</dt><dd>${fresh.capacity ?? '—'}</dd>
        <dt>${t().openingHours}</dt><dd>${fresh.openingHours === '24h' ? '24 h' : fresh.openingHours}</dd>
      </dl>
      ${this.onSwitch ? html`<button data-action="switch">${t().switchThisSite}</button>` : ''}
      <section data-testid="site-stock"></section>
      <h3>${t().siteReports}</h3>
      <ol class="history" data-testid="site-reports">${reports.length ? reports.map((r) => html`<li>${t().siteStatuses[r.status] ?? ''}
        ${r.occupancy !== null ? ` · ${r.occupancy}${r.capacity !== null ? ` / ${r.capacity}` : ''}` : ''} · ${timeAgo(r.at)} · ${r.by ?? ''}
        ${r.needs.length ? html`<br><span class="muted">${t().needsLines(r.needs.length)}</span>` : ''}${r.note ? html`<br><span class="muted">${r.note}</span>` : ''}</li>`)
        : html`<li class="muted">${t().noSiteReports}</li>`}</ol>
      <h3>${t().history}</h3>
      <ol class="history">${history.length ? history.map((h) => html`<li>${modeLabel(h.from)} → ${modeLabel(h.to)} · ${timeAgo(h.at)} · ${h.by}<br><span class="muted">${h.reason}</span></li>`) : html`<li class="muted">${t().noHistory}</li>`}</ol>`);
    this.el.hidden = false;
    void renderStock(this.el.querySelector('[data-testid=site-stock]')!, fresh.id, this.canEditStock, () => void this.show(fresh));
    this.el.querySelector('[data-action=close]')!.addEventListener('click', () => (this.el.hidden = true));
    this.el.querySelector('[data-action=switch]')?.addEventListener('click', () => this.onSwitch!(fresh));
  }

  /** Refreshes the panel when the site it shows has changed. */
  refresh(facilityId: string): void {
    if (!this.el.hidden && this.current?.id === facilityId) void this.show(this.current);
  }
}
