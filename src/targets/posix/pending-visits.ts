// The walk's visits that are still settling: at most MAX_PENDING at once, each holding its node's fd,
// so a writer that journals in batches (one flush for many paths) gets batches that large.

export const MAX_PENDING = 1024;

/** Visits still settling; a failure is kept and thrown at the walk's next wait. */
export class PendingVisits {
  private readonly inflight = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;

  add(visit: Promise<void>): void {
    const tracked: Promise<void> = visit.then(
      () => {
        this.inflight.delete(tracked);
      },
      (error: unknown) => {
        this.inflight.delete(tracked);
        this.failure ??= { error };
      },
    );
    this.inflight.add(tracked);
  }

  get full(): boolean {
    return this.inflight.size >= MAX_PENDING;
  }

  /** Waits for every pending visit, then throws the first failure among them. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all(this.inflight);
    if (this.failure) throw this.failure.error;
  }
}
