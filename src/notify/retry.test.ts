import { describe, expect, it } from 'vitest';
import { backoffMs, decideRetry, FALLBACK_AFTER_ATTEMPTS, MAX_OTHER_ATTEMPTS } from './retry.js';

const now = 1_000_000_000;
const page = { kind: 'trigger', stillWanted: true, createdAt: now, now, random: 0.5 };

describe('retrying notifications', () => {
  it('spreads retries with jitter instead of retrying in lockstep', () => {
    expect(backoffMs(1, 300_000, 0)).toBe(3750);
    expect(backoffMs(1, 300_000, 0.999999)).toBe(6250);
    const spread = new Set([0, 0.2, 0.4, 0.6, 0.8].map((r) => backoffMs(3, 300_000, r)));
    expect(spread.size).toBe(5);
  });

  it('keeps retrying a page for as long as its level lasts, far beyond 2.5 minutes', () => {
    let at = now;
    for (let attempts = 1; attempts <= 40; attempts += 1) {
      const decision = decideRetry({ ...page, attempts, now: at });
      expect(decision.kind).toBe('retry');
      if (decision.kind === 'retry') at = decision.at;
    }
    expect(at - now).toBeGreaterThan(60 * 60_000);
    // The backoff is capped: a page is tried at least every ~6 minutes.
    expect(decideRetry({ ...page, attempts: 40, now: at })).toMatchObject({ kind: 'retry', at: expect.any(Number) });
    const late = decideRetry({ ...page, attempts: 40, now: at, random: 0.999 });
    expect(late.kind === 'retry' && late.at - at).toBeLessThanOrEqual(375_000);
  });

  it('falls back to the next method once, after a few failures, while still retrying the page', () => {
    const decisions = Array.from({ length: 6 }, (_, i) => decideRetry({ ...page, attempts: i + 1 }));
    expect(decisions.map((d) => d.kind === 'retry' && d.fallBackNow)).toEqual([false, false, true, false, false, false]);
    expect(FALLBACK_AFTER_ATTEMPTS).toBe(3);
  });

  it('gives up on a page when its level is over, falling back if that has not happened yet', () => {
    expect(decideRetry({ ...page, attempts: 2, stillWanted: false })).toEqual({ kind: 'give-up', fallBack: true });
    expect(decideRetry({ ...page, attempts: 5, stillWanted: false })).toEqual({ kind: 'give-up', fallBack: false });
    expect(decideRetry({ ...page, attempts: 5, now: now + 25 * 3_600_000 })).toMatchObject({ kind: 'give-up' });
  });

  it('honours a vendor rate limit without counting it against a page', () => {
    expect(decideRetry({ ...page, attempts: 30, retryAfterMs: 30_000 })).toEqual({ kind: 'retry', at: now + 30_000, fallBackNow: false });
  });

  it('gives up on follow-ups and codes after a fixed number of attempts', () => {
    const followUp = { ...page, kind: 'acknowledged' };
    expect(decideRetry({ ...followUp, attempts: MAX_OTHER_ATTEMPTS - 1 }).kind).toBe('retry');
    expect(decideRetry({ ...followUp, attempts: MAX_OTHER_ATTEMPTS })).toEqual({ kind: 'give-up', fallBack: false });
  });
});
