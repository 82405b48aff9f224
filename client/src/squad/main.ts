import '../styles.css';
import './phone.css';
import { api, session } from '../api.js';
import { currentLang, languageSwitch } from '../i18n.js';
import { bootstrap, logout } from '../login.js';
import { Realtime } from '../realtime.js';
import { ActionQueue, type RefusedAction } from './action-queue.js';
import { DispatchCard, mostUrgent, type PhoneConfig } from './dispatch-card.js';
import type { ClientConfig } from '../../../src/contracts/client-config.js';
import type { DispatchView } from '../../../src/contracts/dispatch.js';
import { alertArrival } from './notify.js';
import { PositionSharing } from './position-sharing.js';
import { t } from './strings.js';
import { html, render } from '../html.js';
import type { SessionUser } from '../../../src/contracts/auth.js';
import type { SquadStatus, SquadView } from '../../../src/contracts/squads.js';
import type { ActivationView } from '../../../src/contracts/plans.js';
import { expectedSquadStatus, renderSquadState, statusPath } from './squad-state.js';

const root = document.getElementById('app')!;
const CONFIG_KEY = 'pingji.squad.config';
const STANDBY_KEY = 'pingji.squad.standby';
const ROMAN: Record<number, string> = { 4: 'Ⅳ', 3: 'Ⅲ', 2: 'Ⅱ', 1: 'Ⅰ' };

/** The real activations that put this squad on standby, as last read (the phone may open offline). */
type Standby = { id: string; planName: string; planNameEn: string; level: number };
function savedStandby(): Standby[] {
  try {
    return (JSON.parse(localStorage.getItem(STANDBY_KEY) ?? '[]') as Standby[]) ?? [];
  } catch {
    return [];
  }
}

/** The command center's number and the map link, as last read: the phone may open offline. */
function phoneConfig(): PhoneConfig {
  try {
    const saved = JSON.parse(localStorage.getItem(CONFIG_KEY) ?? 'null') as PhoneConfig | null;
    if (saved) return saved;
  } catch {
    /* a broken entry: start without */
  }
  return { commandCenterPhone: null, mapLinkUrl: '' };
}

async function start(user: SessionUser): Promise<void> {
  render(root, html`
    <header class="phone-header"><b>${t().title}</b><span data-testid="connection"></span>
      <button data-action="logout">${t().logout}</button></header>
    <div class="banner" data-testid="banner" hidden></div>
    <section class="standby-banner" data-testid="standby" role="status" hidden></section>
    <main class="phone-main"></main>
    <div class="squad-state-slot"></div>
    <p class="queue" data-testid="queue" hidden></p>
    <section class="refused" data-testid="refused" role="alert" hidden></section>
    <footer class="phone-footer"></footer>`);
  root.querySelector('[data-action=logout]')!.addEventListener('click', logout);
  root.querySelector('header')!.insertBefore(languageSwitch(), root.querySelector('[data-action=logout]'));

  const queueNote = root.querySelector<HTMLElement>('[data-testid=queue]')!;
  const refusedList = root.querySelector<HTMLElement>('[data-testid=refused]')!;
  // Refused actions stay on screen, in words, until the leader dismisses each one.
  const showRefused = (refused: RefusedAction[]) => {
    refusedList.hidden = !refused.length;
    render(refusedList, html`<h2>${t().refusedTitle}</h2>${refused.map((r) => html`
      <div class="refused-action" data-testid="refused-action" data-code="${r.code}">
        <p><b>${r.label}</b><br />${t().refusal[r.code] ?? t().refusedOther(r.message)}</p>
        <button data-action="dismiss-refusal" data-key="${r.key}">${t().dismiss}</button>
      </div>`)}`);
  };
  refusedList.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLElement>('[data-action=dismiss-refusal]');
    if (button) queue.dismiss(button.dataset.key!);
  });
  let dispatches: DispatchView[] = [];
  let squadStatus: SquadStatus | undefined;
  const main = root.querySelector<HTMLElement>('main')!;
  const slot = root.querySelector<HTMLElement>('.squad-state-slot')!;
  const banner = root.querySelector<HTMLElement>('[data-testid=banner]')!;
  const standbyEl = root.querySelector<HTMLElement>('[data-testid=standby]')!;
  // 待命: the squad is on standby in an active real activation, said in words with the plan and its level.
  let standby = savedStandby();
  const showStandby = () => {
    localStorage.setItem(STANDBY_KEY, JSON.stringify(standby));
    standbyEl.hidden = !standby.length;
    render(standbyEl, html`${standby.map((a) => html`<p data-testid="standby-plan" data-id="${a.id}" data-level="${a.level}">
      <b>${t().standbyTitle}</b> — ${currentLang() === 'en' ? a.planNameEn || a.planName : a.planName} ${t().level(ROMAN[a.level] ?? '')}</p>`)}
      ${standby.length ? html`<p class="standby-note">${t().standbyNote}</p>` : ''}`);
  };
  const refreshStandby = async () => {
    try {
      const active = await api<ActivationView[]>('GET', '/api/activations?active=true');
      standby = active
        .filter((a) => !a.exercise && a.status === 'active' && a.standbySquads.includes(user.squadId!))
        .map((a) => ({ id: a.id, planName: a.planName, planNameEn: a.planNameEn, level: a.level }));
    } catch {
      /* offline: keep what we have */
    }
    showStandby();
  };
  // Acting on the dispatch answers the banner: it goes at once.
  const act = (action: Parameters<typeof queue.add>[0]) => {
    banner.hidden = true;
    void queue.add(action);
  };
  // The dispatch while one drives the squad; otherwise the squad's own status and its way out.
  const showCard = () => {
    let urgent = mostUrgent(dispatches);
    let status = squadStatus;
    // "Done" tapped offline: the squad will be returning, and may report back before the phone is online.
    if (urgent && queue.pending.some((a) => a.path.includes(urgent!.id) && (a.body as { status?: string }).status === 'completed')) {
      urgent = undefined;
      status = 'returning';
    }
    status = expectedSquadStatus(user.squadId!, status, queue.pending);
    const queuedStatus = queue.pending.some((a) => a.path === statusPath(user.squadId!));
    if (!urgent && (status === 'returning' || status === 'unavailable')) {
      renderSquadState(main, user.squadId!, status, queuedStatus, act);
      slot.replaceChildren();
      return;
    }
    card.show(urgent, queue.pending);
    if (!urgent && status) renderSquadState(slot, user.squadId!, status, queuedStatus, act);
    else slot.replaceChildren();
  };
  const refresh = async () => {
    try {
      const [list, squad] = await Promise.all([
        api<DispatchView[]>('GET', '/api/dispatches?limit=20'),
        api<SquadView>('GET', `/api/squads/${user.squadId}`),
      ]);
      dispatches = list;
      squadStatus = squad.status;
    } catch {
      /* offline: keep what we have */
    }
    showCard();
    await refreshStandby();
  };
  const queue = new ActionQueue(user.id, (pending, refused) => {
    queueNote.hidden = !pending.length;
    queueNote.textContent = t().queued(pending.length);
    showRefused(refused);
    // Show what the queued actions will do at once; read the truth back once they are through.
    if (pending.length) showCard();
    else void refresh();
  });
  let config = phoneConfig();
  const card = new DispatchCard(main, act, () => config);
  void api<ClientConfig>('GET', '/api/client-config').then((c) => {
    config = { commandCenterPhone: c.commandCenterPhone ?? null, mapLinkUrl: c.mapLinkUrl ?? '' };
    localStorage.setItem(CONFIG_KEY, JSON.stringify(config));
    showCard();
  }, () => undefined);

  const realtime = new Realtime(session.token!, user.username);
  const connection = root.querySelector<HTMLElement>('[data-testid=connection]')!;
  realtime.onState((state) => {
    connection.dataset.state = state;
    connection.textContent = t().connection[state];
    if (state === 'connected') void queue.flush().then(refresh);
  });
  realtime.onEvent((e) => {
    // The events say at once whether this squad stands by; the list is read back for the rest.
    if (e.type === 'plan.activated' || e.type === 'plan.level_changed') {
      if (e.exercise) return;
      const p = e.payload;
      const others = standby.filter((a) => a.id !== p.activationId);
      standby = p.standbySquadIds.includes(user.squadId!)
        ? [...others, { id: p.activationId, planName: p.planName, planNameEn: p.planNameEn, level: e.type === 'plan.activated' ? e.payload.level : e.payload.to }]
        : others;
      showStandby();
      return void refreshStandby();
    }
    if (e.type === 'plan.stood_down') {
      standby = standby.filter((a) => a.id !== e.payload.activationId);
      showStandby();
      return void refreshStandby();
    }
    if (e.type === 'squad.status_changed' && e.squadId === user.squadId) {
      squadStatus = e.payload.to;
      return showCard();
    }
    if (!e.type.startsWith('dispatch.') || e.squadId !== user.squadId) return;
    if (e.type === 'dispatch.created') alertArrival(banner, e.exercise);
    // The event carries the dispatch as it now is: a phone on a poor connection asks for nothing more.
    const changed = 'dispatch' in e.payload ? e.payload.dispatch : undefined;
    if (!changed) return void refresh();
    dispatches = [changed, ...dispatches.filter((d) => d.id !== changed.id)];
    showCard();
  });
  new PositionSharing(root.querySelector('footer')!, realtime);
  // What this user left queued or refused before a reload (or offline reopening) shows at once.
  queueNote.hidden = !queue.pending.length;
  queueNote.textContent = t().queued(queue.pending.length);
  showRefused(queue.refused);
  showStandby();
  await refresh();
  window.setInterval(() => card.tick(), 1000);
}

// The app shell is kept by a service worker, so /squad/ opens (with its queued actions) without network.
if ('serviceWorker' in navigator && !import.meta.env.DEV) {
  navigator.serviceWorker.register('/squad/sw.js', { scope: '/squad/' }).catch(() => undefined);
}

void bootstrap({
  offline: true,
  title: t().loginTitle,
  allow: (user) => user.role === 'squad_leader' && !!user.squadId,
  refused: html`<p class="phone-message">${t().notLeader}</p>`,
  onUser: start,
});
