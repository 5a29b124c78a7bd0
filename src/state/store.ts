// The state store interface: what plan, apply, undo, runs and the daemon need from a state, so a
// local directory and a shared database are interchangeable and the reconcile code never knows which.

import type { Acl, Perm } from "../acl/entry.ts";
import { GsError } from "../errors.ts";
import type { AdoptionRecord, JournalStart, ManagedState, NodeKind, RunInfo, RunJournal } from "./model.ts";

/**
 * The right to write: held by one process per state at a time. `epoch` grows with every new holder,
 * and a database store refuses writes made under an epoch that is no longer current (fencing).
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

/** Foreign entries we widened, per path, so a revocation gives back exactly what was there. */
export interface AdoptionLog {
  get(path: string): ReadonlyMap<string, Perm>;
  /** Durable no later than the journal batch of the next path written (write-ahead). */
  record(path: string, adopted: ReadonlyMap<string, Perm>, released: readonly string[]): void;
  /** Makes what was recorded durable without waiting for a journal batch. */
  flush(): Promise<void>;
  /** Rewrites the log as its current content (after a complete run). */
  compact(): Promise<void>;
  /** The current content, one record per adopted entry. */
  entries(): AdoptionRecord[];
}

/** One run's journal: every path's before and after is durable before the path is written. */
export interface RunWriter {
  readonly run: string;
  /** Resolves once the batch holding this path's intent is durable; then, and only then, write it. */
  intend(path: string, type: NodeKind, before: Acl, after: Acl): Promise<void>;
  /** Rides with the next batch: a crash can lose only outcomes, which read back as pending. */
  outcome(path: string, ok: boolean, error?: { code: string; message: string }): void;
  end(summary: Record<string, number>): Promise<void>;
  /** Stops without an end record: the run is listed as incomplete. */
  close(): Promise<void>;
}

export interface StateStore {
  /** Where the state lives, without secrets: a directory or a redacted URL. */
  readonly where: string;
  /** Takes the writer lease, or tells who holds it. */
  tryAcquireWriter(purpose: string): Promise<WriterLease | { holder: string }>;
  loadManaged(target: string): Promise<ManagedState>;
  /** Replaces the managed state atomically: a crash leaves the old or the new one. */
  saveManaged(state: ManagedState): Promise<void>;
  loadAdoptions(): Promise<AdoptionLog>;
  /** `time` defaults to now; a copied run keeps its own. */
  openRun(start: Omit<JournalStart, "t" | "time"> & { time?: string }): Promise<RunWriter>;
  readRun(run: string): Promise<RunJournal>;
  listRuns(): Promise<RunInfo[]>;
  /**
   * Deletes the oldest ended runs until at most `keep` remain; never a run in `pending`, one without
   * an end, or the newest. Returns the runs deleted.
   */
  pruneRuns(keep: number, pending: ReadonlySet<string>): Promise<string[]>;
  close(): Promise<void>;
}

/** The error every writer stops with once its lease is gone. */
export function leaseLost(where: string, reason = "the writer lease was lost"): GsError {
  return new GsError("GS_LEADERSHIP_LOST", `stopped writing: ${reason}`, { location: where });
}
