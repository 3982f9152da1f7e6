import type { Clock } from '../core/clock.js';
import type { Log } from '../core/log.js';

/** Extends this worker's leases on `ids` until `until`; returns the ids it still holds. */
export type RenewLeases = (ids: readonly string[], until: number) => Promise<readonly string[]>;

/**
 * The one claim discipline of the engine (DESIGN §4), for jobs and outbox rows alike: a row is claimed
 * with a lease; while the work runs the lease is renewed every third of its length; a row whose
 * renewal finds it taken over (the lease expired, e.g. during a long pause) is marked lost and its
 * holder drops it before acting (`holds(id)` is checked right before a vendor call and before results
 * are written, which are conditional on the lease too). A crashed holder stops renewing, its leases
 * expire, and another node claims the rows.
 */
export class LeaseKeeper {
  /** Row id → the time its lease runs out, as last written by us. */
  private readonly held = new Map<string, number>();
  private readonly lost = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly name: string,
    private readonly leaseMs: number,
    private readonly clock: Clock,
    private readonly renew: RenewLeases,
    private readonly log: Pick<Log, 'warn' | 'info'>,
  ) {}

  /** Starts keeping leases on freshly claimed rows, whose leases run until `until`. */
  add(ids: readonly string[], until: number): void {
    for (const id of ids) {
      this.held.set(id, until);
      this.lost.delete(id);
    }
    this.arm();
  }

  /** The work on `id` is over (its result is written or it was dropped). */
  release(id: string): void {
    this.held.delete(id);
    this.lost.delete(id);
    if (this.held.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  /** False once a renewal found the row taken over by another worker. */
  holds(id: string): boolean {
    return this.held.has(id) && !this.lost.has(id);
  }

  /**
   * True when every one of `ids` is still ours with at least `marginMs` of lease left, renewing first
   * if needed: checked right before an irreversible step (a vendor call), so a holder that stalled past
   * its lease (a long GC pause, a starved event loop) does not act on a row another node may have taken.
   */
  async ensure(ids: readonly string[], marginMs: number): Promise<boolean> {
    const enough = () => ids.every((id) => this.holds(id) && (this.held.get(id) ?? 0) - this.clock.now() >= marginMs);
    if (enough()) return true;
    await this.renewNow();
    return enough();
  }

  /** Renews now (also what the timer does). */
  async renewNow(): Promise<void> {
    if (this.renewing) return this.renewing;
    const ids = [...this.held.keys()].filter((id) => !this.lost.has(id));
    if (ids.length === 0) return;
    const until = this.clock.now() + this.leaseMs;
    this.renewing = this.renew(ids, until)
      .then((kept) => {
        const still = new Set(kept);
        for (const id of ids) {
          if (!this.held.has(id)) continue;
          if (still.has(id)) this.held.set(id, until);
          else this.lost.add(id);
        }
        if (kept.length < ids.length) this.log.info({ loop: this.name, lost: ids.length - kept.length }, 'leases no longer held (finished meanwhile, or taken over by another worker)');
      })
      .catch((error: unknown) => this.log.warn({ loop: this.name, err: error }, 'renewing leases failed; will retry'))
      .finally(() => {
        this.renewing = undefined;
      });
    return this.renewing;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.timer || this.held.size === 0) return;
    this.timer = setInterval(() => void this.renewNow(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }
}
