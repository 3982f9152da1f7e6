/**
 * When to try a failed notification again (SPEC §8.1), as a pure function of the attempt, the
 * vendor's answer and whether the page is still wanted. `random` ∈ [0, 1) is passed in, not read.
 */

/** Pages of an escalation; the other kinds are follow-ups, verification codes… */
export const ESCALATION_KINDS: readonly string[] = ['trigger', 'repeat', 'escalated'];

/** After this many failed attempts of a page, the person's next method is tried too (the page keeps retrying). */
export const FALLBACK_AFTER_ATTEMPTS = 3;
/** Follow-ups and codes give up after this many attempts. */
export const MAX_OTHER_ATTEMPTS = 6;
const BASE_MS = 5000;
const PAGE_CAP_MS = 5 * 60_000;
const OTHER_CAP_MS = 10 * 60_000;
// A page is never retried past a day, whatever its level says (a rule with no further level).
const PAGE_GIVE_UP_MS = 24 * 3_600_000;

export interface RetryInput {
  /** Attempts made so far, this one included. */
  readonly attempts: number;
  readonly kind: string;
  /** The vendor asked us to come back after this long (rate limit): always honoured, never a give-up. */
  readonly retryAfterMs?: number;
  /** A page: whether its escalation level still lasts (incident triggered, not snoozed, not escalated past it). */
  readonly stillWanted: boolean;
  readonly createdAt: number;
  readonly now: number;
  readonly random: number;
}

export type RetryDecision = { readonly kind: 'retry'; readonly at: number; readonly fallBackNow: boolean } | { readonly kind: 'give-up'; readonly fallBack: boolean };

/** Exponential backoff with ±25 % jitter, so a vendor outage does not end in a synchronized stampede. */
export function backoffMs(attempts: number, capMs: number, random: number): number {
  const base = Math.min(capMs, BASE_MS * 2 ** Math.max(0, Math.min(attempts - 1, 16)));
  return Math.round(base * (0.75 + 0.5 * random));
}

/** The next step after a transient failure. */
export function decideRetry(input: RetryInput): RetryDecision {
  const page = ESCALATION_KINDS.includes(input.kind);
  if (input.retryAfterMs !== undefined && (!page || input.stillWanted)) return { kind: 'retry', at: input.now + input.retryAfterMs, fallBackNow: false };
  if (!page) {
    if (input.attempts >= MAX_OTHER_ATTEMPTS) return { kind: 'give-up', fallBack: false };
    return { kind: 'retry', at: input.now + backoffMs(input.attempts, OTHER_CAP_MS, input.random), fallBackNow: false };
  }
  const fellBackAlready = input.attempts > FALLBACK_AFTER_ATTEMPTS;
  if (!input.stillWanted || input.now - input.createdAt >= PAGE_GIVE_UP_MS) return { kind: 'give-up', fallBack: !fellBackAlready };
  return { kind: 'retry', at: input.now + backoffMs(input.attempts, PAGE_CAP_MS, input.random), fallBackNow: input.attempts === FALLBACK_AFTER_ATTEMPTS };
}
