import { api } from '../api.js';
import { html, render } from '../html.js';
import type { EventView } from '../realtime.js';
import { ot } from './operations-strings.js';
import { areaLabel, clock } from './ops-words.js';
import type { CapacityView, RollCallView } from '../../../src/contracts/field.js';

/**
 * 叫应 and capacity: the open rounds (answered/total, who has not answered and where, escalated or not)
 * and the capacity of the open shelters per area, sorted by free places. Read when the tab opens and
 * again when a round or a site report changes.
 */
export class RollCallPanel {
  readonly el = document.createElement('section');
  private visible = false;
  private rounds: RollCallView[] = [];
  private capacity: CapacityView | undefined;
  /** The round to bring into view at the next render (an alert's "see who has not answered"). */
  private shown: string | undefined;

  constructor() {
    this.el.className = 'ops-section roll-call-panel';
    this.el.dataset.testid = 'roll-call-panel';
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) void this.load();
  }

  /** Brings round `id` into view and focus once the tab has read it. */
  show(id: string): void {
    this.shown = id;
  }

  onEvent(e: EventView): void {
    if (this.visible && (e.type.startsWith('roll_call.') || e.type === 'site.reported')) void this.load();
  }

  private async load(): Promise<void> {
    try {
      [this.rounds, this.capacity] = await Promise.all([api<RollCallView[]>('GET', '/api/roll-calls?open=true'), api<CapacityView>('GET', '/api/capacity')]);
    } catch {
      /* keep what is shown; the next event or opening reads again */
    }
    this.render();
  }

  private render(): void {
    const areas = [...(this.capacity?.areas ?? [])].filter((a) => a.openSites > 0).sort((a, b) => b.free - a.free);
    render(this.el, html`
      <h3>${ot().rollCallsTitle}</h3>
      ${this.rounds.length ? '' : html`<p>${ot().noRollCalls}</p>`}
      ${this.rounds.map((r) => {
        const missing = r.entries.filter((e) => !e.answeredAt);
        return html`<article class="roll-call-round" data-testid="roll-call-round" data-id="${r.id}" tabindex="-1">
          <p>${r.exercise ? html`<b class="drill-tag">${ot().drillTag}</b> ` : ''}<b>${r.message}</b></p>
          <p data-testid="roll-call-count">${ot().answeredOf(r.answered, r.total)} · ${ot().deadlineAt(clock(r.deadline))}</p>
          ${missing.length ? html`<ul class="roll-call-missing">${missing.map((e) => html`<li data-testid="unanswered">
            ${e.escalatedAt ? html`<span aria-label="${ot().escalated}" title="${ot().escalated}">⚠</span> ` : ''}${e.username}
            ${e.squadCode ? ` · ${e.squadCode}` : e.sites.length ? ` · ${e.sites[0].name}` : ''}</li>`)}</ul>` : ''}
        </article>`;
      })}
      <h3>${ot().capacityTitle}</h3>
      <table class="capacity-table" data-testid="capacity-table">
        <thead><tr><th scope="col">${ot().capArea}</th><th scope="col">${ot().capSites}</th><th scope="col">${ot().capCapacity}</th>
          <th scope="col">${ot().capOccupancy}</th><th scope="col">${ot().capFree}</th></tr></thead>
        <tbody>${areas.map((a) => html`<tr><th scope="row">${areaLabel(a.code)}</th><td>${a.openSites}</td><td>${a.capacity}</td><td>${a.occupancy}</td><td>${a.free}</td></tr>`)}
          ${this.capacity ? html`<tr class="city"><th scope="row">${ot().capCity}</th><td>${this.capacity.city.openSites}</td><td>${this.capacity.city.capacity}</td>
            <td>${this.capacity.city.occupancy}</td><td>${this.capacity.city.free}</td></tr>` : ''}</tbody>
      </table>`);
    this.focusShown();
  }

  private focusShown(): void {
    if (!this.shown) return;
    const round = this.el.querySelector<HTMLElement>(`[data-testid=roll-call-round][data-id="${CSS.escape(this.shown)}"]`);
    this.shown = undefined;
    if (!round) return;
    round.classList.add('shown');
    round.focus();
    round.scrollIntoView({ block: 'nearest' });
  }
}
