import { api, ApiError, knownUser, session } from './api.js';
import { html, render, type SafeHtml } from './html.js';
import { languageSwitch } from './i18n.js';
import { t } from './strings.js';
import type { LoginResult, SessionUser } from '../../src/contracts/auth.js';

export interface PageStart {
  /** The page's name above the login form (a function: in the language chosen on the form); the command center's by default. */
  title?: string | (() => string);
  /** Who may use the page; anyone else sees `refused`. */
  allow?: (user: SessionUser) => boolean;
  refused?: SafeHtml;
  /** Builds the page for the logged-in user inside #app. */
  onUser: (user: SessionUser, root: HTMLElement) => void | Promise<void>;
  /**
   * Open without network (the phone view, whose shell a service worker keeps): when the server cannot
   * be reached, the last user it confirmed for the stored token starts the page.
   */
  offline?: boolean;
}

/**
 * How every page starts: the user of a stored token that the server still accepts, else the login
 * form; once the page runs, a refused token (401) brings the login form back.
 */
export async function bootstrap(page: PageStart): Promise<void> {
  const root = document.getElementById('app')!;
  const user = (await currentUser(page.offline ?? false)) ?? (await showLogin(root, page.title ?? (() => t().appTitle)));
  knownUser.set(user);
  if (page.allow && !page.allow(user)) return render(root, page.refused ?? html``);
  await page.onUser(user, root);
}

export function logout(): void {
  session.set(null);
  location.reload();
}

async function currentUser(offline: boolean): Promise<SessionUser | null> {
  if (!session.token) return null;
  // A refusal (ApiError) ends the session; only an unreachable server falls back to the known user.
  return api<SessionUser>('GET', '/api/auth/me').catch((err) => (offline && !(err instanceof ApiError) ? knownUser.get<SessionUser>() : null));
}

/** The login form; resolves with the user once the server accepted the credentials. */
function showLogin(root: HTMLElement, title: string | (() => string)): Promise<SessionUser> {
  render(root, html`
    <form class="login" data-testid="login-form">
      <h2></h2>
      <label><span class="label"></span><input name="username" autocomplete="username" required /></label>
      <label><span class="label"></span><input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit"></button>
      <div class="error" role="alert"></div>
      <div class="login-lang"></div>
    </form>`);
  const form = root.querySelector('form')!;
  // Worded in place, so switching the language keeps what was typed.
  const words = () => {
    form.querySelector('h2')!.textContent = typeof title === 'function' ? title() : title;
    const [user, password] = form.querySelectorAll('.label');
    user.textContent = t().username;
    password.textContent = t().password;
    form.querySelector<HTMLInputElement>('[name=username]')!.placeholder = t().username;
    form.querySelector<HTMLInputElement>('[name=password]')!.placeholder = t().password;
    form.querySelector('button[type=submit]')!.textContent = t().login;
    form.querySelector('.error')!.textContent = '';
  };
  words();
  form.querySelector('.login-lang')!.append(languageSwitch(typeof title === 'function' ? words : undefined));
  return new Promise((resolve) => {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      try {
        const result = await api<LoginResult>('POST', '/api/auth/login', {
          username: data.get('username'),
          password: data.get('password'),
        });
        session.set(result.accessToken);
        resolve(result.user);
      } catch (err) {
        form.querySelector('.error')!.textContent = err instanceof ApiError ? err.message : t().loginFailed;
      }
    });
  });
}
