import { describe, expect, it } from 'vitest';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  const limits = { windowMs: 60_000, perAccount: 3, perAddress: 5 };

  it('blocks an account after its limit of failures until the oldest one leaves the window', () => {
    const limiter = new LoginLimiter(limits);
    for (const at of [0, 10_000, 20_000]) {
      expect(limiter.retryAfter('a@x', '1.1.1.1', at)).toBe(0);
      limiter.recordFailure('a@x', '1.1.1.1', at);
    }
    expect(limiter.retryAfter('a@x', '1.1.1.1', 20_000)).toBe(40);
    expect(limiter.retryAfter('a@x', '2.2.2.2', 30_000)).toBe(30);
    expect(limiter.retryAfter('a@x', '1.1.1.1', 60_001)).toBe(0);
  });

  it('blocks an address that tries many accounts', () => {
    const limiter = new LoginLimiter(limits);
    for (let i = 0; i < 5; i += 1) limiter.recordFailure(`user${i}@x`, '9.9.9.9', i);
    expect(limiter.retryAfter('fresh@x', '9.9.9.9', 10)).toBeGreaterThan(0);
    expect(limiter.retryAfter('fresh@x', '8.8.8.8', 10)).toBe(0);
  });

  it('clears an account after a successful sign-in', () => {
    const limiter = new LoginLimiter(limits);
    limiter.recordFailure('a@x', '1.1.1.1', 0);
    limiter.recordFailure('a@x', '1.1.1.1', 1);
    limiter.recordSuccess('a@x');
    limiter.recordFailure('a@x', '1.1.1.1', 2);
    expect(limiter.retryAfter('a@x', '1.1.1.1', 3)).toBe(0);
  });
});
