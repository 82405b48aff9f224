import '../styles.css';
import './phone.css';
import { api, session } from '../api.js';
import { bootstrap, logout } from '../login.js';
import { Realtime } from '../realtime.js';
import { ActionQueue } from './action-queue.js';
import { DispatchCard, mostUrgent } from './dispatch-card.js';
import type { DispatchView } from '../../../src/contracts/dispatch.js';
import { alertArrival } from './notify.js';
import { PositionSharing } from './position-sharing.js';
import { t } from './strings.js';
import { html, render } from '../html.js';
import type { SessionUser } from '../../../src/contracts/auth.js';

const root = document.getElementById('app')!;

async function start(user: SessionUser): Promise<void> {
  render(root, html`
    <header class="phone-header"><b>${t().title}</b><span data-testid="connection"></span>
      <button data-action="logout">${t().logout}</button></header>
    <div class="banner" data-testid="banner" hidden></div>
    <main class="phone-main"></main>
    <p class="queue" data-testid="queue" hidden></p>
    <footer class="phone-footer"></footer>`);
  root.querySelector('[data-action=logout]')!.addEventListener('click', logout);

  const queueNote = root.querySelector<HTMLElement>('[data-testid=queue]')!;
  let dispatches: DispatchView[] = [];
  const showCard = () => card.show(mostUrgent(dispatches), queue.pending);
  const refresh = async () => {
    try {
      dispatches = await api<DispatchView[]>('GET', '/api/dispatches?limit=20');
    } catch {
      /* offline: keep what we have */
    }
    showCard();
  };
  const queue = new ActionQueue((pending, error) => {
    queueNote.hidden = !pending.length && !error;
    queueNote.textContent = error ?? t().queued(pending.length);
    // Show what the queued actions will do at once; read the truth back once they are through.
    if (pending.length) showCard();
    else void refresh();
  });
  const card = new DispatchCard(root.querySelector('main')!, (action) => void queue.add(action));

  const realtime = new Realtime(session.token!, user.username);
  const connection = root.querySelector<HTMLElement>('[data-testid=connection]')!;
  realtime.onState((state) => {
    connection.dataset.state = state;
    connection.textContent = t().connection[state];
    if (state === 'connected') void queue.flush().then(refresh);
  });
  realtime.onEvent((e) => {
    if (!e.type.startsWith('dispatch.') || e.squadId !== user.squadId) return;
    if (e.type === 'dispatch.created') alertArrival(root.querySelector('[data-testid=banner]')!, e.exercise);
    // The event carries the dispatch as it now is: a phone on a poor connection asks for nothing more.
    const changed = 'dispatch' in e.payload ? e.payload.dispatch : undefined;
    if (!changed) return void refresh();
    dispatches = [changed, ...dispatches.filter((d) => d.id !== changed.id)];
    showCard();
  });
  new PositionSharing(root.querySelector('footer')!, realtime);
  await refresh();
  window.setInterval(() => card.tick(), 1000);
}

void bootstrap({
  title: t().loginTitle,
  allow: (user) => user.role === 'squad_leader' && !!user.squadId,
  refused: html`<p class="phone-message">${t().notLeader}</p>`,
  onUser: start,
});
