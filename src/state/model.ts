// What a state holds, whichever store keeps it: managed entries per location, adoptions, and the
// run journals (start, per-path intent and outcome, end), as plain data.

import type { Acl, Perm } from "../acl/entry.ts";
import { aclFromRecord, type EntryRecord } from "../acl/record.ts";
import { GsError } from "../errors.ts";

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

export interface JournalOutcome {
  t: "done" | "fail";
  path: string;
  code?: string;
  message?: string;
}

export interface JournalEnd {
  t: "end";
  time: string;
  summary: Record<string, number>;
}

export type JournalLine = JournalStart | JournalChange | JournalOutcome | JournalEnd;

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

/**
 * Folds a run's records, in the order written, into one record per path with its last status. A
 * state is input like any other: a malformed change record refuses the run (`where` names it).
 */
export function foldJournal(
  start: JournalStart,
  end: JournalEnd | undefined,
  lines: Iterable<JournalChange | JournalOutcome>,
  where: string,
): RunJournal {
  const changes = new Map<string, JournalRecord>();
  for (const rec of lines) {
    if (rec.t === "change") {
      const before = aclFromRecord(rec.before);
      const after = aclFromRecord(rec.after);
      if (!before || !after || typeof rec.path !== "string" || (rec.type !== "dir" && rec.type !== "file")) {
        throw new GsError("GS_JOURNAL", `run ${start.run} holds a malformed change record`, {
          location: where,
          input: rec.path,
        });
      }
      changes.set(rec.path, { path: rec.path, type: rec.type, before, after, status: "pending" });
    } else {
      const c = changes.get(rec.path);
      if (c) c.status = rec.t;
    }
  }
  return { start, ...(end ? { end } : {}), changes: [...changes.values()] };
}
