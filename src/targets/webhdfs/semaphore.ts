// A counting semaphore that caps requests in flight to the NameNode, whatever the number of
// callers (walk workers, reconcile writers); waiters are served first come, first served, urgent
// ones (listings, which find the next work) before the rest.

export class Semaphore {
  private available: number;
  private readonly waiters: (() => void)[] = [];
  private readonly urgent: (() => void)[] = [];

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`permits must be ≥ 1: ${permits}`);
    this.available = permits;
  }

  async run<T>(task: () => Promise<T>, urgent = false): Promise<T> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => (urgent ? this.urgent : this.waiters).push(resolve));
    try {
      return await task();
    } finally {
      // Hand the permit straight to the next waiter so a newcomer cannot overtake it.
      const next = this.urgent.shift() ?? this.waiters.shift();
      if (next) next();
      else this.available++;
    }
  }
}
