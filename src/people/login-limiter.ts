/**
 * Counts failed sign-ins per account and per client address in a sliding window, so password
 * guessing is slowed without letting one attacker lock a victim out from everywhere forever.
 * Kept in memory: each process limits on its own (see docs/adr/0004).
 */
export interface LoginLimits {
  readonly windowMs: number;
  readonly perAccount: number;
  readonly perAddress: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { windowMs: 15 * 60_000, perAccount: 5, perAddress: 50 };

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Seconds to wait before another attempt is allowed, or 0 when allowed now. */
  retryAfter(email: string, address: string, now: number): number {
    const wait = Math.max(this.waitFor(`a:${email}`, this.limits.perAccount, now), this.waitFor(`ip:${address}`, this.limits.perAddress, now));
    return Math.ceil(wait / 1000);
  }

  recordFailure(email: string, address: string, now: number): void {
    for (const key of [`a:${email}`, `ip:${address}`]) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.set(key, recent);
    }
  }

  /** A successful sign-in clears the account's failures (not the address's). */
  recordSuccess(email: string): void {
    this.failures.delete(`a:${email}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
  }

  private waitFor(key: string, limit: number, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length === 0) this.failures.delete(key);
    else this.failures.set(key, recent);
    if (recent.length < limit) return 0;
    const oldestCounted = recent[recent.length - limit] ?? now;
    return oldestCounted + this.limits.windowMs - now;
  }
}
