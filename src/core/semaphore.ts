/**
 * Bounds how many of one kind of work run at once. Password hashing uses it: argon2 runs on the libuv
 * thread pool that DNS lookups share, so a sign-in flood must not occupy every thread while a page
 * waits to resolve its provider's host (issue 10 item 14).
 */
export class SemaphoreFullError extends Error {
  constructor() {
    super('too much work of this kind is already waiting');
    this.name = 'SemaphoreFullError';
  }
}

export class Semaphore {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly maxWaiting: number,
  ) {}

  /** Runs `work` when a slot is free; throws {@link SemaphoreFullError} when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      if (this.waiting.length >= this.maxWaiting) throw new SemaphoreFullError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line; otherwise it is freed.
      if (next) next();
      else this.running -= 1;
    }
  }

  /** Work running now (for tests). */
  get active(): number {
    return this.running;
  }
}
