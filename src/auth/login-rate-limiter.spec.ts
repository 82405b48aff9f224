import { DomainError } from '../common/domain-error.js';
import { backoffMs, LoginRateLimiter, MAX_BACKOFF_MS } from './login-rate-limiter.js';

const refusal = (f: () => void): DomainError | undefined => {
  try {
    f();
  } catch (e) {
    return e as DomainError;
  }
  return undefined;
};

describe('LoginRateLimiter', () => {
  let now = 0;
  const limiter = (perUser = 3, perAddress = 60) => new LoginRateLimiter(perUser, perAddress, () => now);
  beforeEach(() => (now = 1_000_000));

  it('lets a username fail its allowance, then backs off 1 s, 2 s, 4 s … with Retry-After', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.begin('10.0.0.1', 'commander');
    const first = refusal(() => l.begin('10.0.0.9', 'Commander')); // another address, same username
    expect(first).toBeInstanceOf(DomainError);
    expect(first!.status).toBe(429);
    expect(first!.details.retryAfterSeconds).toBe(1);
    now += 1000;
    l.begin('10.0.0.1', 'commander'); // allowed again, and fails
    now += 1000;
    expect(refusal(() => l.begin('10.0.0.1', 'commander'))?.details.retryAfterSeconds).toBe(1);
    now += 1000;
    l.begin('10.0.0.1', 'commander');
    now += 3000;
    expect(refusal(() => l.begin('10.0.0.1', 'commander'))?.details.retryAfterSeconds).toBe(1);
    now += 1000;
    expect(refusal(() => l.begin('10.0.0.1', 'commander'))).toBeUndefined();
  });

  it('caps the backoff at 15 minutes', () => {
    expect(backoffMs(0)).toBe(1000);
    expect(backoffMs(3)).toBe(8000);
    expect(backoffMs(50)).toBe(MAX_BACKOFF_MS);
  });

  it('does not count successes, and a success clears the username', () => {
    const l = limiter();
    for (let i = 0; i < 10; i++) {
      l.begin('10.0.0.1', 'viewer');
      l.succeeded('10.0.0.1', 'viewer');
    }
    for (let i = 0; i < 2; i++) l.begin('10.0.0.1', 'viewer');
    l.begin('10.0.0.1', 'viewer');
    l.succeeded('10.0.0.1', 'viewer'); // the third was right
    for (let i = 0; i < 3; i++) expect(refusal(() => l.begin('10.0.0.1', 'viewer'))).toBeUndefined();
  });

  it("limits one address's failures across usernames, much more loosely, for a minute", () => {
    const l = limiter(3, 60);
    for (let i = 0; i < 60; i++) l.begin('10.0.0.2', `user-${i}`);
    const refused = refusal(() => l.begin('10.0.0.2', 'user-99'));
    expect(refused?.status).toBe(429);
    expect(refusal(() => l.begin('10.0.0.3', 'user-99'))).toBeUndefined();
    now += 60_000;
    expect(refusal(() => l.begin('10.0.0.2', 'user-99'))).toBeUndefined();
  });

  it("forgets a username's failures after an hour without one", () => {
    const l = limiter();
    for (let i = 0; i < 10; i++) {
      now += MAX_BACKOFF_MS;
      l.begin('10.0.0.1', 'coordinator');
    }
    now += 60 * 60_000;
    for (let i = 0; i < 3; i++) expect(refusal(() => l.begin('10.0.0.1', 'coordinator'))).toBeUndefined();
    expect(refusal(() => l.begin('10.0.0.1', 'coordinator'))?.status).toBe(429);
  });
});

describe('LoginRateLimiter backoff timing', () => {
  it('runs the backoff from when the failure was known, not from when the attempt began', () => {
    let now = 0;
    const l = new LoginRateLimiter(1, 100, () => now);
    l.begin('a', 'x');
    now += 5000; // a slow password check
    l.failed('x');
    expect(() => l.begin('a', 'x')).toThrow('Too many failed login attempts');
  });
});
