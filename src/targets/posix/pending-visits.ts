// The walk's visits that are still settling: at most MAX_PENDING at once, each holding its node's fd
// (or its directory's), so a writer that journals in batches (one flush for many paths) gets
// batches that large.

export const MAX_PENDING = 1024;

/**
 * Visits still settling; a failure is kept and thrown at the walk's next wait. A counter and one
 * reaction per visit, not a set of promises: on a walk where every visit is async this runs per path.
 */
export class PendingVisits {
  private count = 0;
  private failure: { error: unknown } | undefined;
  private idle: (() => void) | undefined;

  /** Tracks `visit`; `settle` runs once it settled either way (it closes what the visit held). */
  add(visit: Promise<void>, settle: () => void): void {
    this.count++;
    Promise.resolve(visit).then(
      () => this.done(settle),
      (error: unknown) => {
        this.failure ??= { error };
        this.done(settle);
      },
    );
  }

  private done(settle: () => void): void {
    try {
      settle();
    } finally {
      if (--this.count === 0 && this.idle) {
        const wake = this.idle;
        this.idle = undefined;
        wake();
      }
    }
  }

  get full(): boolean {
    return this.count >= MAX_PENDING;
  }

  /** Waits for every pending visit, then throws the first failure among them. */
  async drain(): Promise<void> {
    while (this.count > 0) {
      await new Promise<void>((resolve) => {
        this.idle = resolve;
      });
    }
    if (this.failure) throw this.failure.error;
  }
}
