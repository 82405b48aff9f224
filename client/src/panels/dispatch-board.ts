import L from '../leaflet.js';
import { t, timeAgo } from '../strings.js';
import { html, render } from '../html.js';
import { lastChange, type OpsStore } from './ops-store.js';
import { ot } from './operations-strings.js';
import { type DispatchView, isActiveDispatch } from '../../../src/contracts/dispatch.js';

type Filter = 'active' | 'ended' | 'all';
const FILTER_KEY = 'pingji.dispatchBoard.filter';
/** A phone may drop its socket for a moment (a tunnel, a lift); gone longer than this, the board says so. */
const PHONE_GRACE_MS = 60_000;

/**
 * Who has confirmed and who has not, without calling anyone: the dispatches of the last 12 hours grouped
 * by incident — pending first with a live countdown and "not acknowledged" impossible to miss, then those
 * under way, then the ended ones (expired, declined, cancelled, completed) — filterable. It reads the
 * operations store, which applies each dispatch event's payload: no request per event.
 */
export class DispatchBoard extends L.Control {
  private list?: HTMLElement;
  private ticker?: number;
  private filter: Filter = (['active', 'ended', 'all'] as const).find((f) => f === localStorage.getItem(FILTER_KEY)) ?? 'all';

  constructor(private readonly store: OpsStore) {
    super({ position: 'bottomright' });
    store.subscribe((c) => {
      if (c.has('dispatches') || c.has('incidents')) this.render();
    });
  }

  override onAdd(): HTMLElement {
    const box = L.DomUtil.create('section', 'panel dispatch-board');
    box.dataset.testid = 'dispatch-board';
    const option = (f: Filter) => html`<option value="${f}" ${f === this.filter ? 'selected' : ''}>${ot().dispatchFilters[f]}</option>`;
    render(box, html`<div class="board-head"><h2>${t().dispatchBoard}</h2>
      <label>${ot().dispatchFilter} <select data-testid="dispatch-filter">${(['active', 'ended', 'all'] as const).map(option)}</select></label></div>
      <div class="groups"></div><p class="empty muted" data-testid="board-empty">${ot().boardEmpty}</p>`);
    this.list = box.querySelector<HTMLElement>('.groups')!;
    box.querySelector('select')!.addEventListener('change', (e) => {
      this.filter = (e.target as HTMLSelectElement).value as Filter;
      localStorage.setItem(FILTER_KEY, this.filter);
      this.render();
    });
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
    this.ticker = window.setInterval(() => this.tick(), 1000);
    this.render();
    return box;
  }

  override onRemove(): void {
    window.clearInterval(this.ticker);
    this.list = undefined;
  }

  /** Grouped by incident: groups with a pending dispatch first, then those with one under way, then the most recent. */
  private get groups(): { incident: DispatchView['incident']; exercise: boolean; rows: DispatchView[] }[] {
    const rank = (d: DispatchView) => (d.status === 'pending' ? 0 : isActiveDispatch(d.status) ? 1 : 2);
    const by = new Map<string, DispatchView[]>();
    for (const d of this.store.dispatches.values()) {
      const active = isActiveDispatch(d.status);
      if ((this.filter === 'active' && !active) || (this.filter === 'ended' && active)) continue;
      by.set(d.incidentId, [...(by.get(d.incidentId) ?? []), d]);
    }
    return [...by.values()]
      .map((rows) => rows.sort((a, b) => rank(a) - rank(b) || lastChange(b).localeCompare(lastChange(a))))
      .sort((a, b) => rank(a[0]) - rank(b[0]) || lastChange(b[0]).localeCompare(lastChange(a[0])))
      .map((rows) => ({ incident: rows[0].incident, exercise: rows[0].exercise, rows }));
  }

  private render(): void {
    if (!this.list) return;
    this.store.prune();
    const groups = this.groups;
    this.list.parentElement!.querySelector<HTMLElement>('[data-testid=board-empty]')!.hidden = groups.length > 0;
    render(this.list, html`${groups.map((g) => {
      const closed = this.store.incidents.get(g.incident.id)?.status;
      return html`<section class="board-group${g.exercise ? ' exercise' : ''}" data-testid="dispatch-group" data-incident-id="${g.incident.id}">
        <h3>${g.exercise ? html`<span class="drill-badge">${t().drill}</span> ` : ''}${g.incident.title}${closed && closed !== 'open'
          ? html` <small class="muted">(${closed === 'resolved' ? ot().statusResolved : ot().statusCancelled})</small>` : ''}</h3>
        <ol>${g.rows.map((d) => {
          const active = isActiveDispatch(d.status);
          return html`<li data-testid="dispatch-row" data-dispatch-id="${d.id}" data-status="${d.status}"
            class="status-${d.status}${active ? '' : ' ended'}${d.exercise ? ' exercise' : ''}">
            <b>${d.squadCode}</b> <span class="what">${d.squadName}</span>
            <span class="state">${d.status === 'pending' ? t().notAcknowledged : t().dispatchStatus[d.status]}</span>
            ${d.status === 'pending' ? html`<time data-deadline="${d.ackDeadline}"></time>`
              : active ? '' : html`<time class="ago">${timeAgo(lastChange(d))}</time>`}
            ${active ? this.phoneOffline(d.squadId) : ''}
            ${d.status === 'declined' && d.declineReason ? html`<small class="reason">${ot().declineReason(d.declineReason)}</small>` : ''}</li>`;
        })}</ol></section>`;
    })}`);
    this.tick();
  }

  /** A leader's phone whose socket has been gone for more than a minute: "accepted but offline", not "ignored". */
  private phoneOffline(squadId: string) {
    const phone = this.store.squads.get(squadId)?.leaderPhone;
    if (!phone || phone.online) return '';
    const since = phone.since ? new Date(phone.since).getTime() : 0;
    return html`<small class="phone-offline" data-testid="phone-offline" data-since="${since}" ${Date.now() - since > PHONE_GRACE_MS ? '' : 'hidden'}>${ot().phoneOffline}</small>`;
  }

  private tick(): void {
    this.list?.querySelectorAll<HTMLElement>('[data-testid=phone-offline]').forEach((el) => {
      el.hidden = Date.now() - Number(el.dataset.since) <= PHONE_GRACE_MS;
    });
    this.list?.querySelectorAll<HTMLElement>('li[data-status=pending] time').forEach((el) => {
      const left = Math.ceil((new Date(el.dataset.deadline!).getTime() - Date.now()) / 1000);
      el.textContent = t().secondsLeft(Math.max(0, left));
    });
  }
}
