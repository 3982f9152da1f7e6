import { LRUCache } from 'lru-cache';

/**
 * Slows password guessing without letting an attacker lock a victim out (issue 10 item 14, ADR 0027).
 *
 * - An attempt is **reserved before the password is checked**: 40 concurrent guesses cannot all pass
 *   the check while argon2 runs, because each one is counted the moment it arrives.
 * - Per account *and* client address: at most `perAccountAddress` attempts per window — a guesser at
 *   one address is stopped, the owner at another address is not.
 * - Per account, from anywhere: after `accountFreeAttempts` attempts in the window each further attempt
 *   must wait an exponentially growing gap (1 s, 2 s, 4 s … capped at `accountBackoffMaxMs`) after the
 *   previous one. Guessing from many addresses slows to a crawl; the owner waits seconds, not 15 minutes.
 * - Per client address: at most `perAddress` attempts per window across accounts (credential stuffing).
 * - A successful sign-in takes its reservation back and clears the account's record.
 *
 * Maps are LRU-bounded: keys are chosen by the sender (emails, addresses), so they must not grow
 * without limit. Kept in memory: each process limits on its own (see docs/adr/0004).
 */
export interface LoginLimits {
  readonly windowMs: number;
  readonly perAccountAddress: number;
  readonly perAddress: number;
  readonly accountFreeAttempts: number;
  readonly accountBackoffMaxMs: number;
  /** Most keys remembered; the least recently used are forgotten first. */
  readonly maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  windowMs: 15 * 60_000,
  perAccountAddress: 5,
  perAddress: 50,
  accountFreeAttempts: 5,
  accountBackoffMaxMs: 60_000,
  maxKeys: 50_000,
};

/** A reserved attempt: hand it back with {@link LoginLimiter.succeeded} when the password was right. */
export interface Reservation {
  readonly email: string;
  readonly address: string;
  readonly at: number;
}

export class LoginLimiter {
  private readonly attempts: LRUCache<string, number[]>;

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.attempts = new LRUCache({ max: limits.maxKeys });
  }

  /**
   * Counts an attempt now, before any password is checked. Returns the reservation, or the seconds
   * to wait when the attempt is refused (a refused attempt is not counted).
   */
  reserve(email: string, address: string, now: number): { readonly reservation: Reservation } | { readonly retryAfterSeconds: number } {
    const account = this.recent(`a:${email}`, now);
    const pair = this.recent(`p:${email}|${address}`, now);
    const fromAddress = this.recent(`ip:${address}`, now);
    const waits = [
      this.overLimit(pair, this.limits.perAccountAddress, now),
      this.overLimit(fromAddress, this.limits.perAddress, now),
      this.backoff(account, now),
    ];
    const wait = Math.max(...waits);
    if (wait > 0) return { retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    for (const [key, list] of [
      [`a:${email}`, account],
      [`p:${email}|${address}`, pair],
      [`ip:${address}`, fromAddress],
    ] as const) {
      list.push(now);
      this.attempts.set(key, list);
    }
    return { reservation: { email, address, at: now } };
  }

  /** The password was right: the attempt was no guess, and the account starts afresh. */
  succeeded(reservation: Reservation): void {
    this.attempts.delete(`a:${reservation.email}`);
    this.attempts.delete(`p:${reservation.email}|${reservation.address}`);
    const fromAddress = this.attempts.get(`ip:${reservation.address}`);
    const index = fromAddress?.lastIndexOf(reservation.at) ?? -1;
    if (fromAddress && index >= 0) fromAddress.splice(index, 1);
  }

  /** Keys currently remembered (for tests of the bound). */
  get size(): number {
    return this.attempts.size;
  }

  private recent(key: string, now: number): number[] {
    return (this.attempts.get(key) ?? []).filter((at) => at > now - this.limits.windowMs);
  }

  private overLimit(recent: readonly number[], limit: number, now: number): number {
    if (recent.length < limit) return 0;
    const oldestCounted = recent[recent.length - limit] ?? now;
    return oldestCounted + this.limits.windowMs - now;
  }

  private backoff(recent: readonly number[], now: number): number {
    const beyond = recent.length - this.limits.accountFreeAttempts;
    if (beyond < 0) return 0;
    const gap = Math.min(1000 * 2 ** beyond, this.limits.accountBackoffMaxMs);
    const last = recent[recent.length - 1] ?? now;
    return Math.max(0, last + gap - now);
  }
}
