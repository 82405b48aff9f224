import { api } from '../api.js';
import L from '../leaflet.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import { html, render } from '../html.js';
import { type DispatchView, isActiveDispatch } from '../../../src/contracts/dispatch.js';

/**
 * Who has confirmed and who has not, without calling anyone: every dispatch under way, pending ones
 * first with a live countdown and "not acknowledged" impossible to miss.
 */
export class DispatchBoard extends L.Control {
  private list?: HTMLElement;
  private readonly byId = new Map<string, DispatchView>();
  private ticker?: number;

  constructor() {
    super({ position: 'bottomright' });
  }

  override onAdd(): HTMLElement {
    const box = L.DomUtil.create('section', 'panel dispatch-board');
    box.dataset.testid = 'dispatch-board';
    render(box, html`<h2>${t().dispatchBoard}</h2><ol></ol>`);
    this.list = box.querySelector('ol')!;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    this.ticker = window.setInterval(() => this.tick(), 1000);
    void this.load();
    return box;
  }

  override onRemove(): void {
    window.clearInterval(this.ticker);
    this.list = undefined;
  }

  /** Every dispatch event carries the dispatch as it now is: apply it, ask the server nothing. */
  onEvent(e: EventView): void {
    const dispatch = 'dispatch' in e.payload ? e.payload.dispatch : undefined;
    if (!dispatch) return;
    this.byId.set(dispatch.id, dispatch);
    this.render();
  }

  /** Once, when the board opens; afterwards the events keep it current. */
  private async load(): Promise<void> {
    for (const d of await api<DispatchView[]>('GET', '/api/dispatches?limit=100')) {
      if (!this.byId.has(d.id)) this.byId.set(d.id, d);
    }
    this.render();
  }

  /** Under way only, pending first, newest first. */
  private get rows(): DispatchView[] {
    return [...this.byId.values()]
      .filter((d) => isActiveDispatch(d.status))
      .sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending') || b.createdAt.localeCompare(a.createdAt));
  }

  private render(): void {
    if (!this.list) return;
    this.list.replaceChildren();
    for (const d of this.rows) {
      const li = document.createElement('li');
      li.dataset.testid = 'dispatch-row';
      li.dataset.dispatchId = d.id;
      li.dataset.status = d.status;
      li.className = `status-${d.status}${d.exercise ? ' exercise' : ''}`;
      render(li, html`${d.exercise ? html`<span class="drill-badge">${t().drill}</span> ` : ''}<b></b> <span class="what"></span>
        <span class="state">${d.status === 'pending' ? t().notAcknowledged : t().dispatchStatus[d.status]}</span><time data-deadline="${d.ackDeadline}"></time>`);
      li.querySelector('b')!.textContent = d.squadCode;
      li.querySelector('.what')!.textContent = d.incident.title;
      this.list.append(li);
    }
    this.tick();
  }

  private tick(): void {
    this.list?.querySelectorAll<HTMLElement>('li[data-status=pending] time').forEach((el) => {
      const left = Math.ceil((new Date(el.dataset.deadline!).getTime() - Date.now()) / 1000);
      el.textContent = t().secondsLeft(Math.max(0, left));
    });
  }
}
