import type { QueuedAction } from './action-queue.js';
import { t } from './strings.js';
import { t as ct } from '../strings.js';
import { currentLang } from '../i18n.js';
import { html, render } from '../html.js';
import type { DispatchStatus, DispatchView, Landmark } from '../../../src/contracts/dispatch.js';

const ACTIVE = ['pending', 'accepted', 'en_route', 'on_scene'];
const NEXT: Record<string, { status: 'en_route' | 'on_scene' | 'completed'; label: () => string } | undefined> = {
  accepted: { status: 'en_route', label: () => t().enRoute },
  en_route: { status: 'on_scene', label: () => t().onScene },
  on_scene: { status: 'completed', label: () => t().complete },
};
/** How long "done" can be taken back before it is sent. */
export const UNDO_MS = 30_000;

/** What the phone needs from the client config: the command center's number and the map to open. */
export interface PhoneConfig {
  commandCenterPhone: string | null;
  mapLinkUrl: string;
}
const FALLBACK_MAP = 'https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=17/{lat}/{lng}';

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

const landmarkWords = (l: Landmark) => {
  const name = currentLang() === 'en' ? (l.nameEn ?? l.name) : l.name;
  return l.kind === 'site' ? t().nearSite(name, l.distanceM) : t().inArea(name, l.distanceM);
};

/** An https map link (opens on Android and iOS alike, unlike geo:). */
export const mapLink = (template: string, lat: number, lng: number) =>
  template.replaceAll('{lat}', lat.toFixed(6)).replaceAll('{lng}', lng.toFixed(6));

type Step = 'none' | 'declining' | 'confirm-complete';

/**
 * The current dispatch in large type: what, how bad, which skills, where (a landmark and a map link),
 * the commander's note, a call button, and the one or two buttons that make sense now. Declining asks
 * why (cancel leaves it pending); "done" asks to confirm and then waits UNDO_MS before it is sent.
 */
export class DispatchCard {
  private current?: DispatchView;
  private status?: DispatchStatus;
  private queued: QueuedAction[] = [];
  private step: Step = 'none';
  private undo?: { dispatchId: string; sendAt: number; timer: number; label: string };

  constructor(
    private readonly el: HTMLElement,
    private readonly act: (action: Omit<QueuedAction, 'key' | 'method'>) => void,
    private readonly config: () => PhoneConfig,
  ) {}

  show(d: DispatchView | undefined, queued: QueuedAction[]): void {
    if (d?.id !== this.current?.id) this.step = 'none';
    this.current = d;
    this.queued = queued;
    if (!d) {
      render(this.el, html`<section class="card idle" data-testid="dispatch-card" data-status="none"><h1>${t().noDispatch}</h1><p>${t().standBy}</p>
        ${this.callButton()}</section>`);
      this.wire();
      return;
    }
    const status = expectedStatus(d, queued);
    this.status = status;
    // A re-render (an event arrived) keeps what the leader was typing.
    const typed = this.el.querySelector<HTMLTextAreaElement>('[data-testid=decline-reason]')?.value;
    const next = NEXT[status];
    const undoing = this.undo?.dispatchId === d.id;
    const i = d.incident;
    const drill = d.exercise ? html`<div class="drill" data-testid="drill-marker">${t().drill}<br><small>${t().drillNote}</small></div>` : '';
    const skills = i.requiredSkills ?? [];
    const buttons = undoing
      ? html`<div class="undo" data-testid="undo-complete" role="status"><p>${t().completeIn(this.secondsToSend())}</p>
          <button class="big decline" data-action="undo-complete">${t().undo}</button>
          <button data-action="send-now">${t().sendNow}</button></div>`
      : this.step === 'declining'
        ? html`<form class="decline-form" data-testid="decline-form"><label>${t().declineReason}
            <textarea name="reason" rows="2" maxlength="500" data-testid="decline-reason"></textarea></label>
            <button type="submit" class="big decline" data-action="confirm-decline">${t().confirmDecline}</button>
            <button type="button" data-action="cancel-step">${t().cancel}</button></form>`
        : this.step === 'confirm-complete'
          ? html`<div class="confirm" data-testid="confirm-complete"><p>${t().confirmCompleteQuestion}</p>
              <button class="big accept" data-action="confirm-complete">${t().confirmComplete}</button>
              <button data-action="cancel-step">${t().cancel}</button></div>`
          : html`${status === 'pending' ? html`<button class="big accept" data-action="accept">${t().accept}</button><button class="big decline" data-action="decline">${t().decline}</button>` : ''}
              ${status === 'on_scene' ? html`<button class="big check-in" data-action="check-in">${t().checkIn}</button>` : ''}
              ${next ? html`<button class="big" data-action="progress">${next.label()}</button>` : ''}`;
    render(this.el, html`
      <section class="card${d.exercise ? ' exercise' : ''}" data-testid="dispatch-card" data-dispatch-id="${d.id}" data-status="${status}">
        ${drill}
        <p class="status">${t().status[status] ?? ''}${queued.length ? ' ⏳' : ''}</p>
        <h1>${i.title}</h1>
        <p class="facts" data-testid="incident-facts"><span class="kind">${ct().incidentKinds[i.kind] ?? ''}</span>
          <span class="severity severity-${i.severity}">${t().severity}: ${ct().severities[i.severity] ?? ''}</span></p>
        ${skills.length ? html`<p class="skills" data-testid="required-skills">${t().skillsNeeded}: ${skills.map((k) => ct().skills[k] ?? k).join(t().listSep)}</p>` : ''}
        ${i.landmark ? html`<p class="landmark" data-testid="landmark"><b>${t().where}:</b> ${landmarkWords(i.landmark)}</p>` : ''}
        ${d.note ? html`<p class="note" data-testid="commander-note"><b>${t().commanderNote}:</b> ${d.note}</p>` : ''}
        <p class="countdown" data-testid="countdown"></p>
        <div class="actions">${buttons}</div>
        <div class="links">
          <a class="map-link" data-testid="map-link" target="_blank" rel="noopener" href="${mapLink(this.config().mapLinkUrl || FALLBACK_MAP, i.lat, i.lng)}">${t().openMap}</a>
          ${this.callButton()}
        </div>
      </section>`);
    const reason = this.el.querySelector<HTMLTextAreaElement>('[data-testid=decline-reason]');
    if (reason && typed) reason.value = typed;
    this.wire();
    this.tick();
  }

  private callButton() {
    const phone = this.config().commandCenterPhone;
    return phone ? html`<a class="call" data-testid="call-command-center" href="tel:${phone.replace(/[^+0-9]/g, '')}">${t().callCommandCenter} ${phone}</a>` : '';
  }

  private wire(): void {
    const d = this.current;
    const on = (action: string, fn: (e: Event) => void) => this.el.querySelector(`[data-action=${action}]`)?.addEventListener('click', fn);
    on('cancel-step', () => this.setStep('none'));
    if (!d) return;
    const path = (verb: string) => `/api/dispatches/${d.id}/${verb}`;
    const next = this.status ? NEXT[this.status] : undefined;
    on('accept', () => this.act({ path: path('ack'), body: { accept: true }, label: t().accept }));
    on('decline', () => this.setStep('declining'));
    on('check-in', () => this.act({ path: path('check-in'), body: {}, label: t().checkIn }));
    this.el.querySelector<HTMLFormElement>('[data-testid=decline-form]')?.addEventListener('submit', (e) => {
      e.preventDefault();
      const reason = String(new FormData(e.target as HTMLFormElement).get('reason') ?? '').trim();
      this.step = 'none';
      this.act({ path: path('ack'), body: reason ? { accept: false, reason } : { accept: false }, label: t().decline });
    });
    this.el.querySelector<HTMLTextAreaElement>('[data-testid=decline-reason]')?.focus();
    on('progress', () => {
      if (!next) return;
      if (next.status === 'completed') return this.setStep('confirm-complete');
      this.act({ path: path('progress'), body: { status: next.status }, label: next.label() });
    });
    on('confirm-complete', () => this.startUndoWindow(d.id, path('progress')));
    on('undo-complete', () => this.cancelUndo());
    on('send-now', () => this.sendCompletion());
  }

  private setStep(step: Step): void {
    this.step = step;
    this.show(this.current, this.queued);
  }

  /** "Done" confirmed: sent after UNDO_MS unless taken back (or at once with "send now"). */
  private startUndoWindow(dispatchId: string, path: string): void {
    this.step = 'none';
    const timer = window.setTimeout(() => this.sendCompletion(), UNDO_MS);
    this.undo = { dispatchId, sendAt: Date.now() + UNDO_MS, timer, label: path };
    this.show(this.current, this.queued);
  }

  private cancelUndo(): void {
    if (this.undo) window.clearTimeout(this.undo.timer);
    this.undo = undefined;
    this.show(this.current, this.queued);
  }

  private sendCompletion(): void {
    const undo = this.undo;
    if (!undo) return;
    window.clearTimeout(undo.timer);
    this.undo = undefined;
    this.act({ path: undo.label, body: { status: 'completed' }, label: t().complete });
  }

  private secondsToSend(): number {
    return this.undo ? Math.max(0, Math.ceil((this.undo.sendAt - Date.now()) / 1000)) : 0;
  }

  /** The acknowledgement countdown (and the undo window's), once a second. */
  tick(): void {
    const undoText = this.el.querySelector('[data-testid=undo-complete] p');
    if (undoText) undoText.textContent = t().completeIn(this.secondsToSend());
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
