/** The only source of "now" in Tocsin: injected everywhere so tests can fast-forward time. */
export interface Clock {
  /** Current time as UTC milliseconds since the epoch. */
  now(): number;
}

/** Wall-clock time for production. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; used by the test harness. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 5, 9, 0, 0)) {}

  now(): number {
    return this.current;
  }

  /** Moves time forward by `ms` milliseconds. */
  advance(ms: number): void {
    if (ms < 0) throw new RangeError('a clock cannot go backwards');
    this.current += ms;
  }

  /** Jumps to an absolute instant (must not be in the past). */
  set(instant: number): void {
    this.advance(instant - this.current);
  }
}
