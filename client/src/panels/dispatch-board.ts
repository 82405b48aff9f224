import { api } from '../api.js';
import L from '../leaflet.js';
import { t } from '../strings.js';
import type { EventView } from '../realtime.js';
import { html, render } from '../html.js';

interface DispatchRow {
  id: string;
  squadCode: string;
  status: string;
  ackDeadline: string;
  exercise: boolean;
  incident: { title: string };
}

const ACTIVE = new Set(['pending', 'accepted', 'en_route', 'on_scene']);

/**
 * Who has confirmed and who has not, without calling anyone: every dispatch under way, pending ones
 * first with a live countdown and "not acknowledged" impossible to miss.
 */
export class DispatchBoard extends L.Control {
  private list?: HTMLElement;
  private rows: DispatchRow[] = [];
  private ticker?: number;
  private reload?: number;

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

  onEvent(e: EventView): void {
    if (!e.type.startsWith('dispatch.')) return;
    // Several events arrive together (a dispatch to many squads): one reload for all of them.
    window.clearTimeout(this.reload);
    this.reload = window.setTimeout(() => void this.load(), 50);
  }

  private async load(): Promise<void> {
    const recent = await api<DispatchRow[]>('GET', '/api/dispatches?limit=100');
    this.rows = recent.filter((d) => ACTIVE.has(d.status)).sort((a, b) => Number(b.status === 'pending') - Number(a.status === 'pending'));
    this.render();
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
