// What a state holds, whichever store keeps it (a directory or a database): managed entries per
// location, adoptions, and the run journals (start, per-path intent and outcome, end), as plain
// data. Both stores write and read these same records; only how they are laid out differs.

import type { Acl, Perm } from "../acl/entry.ts";
import type { EntryRecord } from "../acl/record.ts";

export type NodeKind = "dir" | "file";
export type RunKind = "apply" | "undo";
/** What started a run: a command, the daemon's start or schedule, a watched file, a database source, SIGHUP. */
export type RunTrigger = "cli" | "start" | "schedule" | "watch" | "sources" | "signal";

export interface ManagedLocation {
  objects: string[];
  /** entryKey()s of entries we put on directories / regular files at and below this path. */
  dir: string[];
  file: string[];
}

export interface ManagedState {
  version: 1;
  /** The target this state belongs to (`posix` or `webhdfs:<nameservice>`); another target starts empty. */
  target: string;
  locations: Record<string, ManagedLocation>;
  /** Per directory, the keys of the traverse entries (`--x`, access scope) we put there. */
  traverse?: Record<string, string[]>;
  /** Runs that died or ended unsettled: their journals say which entries they added, path by path. */
  pending?: { runs: string[] };
}

export function emptyState(target: string): ManagedState {
  return { version: 1, target, locations: {} };
}

/** One adoption log record: `v` the foreign entry's permission we widened, null once released. */
export interface AdoptionRecord {
  p: string;
  k: string;
  v: Perm | null;
}

export interface JournalStart {
  t: "start";
  run: string;
  kind: RunKind;
  time: string;
  target: string;
  /** For undo runs: the run being undone. */
  of?: string;
  user?: string;
  trigger?: RunTrigger;
}

export interface JournalChange {
  t: "change";
  path: string;
  type: NodeKind;
  before: EntryRecord[];
  after: EntryRecord[];
}

/** A path that could not be written. */
export interface JournalFail {
  t: "fail";
  path: string;
  code?: string;
  message?: string;
}

export interface JournalEnd {
  t: "end";
  time: string;
  summary: Record<string, number>;
}

export interface JournalRecord {
  path: string;
  type: NodeKind;
  before: Acl;
  after: Acl;
  /** done: written; fail: refused or failed; pending: the process died between intent and outcome. */
  status: "done" | "fail" | "pending";
}

export interface RunJournal {
  start: JournalStart;
  end?: JournalEnd;
  changes: JournalRecord[];
}

/** complete: ended with every path in line; failed: ended with paths left out; interrupted: no end record. */
export type RunStatus = "complete" | "failed" | "interrupted";

export interface RunInfo {
  run: string;
  kind: RunKind;
  time: string;
  of?: string;
  trigger?: RunTrigger;
  status: RunStatus;
  complete: boolean;
  /** Paths the run set out to change, and how many of them it could not. */
  changes: number;
  failed: number;
  /** Named entries, from the run's summary (absent for interrupted runs and undo runs). */
  entriesAdded?: number;
  entriesRemoved?: number;
  entriesChanged?: number;
}

/** A run's status and counts from its end summary and how many of its paths failed. */
export function runInfo(
  start: JournalStart,
  end: JournalEnd | undefined,
  changes: number,
  failed: number,
): RunInfo {
  const summary = end?.summary ?? {};
  const status: RunStatus = !end
    ? "interrupted"
    : failed > 0 || (summary.failed ?? 0) > 0
      ? "failed"
      : "complete";
  const counts = (["entriesAdded", "entriesRemoved", "entriesChanged"] as const).filter(
    (k) => summary[k] !== undefined,
  );
  return {
    run: start.run,
    kind: start.kind,
    time: start.time,
    ...(start.of ? { of: start.of } : {}),
    ...(start.trigger ? { trigger: start.trigger } : {}),
    status,
    complete: end !== undefined,
    changes,
    failed,
    ...Object.fromEntries(counts.map((k) => [k, summary[k]])),
  };
}
