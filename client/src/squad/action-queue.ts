import { renewAfterRefusal, session } from '../api.js';

/** An action the leader took, kept until the server has it: phones lose their connection. */
export interface QueuedAction {
  /** Also the Idempotency-Key: a resend after a lost response is applied once. */
  key: string;
  method: 'POST';
  path: string;
  body: unknown;
  label: string;
}

const STORAGE = 'pingji.squad.queue';

/**
 * Actions are stored in localStorage before they are sent and removed once the server answered
 * (success or a refusal: a 4xx will not get better by resending). Network failures keep them queued
 * and they are sent, in order, when the connection returns.
 */
export class ActionQueue {
  private flushing?: Promise<void>;

  constructor(private readonly onChange: (pending: QueuedAction[], error?: string) => void) {
    window.addEventListener('online', () => void this.flush());
    window.setInterval(() => void this.flush(), 5000);
  }

  get pending(): QueuedAction[] {
    return JSON.parse(localStorage.getItem(STORAGE) ?? '[]') as QueuedAction[];
  }

  add(action: Omit<QueuedAction, 'key' | 'method'>): Promise<void> {
    const queued: QueuedAction = { key: newKey(), method: 'POST', ...action };
    this.save([...this.pending, queued]);
    return this.flush();
  }

  flush(): Promise<void> {
    this.flushing ??= this.sendAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async sendAll(): Promise<void> {
    for (const action of this.pending) {
      let res: Response;
      const token = session.token;
      try {
        res = await fetch(action.path, {
          method: action.method,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': action.key },
          body: JSON.stringify(action.body),
        });
      } catch {
        return; // offline: keep it, try again later
      }
      if (res.status >= 500 || res.status === 429) return;
      // A refused token: keep the action, renew the token and send it again (or after the next login).
      if (res.status === 401) return void ((await renewAfterRefusal(token)) && (await this.sendAll()));
      this.save(this.pending.filter((a) => a.key !== action.key));
      if (!res.ok) {
        const data = await res.json().catch(() => ({}));
        this.onChange(this.pending, `${action.label}: ${data.message ?? res.status}`);
      }
    }
  }

  private save(list: QueuedAction[]): void {
    localStorage.setItem(STORAGE, JSON.stringify(list));
    this.onChange(list);
  }
}

/** randomUUID needs a secure context; a plain-http deployment still gets unique keys. */
function newKey(): string {
  return crypto.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${Math.random().toString(36).slice(2)}`;
}
