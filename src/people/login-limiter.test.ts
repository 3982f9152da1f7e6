import { describe, expect, it } from 'vitest';
import { LoginLimiter, type LoginLimits } from './login-limiter.js';

const limits: LoginLimits = { windowMs: 60_000, perAccountAddress: 3, perAddress: 5, accountFreeAttempts: 3, accountBackoffMaxMs: 8_000, maxKeys: 100 };

const refused = (result: ReturnType<LoginLimiter['reserve']>) => ('retryAfterSeconds' in result ? result.retryAfterSeconds : 0);

describe('LoginLimiter', () => {
  it('counts an attempt when it is reserved, so concurrent guesses cannot all pass', () => {
    const limiter = new LoginLimiter(limits);
    // Forty guesses arrive before any password check finishes: only the first three are let through.
    const outcomes = Array.from({ length: 40 }, () => limiter.reserve('a@x', '1.1.1.1', 0));
    expect(outcomes.filter((o) => 'reservation' in o)).toHaveLength(3);
  });

  it('stops a guesser at one address for the window, but only slows the account elsewhere', () => {
    const limiter = new LoginLimiter(limits);
    for (const at of [0, 10_000, 20_000]) expect(refused(limiter.reserve('a@x', '6.6.6.6', at))).toBe(0);
    expect(refused(limiter.reserve('a@x', '6.6.6.6', 21_000))).toBe(39);
    // The owner at another address waits for the backoff gap (1 s after the last attempt), not 15 minutes.
    expect(refused(limiter.reserve('a@x', '2.2.2.2', 20_500))).toBe(1);
    expect(refused(limiter.reserve('a@x', '2.2.2.2', 21_000))).toBe(0);
  });

  it('doubles the gap between attempts on one account from many addresses, up to the cap', () => {
    const limiter = new LoginLimiter(limits);
    let now = 0;
    const gaps: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      let waited = 0;
      while (refused(limiter.reserve('a@x', `10.0.0.${i}`, now)) > 0) {
        now += 500;
        waited += 500;
      }
      gaps.push(waited);
    }
    expect(gaps).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('limits an address trying many accounts', () => {
    const limiter = new LoginLimiter(limits);
    for (let i = 0; i < 5; i += 1) expect(refused(limiter.reserve(`user${i}@x`, '9.9.9.9', i))).toBe(0);
    expect(refused(limiter.reserve('fresh@x', '9.9.9.9', 10))).toBeGreaterThan(0);
    expect(refused(limiter.reserve('fresh@x', '8.8.8.8', 10))).toBe(0);
  });

  it('clears the account after a successful sign-in and gives the address its attempt back', () => {
    const limiter = new LoginLimiter(limits);
    limiter.reserve('a@x', '1.1.1.1', 0);
    limiter.reserve('a@x', '1.1.1.1', 1);
    const third = limiter.reserve('a@x', '1.1.1.1', 2);
    if (!('reservation' in third)) throw new Error('expected a reservation');
    limiter.succeeded(third.reservation);
    expect(refused(limiter.reserve('a@x', '1.1.1.1', 3))).toBe(0);
  });

  it('remembers a bounded number of keys', () => {
    const limiter = new LoginLimiter(limits);
    for (let i = 0; i < 1000; i += 1) limiter.reserve(`user${i}@x`, `10.1.${Math.floor(i / 256)}.${i % 256}`, 0);
    expect(limiter.size).toBeLessThanOrEqual(100);
  });
});
