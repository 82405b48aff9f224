import { DomainError } from '../common/domain-error.js';

/**
 * Fixed one-minute windows of login attempts, per client address and username (slows guessing one
 * account's password) and per address alone, five times looser (slows spraying many accounts).
 * Kept in process memory: each instance limits on its own, which only makes the limit per instance.
 */
export class LoginRateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one attempt; throws AUTH.RATE_LIMITED (429, with Retry-After) once over the limit. */
  take(address: string, username: string): void {
    this.prune();
    this.count(`${address}|${username.toLowerCase()}`, this.perMinute);
    this.count(address, this.perMinute * 5);
  }

  private count(key: string, limit: number): void {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= 60_000) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count > limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil((window.startedAt + 60_000 - now) / 1000));
      throw new DomainError('AUTH.RATE_LIMITED', 'rate_limited', `Too many login attempts; try again in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
      });
    }
  }

  private prune(): void {
    if (this.windows.size < 10_000) return;
    const now = this.now();
    for (const [key, w] of this.windows) if (now - w.startedAt >= 60_000) this.windows.delete(key);
  }
}
