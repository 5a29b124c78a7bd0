// What a state holds, whichever store keeps it: managed entries per location, adoptions, and the
// run journals (start, per-path intent and outcome, end), as plain data.

export type NodeKind = "dir" | "file";
export type RunKind = "apply" | "undo";
export type PermText = "r" | "w" | "x" | string;

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
  v: PermText | null;
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
}

export interface JournalChange {
  t: "change";
  path: string;
  type: NodeKind;
  before: string;
  after: string;
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
  before: string;
  after: string;
  /** done: written; fail: refused or failed; pending: the process died between intent and outcome. */
  status: "done" | "fail" | "pending";
}

export interface RunJournal {
  start: JournalStart;
  end?: JournalEnd;
  changes: JournalRecord[];
}

export interface RunInfo {
  run: string;
  kind: RunKind;
  time: string;
  of?: string;
  complete: boolean;
  changes: number;
}

/** Folds a run's records, in the order written, into one record per path with its last status. */
export function foldJournal(
  start: JournalStart,
  end: JournalEnd | undefined,
  lines: Iterable<JournalChange | JournalOutcome>,
): RunJournal {
  const changes = new Map<string, JournalRecord>();
  for (const rec of lines) {
    if (rec.t === "change") {
      changes.set(rec.path, {
        path: rec.path,
        type: rec.type,
        before: rec.before,
        after: rec.after,
        status: "pending",
      });
    } else {
      const c = changes.get(rec.path);
      if (c) c.status = rec.t;
    }
  }
  return { start, ...(end ? { end } : {}), changes: [...changes.values()] };
}
