import '../styles.css';
import './phone.css';
import { api, session, type SessionUser } from '../api.js';
import { showLogin } from '../login.js';
import { Realtime } from '../realtime.js';
import { ActionQueue } from './action-queue.js';
import { type Dispatch, DispatchCard, mostUrgent } from './dispatch-card.js';
import { alertArrival } from './notify.js';
import { PositionSharing } from './position-sharing.js';
import { s } from './strings.js';
import { html, render } from '../html.js';

const root = document.getElementById('app')!;

async function currentUser(): Promise<SessionUser | null> {
  if (!session.token) return null;
  return api<SessionUser>('GET', '/api/auth/me').catch(() => null);
}

async function start(): Promise<void> {
  const user = (await currentUser()) ?? (await showLogin(root));
  if (user.role !== 'squad_leader' || !user.squadId) {
    render(root, html`<p class="phone-message">${s().notLeader}</p>`);
    return;
  }
  render(root, html`
    <header class="phone-header"><b>${s().title}</b><span data-testid="connection"></span>
      <button data-action="logout">${s().logout}</button></header>
    <div class="banner" data-testid="banner" hidden></div>
    <main class="phone-main"></main>
    <p class="queue" data-testid="queue" hidden></p>
    <footer class="phone-footer"></footer>`);
  root.querySelector('[data-action=logout]')!.addEventListener('click', () => {
    session.set(null);
    location.reload();
  });

  const queueNote = root.querySelector<HTMLElement>('[data-testid=queue]')!;
  let dispatches: Dispatch[] = [];
  const showCard = () => card.show(mostUrgent(dispatches), queue.pending);
  const refresh = async () => {
    try {
      dispatches = await api<Dispatch[]>('GET', '/api/dispatches?limit=20');
    } catch {
      /* offline: keep what we have */
    }
    showCard();
  };
  const queue = new ActionQueue((pending, error) => {
    queueNote.hidden = !pending.length && !error;
    queueNote.textContent = error ?? s().queued(pending.length);
    // Show what the queued actions will do at once; read the truth back once they are through.
    if (pending.length) showCard();
    else void refresh();
  });
  const card = new DispatchCard(root.querySelector('main')!, (action) => void queue.add(action));

  const realtime = new Realtime(session.token!, user.username);
  const connection = root.querySelector<HTMLElement>('[data-testid=connection]')!;
  realtime.onState((state) => {
    connection.dataset.state = state;
    connection.textContent = s().connection[state];
    if (state === 'connected') void queue.flush().then(refresh);
  });
  realtime.onEvent((e) => {
    if (!e.type.startsWith('dispatch.') || e.squadId !== user.squadId) return;
    if (e.type === 'dispatch.created') alertArrival(root.querySelector('[data-testid=banner]')!, e.exercise);
    void refresh();
  });
  new PositionSharing(root.querySelector('footer')!, realtime);
  await refresh();
  window.setInterval(() => card.tick(), 1000);
}

void start();
