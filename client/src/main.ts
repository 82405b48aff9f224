import './styles.css';
import { api, session, type SessionUser } from './api.js';
import { t, toggleLang } from './i18n.js';
import { showLogin } from './login.js';
import { createMap, type ClientConfig } from './map.js';

const root = document.getElementById('app')!;

async function currentUser(): Promise<SessionUser | null> {
  if (!session.token) return null;
  try {
    return await api<SessionUser>('GET', '/api/auth/me');
  } catch {
    return null;
  }
}

async function start(): Promise<void> {
  const user = (await currentUser()) ?? (await showLogin(root));
  const config = await api<ClientConfig>('GET', '/api/client-config');
  root.innerHTML = `
    <header>
      <h1>${t().appTitle}</h1>
      <span data-testid="current-user">${user.username} · ${user.role}</span>
      <button data-action="lang">${t().language}</button>
      <button data-action="logout">${t().logout}</button>
    </header>
    <main><div id="map" data-testid="map"></div></main>`;
  root.querySelector('[data-action=lang]')!.addEventListener('click', () => {
    toggleLang();
    location.reload();
  });
  root.querySelector('[data-action=logout]')!.addEventListener('click', () => {
    session.set(null);
    location.reload();
  });
  createMap(root.querySelector<HTMLElement>('#map')!, config);
}

void start();
