// The walk's visits that are still settling: at most MAX_PENDING at once, each holding its node's fd
// (or its directory's), so a writer that journals in batches (one flush for many paths) gets
// batches that large, and the walk can stage the next batch while the previous one is flushed.

/**
 * Twice the journal's batch (journal-writer.ts MAX_BATCH): one batch being flushed and written
 * while the walk stages the next.
 */
export const MAX_PENDING = 2048;
/** A full walk resumes once this few are left: the oldest batch settled. */
const RESUME_AT = MAX_PENDING / 2;

/**
 * Visits still settling; a failure is kept and thrown at the walk's next wait. A counter and one
 * reaction per visit, not a set of promises: on a walk where every visit is async this runs per path.
 */
export class PendingVisits {
  private count = 0;
  private failure: { error: unknown } | undefined;
  private wake: { below: number; resume: () => void } | undefined;

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
      if (--this.count <= (this.wake?.below ?? -1)) {
        const { resume } = this.wake!;
        this.wake = undefined;
        resume();
      }
    }
  }

  get full(): boolean {
    return this.count >= MAX_PENDING;
  }

  /** Waits until the oldest visits settled (RESUME_AT left), then throws the first failure so far. */
  async room(): Promise<void> {
    await this.until(RESUME_AT);
  }

  /** Waits for every pending visit, then throws the first failure among them. */
  async drain(): Promise<void> {
    await this.until(0);
  }

  private async until(below: number): Promise<void> {
    while (this.count > below) {
      await new Promise<void>((resume) => {
        this.wake = { below, resume };
      });
    }
    if (this.failure) throw this.failure.error;
  }
}
