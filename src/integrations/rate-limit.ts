import type { RateLimit } from './integration-model.js';

/**
 * Fixed one-second and one-minute windows per integration, in memory. Cheap enough for the hot
 * path; each process limits on its own, so N processes admit up to N× the limit (documented).
 */
export class IntegrationRateLimiter {
  private readonly windows = new Map<string, { second: number; secondCount: number; minute: number; minuteCount: number }>();

  /** Counts one request; returns the seconds to wait when over the limit, or 0 when admitted. */
  admit(integrationId: string, limit: RateLimit, now: number): number {
    const second = Math.floor(now / 1000);
    const minute = Math.floor(now / 60_000);
    const window = this.windows.get(integrationId) ?? { second, secondCount: 0, minute, minuteCount: 0 };
    if (window.second !== second) Object.assign(window, { second, secondCount: 0 });
    if (window.minute !== minute) Object.assign(window, { minute, minuteCount: 0 });
    this.windows.set(integrationId, window);
    if (window.minuteCount >= limit.perMinute) return Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
    if (window.secondCount >= limit.perSecond) return 1;
    window.secondCount += 1;
    window.minuteCount += 1;
    return 0;
  }
}
