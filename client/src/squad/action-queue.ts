import { renewAfterRefusal, session, tokenSubject, languageHeader } from '../api.js';

/** An action the leader took, kept until the server has it: phones lose their connection. */
export interface QueuedAction {
  /** Also the Idempotency-Key: a resend after a lost response is applied once. */
  key: string;
  method: 'POST';
  path: string;
  body: unknown;
  label: string;
}

/** A queued action the server refused (a 4xx other than 401): kept, and shown, until the leader dismisses it. */
export interface RefusedAction {
  key: string;
  label: string;
  status: number;
  /** The API's error code (DISPATCH.EXPIRED…), or HTTP when the answer had none. */
  code: string;
  message: string;
  at: string;
}

/** Older releases kept one queue for every user of the browser; its owner is unknown, so it is never sent. */
const SHARED_STORAGE = 'pingji.squad.queue';
const queueKey = (userId: string) => `pingji.squad.queue.${userId}`;
const refusedKey = (userId: string) => `pingji.squad.refused.${userId}`;

/**
 * One user's actions, stored in localStorage under that user's id before they are sent and removed
 * once the server answered. Network failures keep them queued and they are sent, in order, when the
 * connection returns — only with a token of the same user (another tab may have logged someone else
 * in). A refusal (a 4xx will not get better by resending) moves the action to the refused list, which
 * the phone shows until dismissed: nothing the leader did disappears without a word.
 */
export class ActionQueue {
  private flushing?: Promise<void>;

  constructor(
    private readonly userId: string,
    private readonly onChange: (pending: QueuedAction[], refused: RefusedAction[]) => void,
  ) {
    window.addEventListener('online', () => void this.flush());
    window.setInterval(() => void this.flush(), 5000);
    // Another tab of the same user changed the queue or dismissed a refusal.
    window.addEventListener('storage', (e) => {
      if (e.key === queueKey(userId) || e.key === refusedKey(userId)) this.onChange(this.pending, this.refused);
    });
  }

  get pending(): QueuedAction[] {
    return read<QueuedAction>(queueKey(this.userId));
  }

  get refused(): RefusedAction[] {
    return read<RefusedAction>(refusedKey(this.userId));
  }

  /** Whether a queue left by the shared key of an older release is still there (never sent). */
  static hasUnownedQueue(): boolean {
    return read(SHARED_STORAGE).length > 0;
  }

  add(action: Omit<QueuedAction, 'key' | 'method'>): Promise<void> {
    const queued: QueuedAction = { key: newKey(), method: 'POST', ...action };
    this.save([...this.pending, queued]);
    return this.flush();
  }

  dismiss(key: string): void {
    localStorage.setItem(refusedKey(this.userId), JSON.stringify(this.refused.filter((r) => r.key !== key)));
    this.onChange(this.pending, this.refused);
  }

  flush(): Promise<void> {
    this.flushing ??= this.sendAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async sendAll(): Promise<void> {
    for (const action of this.pending) {
      const token = session.token;
      // Logged out, or another user's token (a login in another tab): keep the action for its owner.
      if (!token || tokenSubject(token) !== this.userId) return;
      let res: Response;
      try {
        res = await fetch(action.path, {
          method: action.method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': action.key, ...languageHeader() },
          body: JSON.stringify(action.body),
        });
      } catch {
        return; // offline: keep it, try again later
      }
      if (res.status >= 500 || res.status === 429) return;
      // A refused token: keep the action, renew the token and send it again (or after the next login).
      if (res.status === 401) return void ((await renewAfterRefusal(token)) && (await this.sendAll()));
      if (!res.ok) {
        const data = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
        const refusal: RefusedAction = {
          key: action.key, label: action.label, status: res.status,
          code: data.code ?? 'HTTP', message: data.message ?? String(res.status), at: new Date().toISOString(),
        };
        // Recorded before the action leaves the queue: a reload in between loses neither.
        localStorage.setItem(refusedKey(this.userId), JSON.stringify([...this.refused.filter((r) => r.key !== action.key), refusal]));
      }
      this.save(this.pending.filter((a) => a.key !== action.key));
    }
  }

  private save(list: QueuedAction[]): void {
    localStorage.setItem(queueKey(this.userId), JSON.stringify(list));
    this.onChange(list, this.refused);
  }
}

function read<T>(key: string): T[] {
  try {
    const list = JSON.parse(localStorage.getItem(key) ?? '[]') as unknown;
    return Array.isArray(list) ? (list as T[]) : [];
  } catch {
    return [];
  }
}

/** randomUUID needs a secure context; a plain-http deployment still gets unique keys. */
function newKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
