import { facilityStore } from '../facilities.js';
import { html, render } from '../html.js';
import type { AlertSound } from './alert-sound.js';
import type { OpsStore } from './ops-store.js';
import { ot } from './operations-strings.js';
import { COMMITTED } from './squad-roster.js';

export type Indicator = 'emergency' | 'short' | 'available' | 'committed' | 'incidents' | 'alerts';

/**
 * The situation in one line under the header: sites in emergency, sites short of supplies, squads
 * available and committed, open incidents, unacknowledged alerts. Each is a button that opens its list;
 * all are kept current from the store (events), recounted at most every 50 ms.
 */
export class IndicatorStrip {
  readonly el = document.createElement('nav');

  constructor(private readonly store: OpsStore, private readonly sound: AlertSound, onOpen: (which: Indicator) => void) {
    this.el.className = 'indicator-strip';
    this.el.dataset.testid = 'indicator-strip';
    this.el.setAttribute('aria-label', ot().indicators);
    const button = (which: Indicator) => html`<button data-indicator="${which}" data-testid="ind-${which}"></button>`;
    render(this.el, html`${(['emergency', 'short', 'available', 'committed', 'incidents', 'alerts'] as const).map(button)}
      <span class="spacer"></span>
      <button data-action="mute" data-testid="alert-mute"></button>`);
    this.el.addEventListener('click', (e) => {
      const b = (e.target as HTMLElement).closest<HTMLButtonElement>('button');
      if (!b) return;
      if (b.dataset.indicator) onOpen(b.dataset.indicator as Indicator);
      else if (b.dataset.action === 'mute') {
        this.sound.muted = !this.sound.muted;
        this.render();
      }
    });
    store.subscribe(() => this.render());
    this.render();
  }

  render(): void {
    const s = this.store;
    const sites = [...facilityStore.facilities.keys()];
    const emergency = sites.filter((id) => s.modeOf(id) === 'emergency').length;
    const short = [...s.readiness.values()].filter((r) => !r.ready).length;
    const squads = [...s.squads.values()];
    const incidents = [...s.incidents.values()].filter((i) => i.status === 'open' && !i.exercise).length;
    const alerts = [...s.alerts.values()];
    const critical = alerts.filter((a) => a.severity === 'critical').length;
    const set = (which: Indicator, text: string, value: number, hot = value > 0) => {
      const b = this.el.querySelector<HTMLButtonElement>(`[data-indicator=${which}]`)!;
      b.textContent = text;
      b.dataset.value = String(value);
      b.classList.toggle('hot', hot);
    };
    set('emergency', ot().indEmergency(emergency, sites.length), emergency);
    set('short', ot().indShort(short), short);
    set('available', ot().indAvailable(squads.filter((q) => q.status === 'available').length), 0, false);
    set('committed', ot().indCommitted(squads.filter((q) => COMMITTED.includes(q.status)).length), 0, false);
    set('incidents', ot().indIncidents(incidents), incidents);
    set('alerts', ot().indAlerts(alerts.length, critical), alerts.length);
    this.el.querySelector<HTMLElement>('[data-indicator=alerts]')!.classList.toggle('critical', critical > 0);
    const mute = this.el.querySelector<HTMLButtonElement>('[data-action=mute]')!;
    mute.textContent = this.sound.muted ? ot().soundOff : ot().soundOn;
    mute.setAttribute('aria-pressed', String(!this.sound.muted));
  }
}
