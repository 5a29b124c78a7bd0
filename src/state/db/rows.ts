// How journal and run records map to rows of the state database, and back.

import { aclFromRecord } from "../../acl/record.ts";
import { GsError } from "../../errors.ts";
import type {
  JournalChange,
  JournalEnd,
  JournalFail,
  JournalRecord,
  JournalStart,
  RunJournal,
  RunTrigger,
} from "../model.ts";
import type { Row } from "./sql.ts";

/**
 * A path's outcome as a row: the database records each written path (a directory's journal settles
 * a prefix of its changes with one `upto` record instead).
 */
export type JournalOutcome = JournalFail | { t: "done"; path: string };

export const JOURNAL_COLUMNS = "gs_journal (run, t, path, type, before_acl, after_acl, code, message, epoch)";

export function journalRow(run: string, l: JournalChange | JournalOutcome, epoch: number): unknown[] {
  if (l.t === "change")
    return [run, l.t, l.path, l.type, JSON.stringify(l.before), JSON.stringify(l.after), null, null, epoch];
  const fail = l.t === "fail" ? l : undefined;
  return [run, l.t, l.path, null, null, null, fail?.code ?? null, fail?.message ?? null, epoch];
}

export function lineOf(r: Row, where: string): JournalChange | JournalOutcome {
  if (r.t === "change") {
    return {
      t: "change",
      path: r.path!,
      type: r.type as JournalChange["type"],
      before: json(r.before_acl, where),
      after: json(r.after_acl, where),
    };
  }
  return {
    t: r.t as JournalOutcome["t"],
    path: r.path!,
    ...(r.code ? { code: r.code } : {}),
    ...(r.message ? { message: r.message } : {}),
  };
}

export function startOf(r: Row): JournalStart {
  return {
    t: "start",
    run: r.run!,
    kind: r.kind as JournalStart["kind"],
    time: r.started!,
    target: r.target!,
    ...(r.of_run ? { of: r.of_run } : {}),
    ...(r.user_name ? { user: r.user_name } : {}),
    ...(r.trigger_kind ? { trigger: r.trigger_kind as RunTrigger } : {}),
  };
}

export function endOf(r: Row, where: string): JournalEnd | undefined {
  return r.ended ? { t: "end", time: r.ended, summary: json(r.summary, where) } : undefined;
}

export function json<T>(text: string | null | undefined, where: string): T {
  try {
    return JSON.parse(text ?? "") as T;
  } catch (err) {
    throw new GsError("GS_STATE", `a state row is not JSON: ${(err as Error).message}`, { location: where });
  }
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
