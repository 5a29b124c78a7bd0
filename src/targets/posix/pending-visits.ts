// The walk's visits that are still settling: at most MAX_PENDING at once, each holding its node's fd
// (or its directory's), so a writer that journals in batches (one flush for many paths) gets
// batches that large, and the walk can stage the next batch while the previous one is flushed.

/**
 * Twice the journal's batch (journal-writer.ts MAX_BATCH): one batch being flushed and written
 * while the walk stages the next.
 */
export const MAX_PENDING = 2048;
/** How many visits the walk adds between turns of the event loop while visits are pending. */
const YIELD_EVERY = 256;
/** A full walk resumes once this few are left: the oldest batch settled. */
const RESUME_AT = MAX_PENDING / 2;

/**
 * Visits still settling; a failure is kept and thrown at the walk's next wait. A counter, not a set
 * of promises, and one reaction per run of visits that returned the same promise (an apply's writer
 * hands every path of a journal batch the batch's promise): on a walk where every visit is async
 * this runs per path.
 */
export class PendingVisits {
  private count = 0;
  private sinceTurn = 0;
  private failure: { error: unknown } | undefined;
  private wake: { below: number; resume: () => void } | undefined;
  /** The latest run of visits sharing one promise: a visit returning it too joins the run. */
  private last: { visit: Promise<void>; settles: (() => void)[] } | undefined;

  /** Tracks `visit`; `settle` runs once it settled either way (it closes what the visit held). */
  add(visit: Promise<void>, settle: () => void): void {
    this.count++;
    const last = this.last;
    if (last !== undefined && last.visit === visit) {
      last.settles.push(settle);
      return;
    }
    const run = { visit, settles: [settle] };
    this.last = run;
    Promise.resolve(visit).then(
      () => this.settled(run),
      (error: unknown) => {
        this.failure ??= { error };
        this.settled(run);
      },
    );
  }

  /** Settles a run's visits in the order they were added; one that throws does not stop the rest. */
  private settled(run: { settles: (() => void)[] }): void {
    if (this.last === run) this.last = undefined;
    for (const settle of run.settles) {
      try {
        this.done(settle);
      } catch (error) {
        this.failure ??= { error };
      }
    }
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

  /**
   * Whether the walk should let the event loop turn now: every YIELD_EVERY visits while some are
   * pending, so a batch that landed is written (and the next one sent) while the walk goes on,
   * rather than only once the walk stops with MAX_PENDING of them waiting.
   */
  due(): boolean {
    if (this.count === 0) return false;
    if (++this.sinceTurn < YIELD_EVERY) return false;
    this.sinceTurn = 0;
    return true;
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
