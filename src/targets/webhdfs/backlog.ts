// The read backlog every walk of one client shares: another directory is listed only while the
// reads out stay under a bound, however many roots are walked at once.

/**
 * Another directory's listing starts only while the reads out (in flight and queued for a slot),
 * plus those expected from listings started and not yet answered, stay under this many per
 * request slot: one slot's worth in flight and one queued keep every slot busy while the next
 * listing is answered. Listing 64 directories at once (64 pages of reads waiting for a slot)
 * cost about a fifth more CPU per path in the no-op bench (75–89 against 60–73 µs).
 */
const BACKLOG_PER_SLOT = 2;

/** A walk's queue of directories waiting for room in the backlog. */
export interface Waiting {
  pump(): void;
}

export class Backlog {
  /** Reads issued and not yet answered. */
  outstanding = 0;
  /** Listings started whose reads are not issued yet. */
  unlisted = 0;
  /** The size of the last page seen: the guess for the reads of a listing not yet answered. */
  pageSize = 1;
  private readonly limit: number;
  private readonly waiting = new Set<Waiting>();

  constructor(slots: number) {
    this.limit = slots * BACKLOG_PER_SLOT;
  }

  admits(): boolean {
    return this.outstanding + this.unlisted * this.pageSize < this.limit;
  }

  join(queue: Waiting): void {
    this.waiting.add(queue);
  }

  leave(queue: Waiting): void {
    this.waiting.delete(queue);
  }

  /** A read answered or a listing's reads issued: every walk may list again while there is room. */
  released(): void {
    for (const queue of this.waiting) {
      if (!this.admits()) return;
      queue.pump();
    }
  }
}
