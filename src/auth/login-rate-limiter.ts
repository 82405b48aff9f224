import { DomainError } from '../common/domain-error.js';

const MINUTE = 60_000;
/** The longest one username ever waits between attempts. */
export const MAX_BACKOFF_MS = 15 * MINUTE;
/** A username's failures are forgotten after this long without one. */
const FORGET_AFTER_MS = 60 * MINUTE;

const limited = (ms: number) => {
  const retryAfterSeconds = Math.max(1, Math.ceil(ms / 1000));
  return new DomainError('AUTH.RATE_LIMITED', 'rate_limited', { seconds: retryAfterSeconds }, {
    retryAfterSeconds,
  });
};

/**
 * Slows password guessing without locking out anyone else. Only failures count, and a success clears
 * its username's count:
 * - per username, with backoff: `failuresBeforeBackoff` failures at any pace, then each further
 *   attempt waits 1 s, 2 s, 4 s … (at most 15 min) after the last failure;
 * - per client address, across usernames, `addressFailuresPerMinute` failures a minute (much looser:
 *   a whole office may share one address), which slows spraying one password over many accounts.
 * An attempt counts as a failure from the moment it starts, so parallel guesses cannot all slip in
 * before the first one fails; `succeeded` takes it back, `failed` restarts the backoff from its end. Kept in process memory: each instance limits
 * on its own.
 */
export class LoginRateLimiter {
  private readonly usernames = new Map<string, { failures: number; lastFailureAt: number }>();
  private readonly addresses = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    private readonly failuresBeforeBackoff: number,
    private readonly addressFailuresPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Before the password is checked: AUTH.RATE_LIMITED (429, with Retry-After) or the attempt is counted. */
  begin(address: string, username: string): void {
    const now = this.now();
    this.prune(now);
    let user = this.usernames.get(username.toLowerCase());
    if (user && now - user.lastFailureAt >= FORGET_AFTER_MS) user = undefined;
    if (user && user.failures >= this.failuresBeforeBackoff) {
      const wait = user.lastFailureAt + backoffMs(user.failures - this.failuresBeforeBackoff) - now;
      if (wait > 0) throw limited(wait);
    }
    let window = this.addresses.get(address);
    if (!window || now - window.startedAt >= MINUTE) {
      window = { startedAt: now, failures: 0 };
      this.addresses.set(address, window);
    }
    if (window.failures >= this.addressFailuresPerMinute) throw limited(window.startedAt + MINUTE - now);
    window.failures += 1;
    const entry = user ?? { failures: 0, lastFailureAt: now };
    entry.failures += 1;
    entry.lastFailureAt = now;
    this.usernames.set(username.toLowerCase(), entry);
  }

  /** The password was wrong: the backoff runs from now (checking it may have taken a while). */
  failed(username: string): void {
    const entry = this.usernames.get(username.toLowerCase());
    if (entry) entry.lastFailureAt = this.now();
  }

  /** The password was right: the attempt was no failure, and the username starts afresh. */
  succeeded(address: string, username: string): void {
    this.usernames.delete(username.toLowerCase());
    const window = this.addresses.get(address);
    if (window && window.failures > 0) window.failures -= 1;
  }

  private prune(now: number): void {
    if (this.usernames.size + this.addresses.size < 10_000) return;
    for (const [key, u] of this.usernames) if (now - u.lastFailureAt >= FORGET_AFTER_MS) this.usernames.delete(key);
    for (const [key, w] of this.addresses) if (now - w.startedAt >= MINUTE) this.addresses.delete(key);
  }
}

/** 1 s after the first failure beyond the allowance, doubling, at most MAX_BACKOFF_MS. */
export function backoffMs(beyond: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(beyond, 20));
}
