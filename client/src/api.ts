// The REST client: the token from login, the API's error shape turned into an Error with its message.
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

const TOKEN_KEY = 'pingji.token';
export const session = {
  get token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  set(token: string | null) {
    if (token) localStorage.setItem(TOKEN_KEY, token);
    else localStorage.removeItem(TOKEN_KEY);
  },
};

let unauthorized = (): void => undefined;

/** What to do when the server no longer accepts the token (set once the page has a user: back to login). */
export function onUnauthorized(handler: () => void): void {
  unauthorized = handler;
}

/** The token was refused (expired or revoked): forget it and let the page go back to the login form. */
export function expireSession(): void {
  session.set(null);
  unauthorized();
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text();
  if (!res.ok) {
    if (res.status === 401 && path !== '/api/auth/login') expireSession();
    throw new ApiError(res.status, data?.code ?? 'HTTP', data?.message ?? String(res.status));
  }
  return data as T;
}
