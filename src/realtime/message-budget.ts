import { performance } from 'node:perf_hooks';

/**
 * A token bucket for one socket's incoming messages: `perSecond` on average, bursts up to twice that.
 * A phone that reports a position every few seconds never meets it; a script flooding the socket does.
 */
export class MessageBudget {
  private tokens: number;
  private last: number;
  /** Messages refused since the last one that was allowed. */
  refusedInARow = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = this.burst;
    this.last = now();
  }

  get burst(): number {
    return this.perSecond * 2;
  }

  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.tokens < 1) {
      this.refusedInARow++;
      return false;
    }
    this.tokens -= 1;
    this.refusedInARow = 0;
    return true;
  }
}
