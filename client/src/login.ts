import { api, ApiError, session, type SessionUser } from './api.js';
import { t } from './i18n.js';
import { html, render } from './html.js';

/** The login form; resolves with the user once the server accepted the credentials. */
export function showLogin(root: HTMLElement): Promise<SessionUser> {
  render(root, html`
    <form class="login" data-testid="login-form">
      <h2>${t().appTitle}</h2>
      <input name="username" autocomplete="username" placeholder="${t().username}" required />
      <input name="password" type="password" autocomplete="current-password" placeholder="${t().password}" required />
      <button type="submit">${t().login}</button>
      <div class="error" role="alert"></div>
    </form>`);
  const form = root.querySelector('form')!;
  return new Promise((resolve) => {
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const data = new FormData(form);
      try {
        const result = await api<{ accessToken: string; user: SessionUser }>('POST', '/api/auth/login', {
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
