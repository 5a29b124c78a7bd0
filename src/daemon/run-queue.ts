// Runs reconciles one at a time: a trigger while a run is in flight queues exactly one follow-up,
// into which every later trigger is merged (level-based: the follow-up re-reads everything anyway).

export interface RunQueueOptions<T> {
  run: (job: T) => Promise<void>;
  /** Folds a new trigger into the one already waiting. */
  merge: (waiting: T, next: T) => T;
  /** A run that throws is reported here; the queue carries on with the next trigger. */
  onError: (err: unknown) => void;
  /** Told how many triggers wait (0 or 1), for the pending-triggers gauge. */
  onPending?: (n: number) => void;
}

export class RunQueue<T> {
  private readonly opts: RunQueueOptions<T>;
  private waiting: T | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(opts: RunQueueOptions<T>) {
    this.opts = opts;
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  trigger(job: T): void {
    if (this.stopped) return;
    if (this.running) {
      this.waiting = this.waiting === undefined ? job : this.opts.merge(this.waiting, job);
      this.opts.onPending?.(1);
      return;
    }
    this.running = this.loop(job);
  }

  /** Drops the waiting trigger and accepts no more; resolves when the in-flight run is done. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.waiting = undefined;
    this.opts.onPending?.(0);
    await this.running;
  }

  /** Resolves once nothing runs and nothing waits. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(first: T): Promise<void> {
    let job: T | undefined = first;
    while (job !== undefined) {
      await this.opts.run(job).catch(this.opts.onError);
      job = this.stopped ? undefined : this.waiting;
      this.waiting = undefined;
      this.opts.onPending?.(0);
    }
    this.running = undefined;
  }
}
