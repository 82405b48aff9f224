import type { QueuedAction } from './action-queue.js';
import { t } from './strings.js';
import { html, render } from '../html.js';
import type { DispatchStatus, DispatchView } from '../../../src/contracts/dispatch.js';

const ACTIVE = ['pending', 'accepted', 'en_route', 'on_scene'];
const NEXT: Record<string, { status: 'en_route' | 'on_scene' | 'completed'; label: () => string } | undefined> = {
  accepted: { status: 'en_route', label: () => t().enRoute },
  en_route: { status: 'on_scene', label: () => t().onScene },
  on_scene: { status: 'completed', label: () => t().complete },
};

/** The dispatch to show: a real one always before a drill, then one still to acknowledge, then the newest. */
export function mostUrgent(list: DispatchView[]): DispatchView | undefined {
  return list
    .filter((d) => ACTIVE.includes(d.status))
    .sort((a, b) => Number(a.exercise) - Number(b.exercise) || Number(b.status === 'pending') - Number(a.status === 'pending'))[0];
}

/** What the queued actions will make of the dispatch, so the screen answers at once even offline. */
function expectedStatus(d: DispatchView, queued: QueuedAction[]): DispatchStatus {
  let status = d.status;
  for (const a of queued.filter((q) => q.path.includes(d.id))) {
    const body = a.body as { accept?: boolean; status?: DispatchStatus };
    status = body.accept === undefined ? (body.status ?? status) : body.accept ? 'accepted' : 'declined';
  }
  return status;
}

/** The current dispatch in large type, with the one or two buttons that make sense now. */
export class DispatchCard {
  private current?: DispatchView;
  private status?: DispatchStatus;

  constructor(
    private readonly el: HTMLElement,
    private readonly act: (action: Omit<QueuedAction, 'key' | 'method'>) => void,
  ) {}

  show(d: DispatchView | undefined, queued: QueuedAction[]): void {
    this.current = d;
    if (!d) {
      render(this.el, html`<section class="card idle" data-testid="dispatch-card" data-status="none"><h1>${t().noDispatch}</h1><p>${t().standBy}</p></section>`);
      return;
    }
    const status = expectedStatus(d, queued);
    this.status = status;
    const next = NEXT[status];
    const drill = d.exercise ? html`<div class="drill" data-testid="drill-marker">${t().drill}<br><small>${t().drillNote}</small></div>` : '';
    render(this.el, html`
      <section class="card${d.exercise ? ' exercise' : ''}" data-testid="dispatch-card" data-dispatch-id="${d.id}" data-status="${status}">
        ${drill}
        <p class="status">${t().status[status] ?? status}${queued.length ? ' ⏳' : ''}</p>
        <h1>${d.incident.title}</h1>
        ${d.note ? html`<p class="note">${d.note}</p>` : ''}
        <p class="countdown" data-testid="countdown"></p>
        <div class="actions">
          ${status === 'pending' ? html`<button class="big accept" data-action="accept">${t().accept}</button><button class="big decline" data-action="decline">${t().decline}</button>` : ''}
          ${status === 'on_scene' ? html`<button class="big check-in" data-action="check-in">${t().checkIn}</button>` : ''}
          ${next ? html`<button class="big" data-action="progress">${next.label()}</button>` : ''}
        </div>
        <a class="map-link" href="geo:${d.incident.lat},${d.incident.lng}">📍 ${d.incident.lat.toFixed(4)}, ${d.incident.lng.toFixed(4)}</a>
      </section>`);
    const path = (verb: string) => `/api/dispatches/${d.id}/${verb}`;
    this.el.querySelector('[data-action=accept]')?.addEventListener('click', () => this.act({ path: path('ack'), body: { accept: true }, label: t().accept }));
    this.el.querySelector('[data-action=decline]')?.addEventListener('click', () => {
      const reason = prompt(t().declineReason) ?? undefined;
      this.act({ path: path('ack'), body: { accept: false, reason }, label: t().decline });
    });
    this.el.querySelector('[data-action=check-in]')?.addEventListener('click', () => this.act({ path: path('check-in'), body: {}, label: t().checkIn }));
    this.el.querySelector('[data-action=progress]')?.addEventListener('click', () => this.act({ path: path('progress'), body: { status: next!.status }, label: next!.label() }));
    this.tick();
  }

  /** The acknowledgement countdown (pending) or the check-in countdown (on scene), once a second. */
  tick(): void {
    const el = this.el.querySelector('[data-testid=countdown]');
    if (!el || !this.current) return;
    if (this.status === 'on_scene' && this.current.checkInDueAt) {
      const due = Math.ceil((new Date(this.current.checkInDueAt).getTime() - Date.now()) / 1000);
      el.textContent = due > 0 ? t().checkInWithin(Math.floor(due / 60), due % 60) : t().checkInOverdue;
      return;
    }
    if (this.status !== 'pending') {
      el.textContent = '';
      return;
    }
    const left = Math.ceil((new Date(this.current.ackDeadline).getTime() - Date.now()) / 1000);
    el.textContent = left > 0 ? t().ackWithin(left) : t().overdue;
  }
}
