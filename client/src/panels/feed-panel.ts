import { api } from '../api.js';
import L from '../leaflet.js';
import { t, timeAgo } from '../strings.js';
import type { EventView } from '../realtime.js';
import { describeEvent } from './describe.js';
import { html, render } from '../html.js';
import { loadItemNames } from '../layers/names.js';

const MAX_ITEMS = 200;
/** The feed's events across a language switch's reload (this tab only). */
const KEPT_KEY = 'pingji.keptFeed';
/** Per-site and per-position events show on the map; the feed tells the summary (switchover.completed). */
const SHOWN_ON_MAP_ONLY = new Set(['facility.mode_changed', 'squad.position', 'squad.phone']);

/**
 * The live feed: newest first, coloured by severity, drills marked 演练/DRILL, with time ago. It starts
 * with the recent events from the server (so a reload, a login or a language switch loses nothing) and
 * shows each event once, however it arrives.
 */
export class FeedPanel extends L.Control {
  private list?: HTMLOListElement;
  private ticker?: number;
  private readonly seen = new Set<string>();
  private readonly events = new Map<string, EventView>();

  constructor() {
    super({ position: 'topright' });
  }

  override onAdd(): HTMLElement {
    const box = L.DomUtil.create('section', 'panel feed');
    box.dataset.testid = 'feed';
    render(box, html`<h2>${t().feedTitle}</h2><ol aria-live="polite"></ol><p class="empty">${t().feedEmpty}</p>`);
    this.list = box.querySelector('ol')!;
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    this.ticker = window.setInterval(() => this.refreshTimes(), 15_000);
    return box;
  }

  override onRemove(): void {
    window.clearInterval(this.ticker);
    this.list = undefined;
  }

  /**
   * The newest events this user may see, oldest first. Read them before the map's snapshots (so live
   * events resume from a point no snapshot is older than) and show them after (their lines name places
   * from the layers' data).
   */
  static async fetchRecent(limit = MAX_ITEMS): Promise<EventView[]> {
    const [events] = await Promise.all([api<EventView[]>('GET', `/api/events?latest=true&limit=${limit}`), loadItemNames().catch(() => undefined)]);
    return events;
  }

  /** Keeps the events shown for the page that loads next in this tab (a language switch): see takeKept. */
  keep(): void {
    try {
      sessionStorage.setItem(KEPT_KEY, JSON.stringify([...this.events.values()]));
    } catch {
      // storage full or refused: the feed starts from the server's recent events only
    }
  }

  /** The events a previous page of this tab kept (once), oldest first by id. */
  static takeKept(): EventView[] {
    const text = sessionStorage.getItem(KEPT_KEY);
    sessionStorage.removeItem(KEPT_KEY);
    try {
      const events = text ? (JSON.parse(text) as EventView[]) : [];
      return Array.isArray(events) ? events.filter((e) => typeof e?.id === 'string' && typeof e.type === 'string') : [];
    } catch {
      return [];
    }
  }

  add(e: EventView): void {
    if (!this.list || SHOWN_ON_MAP_ONLY.has(e.type) || this.seen.has(e.id)) return;
    this.seen.add(e.id);
    this.events.set(e.id, e);
    const li = document.createElement('li');
    li.className = `sev-${e.severity}${e.exercise ? ' exercise' : ''}`;
    li.dataset.testid = 'feed-item';
    li.dataset.eventId = e.id;
    li.dataset.type = e.type;
    li.dataset.at = e.at;
    const badge = e.exercise ? html`<span class="drill-badge">${t().drill}</span>` : '';
    render(li, html`${badge}<span class="sev">${t().severity[e.severity] ?? ''}</span><span class="what"></span><time></time>`);
    li.querySelector('.what')!.textContent = describeEvent(e);
    li.querySelector('time')!.textContent = timeAgo(e.at);
    // Newest first, by id: an event that arrives late (history, replay) still lands in its place.
    const id = BigInt(e.id);
    let before: Element | null = this.list.firstElementChild;
    while (before && BigInt((before as HTMLElement).dataset.eventId!) > id) before = before.nextElementSibling;
    this.list.insertBefore(li, before);
    while (this.list.children.length > MAX_ITEMS) {
      this.seen.delete((this.list.lastElementChild as HTMLElement).dataset.eventId!);
      this.events.delete((this.list.lastElementChild as HTMLElement).dataset.eventId!);
      this.list.lastElementChild!.remove();
    }
    this.list.parentElement!.classList.add('has-items');
  }

  private refreshTimes(): void {
    this.list?.querySelectorAll<HTMLLIElement>('li').forEach((li) => {
      li.querySelector('time')!.textContent = timeAgo(li.dataset.at!);
    });
  }
}
