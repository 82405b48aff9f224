// The REST client: the session (a short-lived access token renewed with a single-use refresh token),
// the API's error shape turned into an Error with its message.
import type { LoginResult } from '../../src/contracts/auth.js';
import { currentLang } from './i18n.js';

/** The language the server's messages come in (the page's): send with every request. */
export const languageHeader = (): Record<string, string> => ({ 'accept-language': currentLang() === 'en' ? 'en' : 'zh-CN' });

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const TOKEN_KEY = 'pingji.token';
const REFRESH_KEY = 'pingji.refreshToken';
const ENDED_KEY = 'pingji.sessionEnded';
/** The user of the stored token, for pages that open without network (the phone view). */
const USER_KEY = 'pingji.user';
/**
 * Renew this long before the access token expires (a quarter of its life if that is shorter), plus up
 * to half as much again at random, so tabs do not all renew at once.
 */
const RENEW_BEFORE_MS = 60_000;

export const session = {
  get token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  get refreshToken(): string | null {
    return localStorage.getItem(REFRESH_KEY);
  },
  /** A new access token (and refresh token, when one comes with it); null ends the session here. */
  set(token: string | null, refreshToken?: string) {
    if (token) {
      localStorage.setItem(TOKEN_KEY, token);
      if (refreshToken) localStorage.setItem(REFRESH_KEY, refreshToken);
      sessionStorage.removeItem(ENDED_KEY);
    } else {
      const refreshToken = localStorage.getItem(REFRESH_KEY);
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(REFRESH_KEY);
      localStorage.removeItem(USER_KEY);
      // Logging out ends the login on the server too; keepalive lets it finish across the reload that follows.
      if (refreshToken) {
        void fetch('/api/auth/logout', { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json', ...languageHeader() }, body: JSON.stringify({ refreshToken }) })
          .catch(() => undefined);
      }
    }
    scheduleRenewal();
  },
};

export type RefreshOutcome = 'refreshed' | 'ended' | 'unavailable';

let refreshing: Promise<RefreshOutcome> | undefined;

/**
 * Trades the refresh token for a new pair: 'ended' when the server refuses it (the session is over),
 * 'unavailable' when it cannot be reached (keep the session, try later). One at a time in this tab,
 * and across tabs where the browser has Web Locks: a refresh token is single-use, and another tab may
 * already have renewed `replacing` — then its new token is simply used.
 */
export function refreshSession(replacing: string | null = session.token): Promise<RefreshOutcome> {
  const run = () => renew(replacing);
  refreshing ??= (navigator.locks ? navigator.locks.request('pingji.refresh', run) : run()).finally(() => (refreshing = undefined));
  return refreshing;
}

async function renew(replacing: string | null): Promise<RefreshOutcome> {
  const current = session.token;
  if (current && current !== replacing && msLeft(current) > 1000) return 'refreshed';
  const refreshToken = session.refreshToken;
  if (!refreshToken) return 'ended';
  let res: Response;
  try {
    res = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json', ...languageHeader() }, body: JSON.stringify({ refreshToken }) });
  } catch {
    return 'unavailable';
  }
  if (res.status === 400 || res.status === 401) return 'ended';
  if (!res.ok) return 'unavailable';
  const pair = (await res.json()) as LoginResult;
  session.set(pair.accessToken, pair.refreshToken);
  return 'refreshed';
}

/**
 * The session is over (refused refresh, disabled account): forget it and reload, which shows the login
 * (every page does when there is no token) with a note saying why.
 */
export function endSession(reason: 'ended' | 'disabled' = 'ended'): void {
  sessionStorage.setItem(ENDED_KEY, reason);
  session.set(null);
  location.reload();
}

/**
 * A request made outside api() (an upload, a phone's queued action) was refused with 401: renew the
 * token once; true when renewed (send it again), else the session has ended.
 */
export async function renewAfterRefusal(refused: string | null): Promise<boolean> {
  const outcome = await refreshSession(refused);
  if (outcome === 'ended') endSession();
  return outcome === 'refreshed';
}

export async function api<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
  const headers: Record<string, string> = languageHeader();
  if (body !== undefined) headers['content-type'] = 'application/json';
  const token = session.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  const isLogin = path === '/api/auth/login';
  if (!res.ok) {
    if (res.status === 401 && !isLogin && token) {
      // An expired (or otherwise refused) access token: renew it once and ask again.
      if (data?.code !== 'AUTH.USER_DISABLED' && !retried) {
        const outcome = await refreshSession(token);
        if (outcome === 'refreshed') return api<T>(method, path, body, true);
        if (outcome === 'ended') endSession();
      } else {
        endSession(data?.code === 'AUTH.USER_DISABLED' ? 'disabled' : 'ended');
      }
    }
    throw new ApiError(res.status, data?.code ?? 'HTTP', data?.message ?? String(res.status));
  }
  // The login page stores the access token; the refresh token that comes with it is kept here.
  if (isLogin && data?.accessToken) session.set(data.accessToken, data.refreshToken);
  return data as T;
}

/** A JWT's claims, unverified (the server checks them); {} when unreadable. */
function claims(token: string): { exp?: number; sub?: string } {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number; sub?: string };
  } catch {
    return {};
  }
}

/** Milliseconds until a JWT's exp (0 when unreadable). */
function msLeft(token: string): number {
  const { exp } = claims(token);
  return typeof exp === 'number' ? exp * 1000 - Date.now() : 0;
}

/** The user id a token was issued to (undefined when unreadable). */
export function tokenSubject(token: string): string | undefined {
  return claims(token).sub;
}

/** The last user the server confirmed for the stored token: kept so a page can open offline. */
export const knownUser = {
  get<T extends { id: string }>(): T | null {
    const token = session.token;
    if (!token) return null;
    try {
      const user = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as T | null;
      return user && user.id === tokenSubject(token) ? user : null;
    } catch {
      return null;
    }
  },
  set(user: { id: string }): void {
    localStorage.setItem(USER_KEY, JSON.stringify(user));
  },
};

let renewalTimer: number | undefined;

/** Renew the access token shortly before it expires, so a page left open never meets a 401. */
function scheduleRenewal(): void {
  window.clearTimeout(renewalTimer);
  const token = session.token;
  if (!token || !session.refreshToken) return;
  const left = msLeft(token);
  const lead = Math.min(RENEW_BEFORE_MS, left / 4);
  const due = left - lead - Math.random() * (lead / 2);
  renewalTimer = window.setTimeout(() => void renewSoon(), Math.max(0, Math.min(due, 2 ** 31 - 1)));
}

async function renewSoon(): Promise<void> {
  const token = session.token;
  if (!token || msLeft(token) > RENEW_BEFORE_MS * 2) return scheduleRenewal();
  const outcome = await refreshSession(token);
  if (outcome === 'ended') endSession();
  // Unreachable: the next request or reconnect tries again.
  else if (outcome === 'unavailable') renewalTimer = window.setTimeout(() => void renewSoon(), 15_000);
}

/** A note on the login screen saying why the session ended; gone once someone logs in. */
function showEndedNote(): void {
  const reason = sessionStorage.getItem(ENDED_KEY);
  if (!reason || session.token) return;
  const note = document.createElement('div');
  note.setAttribute('role', 'alert');
  note.dataset.testid = 'session-ended';
  note.style.cssText = 'position:fixed;top:0;left:0;right:0;z-index:10000;padding:8px 12px;background:#b3261e;color:#fff;text-align:center;font:14px sans-serif';
  note.textContent = reason === 'disabled'
    ? '账号已停用，请联系指挥员 · This account has been disabled; ask a commander.'
    : '会话已结束，请重新登录 · Your session has ended; please log in again.';
  document.body.append(note);
  window.addEventListener('storage', () => session.token && note.remove());
  const poll = window.setInterval(() => {
    if (!session.token) return;
    note.remove();
    window.clearInterval(poll);
  }, 1000);
}

if (typeof window !== 'undefined') {
  scheduleRenewal();
  // Another tab renewed or ended the session: follow it.
  window.addEventListener('storage', (e) => (e.key === TOKEN_KEY || e.key === null) && scheduleRenewal());
  // Timers sleep with the page (a phone in a pocket): check on waking up and on getting a network back.
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && void renewSoon());
  window.addEventListener('online', () => void renewSoon());
  if (document.body) showEndedNote();
  else document.addEventListener('DOMContentLoaded', showEndedNote, { once: true });
}
