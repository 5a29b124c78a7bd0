// The state store interface: what apply, undo, runs and the daemon need from a state, so a local
// directory and a shared database are interchangeable and the reconcile code never knows which.

import type {
  AdoptionRecord,
  JournalChange,
  JournalEnd,
  JournalOutcome,
  JournalStart,
  ManagedState,
  RunInfo,
  RunJournal,
} from "./model.ts";

/**
 * What one batch makes durable before any of its paths is written (the write-ahead rule): the
 * intents of the batch's paths, the outcomes of the paths written before it, and the adoptions the
 * batch relies on. Either all of it is committed or none.
 */
export interface StateBatch {
  /** The run the journal lines belong to; it must have been started. */
  run?: string;
  lines: (JournalChange | JournalOutcome)[];
  adoptions: AdoptionRecord[];
}

/**
 * The right to write: held by one process per state at a time. `epoch` grows with every new holder,
 * and a store refuses writes made under an epoch that is no longer current (fencing).
 */
export interface WriterLease {
  readonly epoch: number;
  /** Set (synchronously) as soon as the lease is known lost; cheap enough to test per path. */
  readonly lost: boolean;
  /** Confirms the lease with the store before a batch; throws GS_LEADERSHIP_LOST when it is gone. */
  check(): Promise<void>;
  /** Called once when the lease is lost (connection broken, lock gone, epoch moved on). */
  onLost(listener: (reason: string) => void): void;
  release(): Promise<void>;
}

export interface StateStore {
  /** Where the state lives, without secrets: a directory or a redacted URL. */
  readonly where: string;
  /** Takes the writer lease, or returns undefined with the current holder when another has it. */
  tryAcquireWriter(purpose: string): Promise<WriterLease | { holder: string }>;
  loadManaged(target: string): Promise<ManagedState>;
  /** Replaces the managed state atomically: a crash leaves the old or the new one. */
  saveManaged(state: ManagedState): Promise<void>;
  /** The adoption log, in the order recorded; replaying it gives each path's adopted keys. */
  loadAdoptions(): Promise<AdoptionRecord[]>;
  /** Replaces the adoption log with its compacted form (after a complete run). */
  replaceAdoptions(current: AdoptionRecord[]): Promise<void>;
  startRun(start: JournalStart): Promise<void>;
  commit(batch: StateBatch): Promise<void>;
  endRun(run: string, end: JournalEnd, last: StateBatch): Promise<void>;
  readRun(run: string): Promise<RunJournal>;
  listRuns(): Promise<RunInfo[]>;
  close(): Promise<void>;
}
