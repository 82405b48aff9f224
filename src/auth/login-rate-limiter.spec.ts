import { DomainError } from '../common/domain-error.js';
import { LoginRateLimiter } from './login-rate-limiter.js';

describe('LoginRateLimiter', () => {
  let now = 0;
  const limiter = () => new LoginRateLimiter(3, () => now);
  beforeEach(() => (now = 1_000_000));

  it('allows the limit per address and username, then 429 with the seconds left in the window', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.take('10.0.0.1', 'commander');
    now += 20_000;
    let error: DomainError | undefined;
    try {
      l.take('10.0.0.1', 'Commander');
    } catch (e) {
      error = e as DomainError;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect(error!.status).toBe(429);
    expect(error!.details.retryAfterSeconds).toBe(40);
  });

  it('starts a new window after a minute', () => {
    const l = limiter();
    for (let i = 0; i < 3; i++) l.take('10.0.0.1', 'viewer');
    now += 60_000;
    expect(() => l.take('10.0.0.1', 'viewer')).not.toThrow();
  });

  it('limits one address across many usernames at five times the limit', () => {
    const l = limiter();
    for (let i = 0; i < 15; i++) l.take('10.0.0.2', `user-${i}`);
    expect(() => l.take('10.0.0.2', 'user-99')).toThrow('Too many login attempts');
    expect(() => l.take('10.0.0.3', 'user-99')).not.toThrow();
  });
});
