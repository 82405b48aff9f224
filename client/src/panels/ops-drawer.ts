import { html, render } from '../html.js';
import { ot } from './operations-strings.js';

export type OpsTab = 'alerts' | 'incidents' | 'roster' | 'readiness' | 'plans' | 'rollCalls';
const TABS: OpsTab[] = ['alerts', 'incidents', 'roster', 'readiness', 'plans', 'rollCalls'];

/**
 * The operations panels in one side drawer with tabs (WAI-ARIA tabs: arrow keys move between them,
 * Escape closes the drawer). While it is open the map makes room for it instead of lying under it.
 */
export class OpsDrawer {
  readonly el = document.createElement('aside');
  current: OpsTab = 'alerts';

  constructor(
    sections: Record<OpsTab, HTMLElement>,
    private readonly onLayout: (open: boolean, tab: OpsTab) => void,
  ) {
    this.el.className = 'ops-drawer';
    this.el.dataset.testid = 'ops-drawer';
    this.el.hidden = true;
    this.el.setAttribute('aria-label', ot().opsPanels);
    // The close button sits beside the tab list, not in it: a tablist holds tabs only.
    render(this.el, html`
      <div class="ops-tabs">
        <div class="ops-tablist" role="tablist" aria-label="${ot().opsPanels}">
          ${TABS.map((tab) => html`<button role="tab" id="ops-tab-${tab}" data-tab="${tab}" data-testid="tab-${tab}" aria-controls="ops-panel-${tab}"
            aria-selected="false" tabindex="-1">${ot().tabs[tab]}<span class="badge" data-badge="${tab}"></span></button>`)}
        </div>
        <button class="close" data-action="close-drawer" aria-label="${ot().closePanels}" title="${ot().closePanels}">×</button>
      </div>
      ${TABS.map((tab) => html`<div role="tabpanel" class="ops-tabpanel" id="ops-panel-${tab}" aria-labelledby="ops-tab-${tab}" tabindex="0" hidden></div>`)}`);
    for (const tab of TABS) this.el.querySelector(`#ops-panel-${tab}`)!.append(sections[tab]);
    this.el.querySelector('.ops-tabs')!.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button');
      if (b?.dataset.tab) this.open(b.dataset.tab as OpsTab);
      else if (b?.dataset.action === 'close-drawer') this.close();
    });
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') return this.close();
      const onTab = (e.target as HTMLElement).getAttribute('role') === 'tab';
      if (!onTab || (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft')) return;
      const next = TABS[(TABS.indexOf(this.current) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
      this.open(next);
      this.el.querySelector<HTMLElement>(`#ops-tab-${next}`)!.focus();
    });
  }

  get isOpen(): boolean {
    return !this.el.hidden;
  }

  open(tab: OpsTab = this.current): void {
    this.current = tab;
    for (const t of TABS) {
      const button = this.el.querySelector<HTMLElement>(`#ops-tab-${t}`)!;
      button.setAttribute('aria-selected', String(t === tab));
      button.tabIndex = t === tab ? 0 : -1;
      this.el.querySelector<HTMLElement>(`#ops-panel-${t}`)!.hidden = t !== tab;
    }
    const wasOpen = this.isOpen;
    this.el.hidden = false;
    this.onLayout(true, tab);
    if (!wasOpen) this.el.querySelector<HTMLElement>(`#ops-tab-${tab}`)!.focus();
  }

  close(): void {
    if (!this.isOpen) return;
    this.el.hidden = true;
    this.onLayout(false, this.current);
  }

  toggle(tab: OpsTab): void {
    if (this.isOpen && this.current === tab) this.close();
    else this.open(tab);
  }

  setBadge(tab: OpsTab, text: string): void {
    this.el.querySelector(`[data-badge=${tab}]`)!.textContent = text;
  }
}
