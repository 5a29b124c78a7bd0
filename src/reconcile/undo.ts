// undo: put back the "before" ACL of every path a run changed, newest first, but only where the
// path still carries exactly what that run wrote; anything changed since is reported, not touched.

import { sortEntries } from "../acl/entry.ts";
import { formatAclSpec, parseAclSpec } from "../acl/spec.ts";
import { GsError, toGsError } from "../errors.ts";
import type { Target } from "../targets/target.ts";
import { JournalWriter, newRunId, readRun } from "./journal.ts";
import { acquireLock } from "./lock.ts";
import type { StateStore } from "./state.ts";

export interface UndoOutcome {
  path: string;
  result: "restored" | "already" | "changed-since" | "missing" | "failed";
  message?: string;
}

export interface UndoResult {
  run: string;
  of: string;
  outcomes: UndoOutcome[];
  restored: number;
  conflicts: number;
  failed: number;
}

export async function undoRun(
  target: Target,
  targetId: string,
  store: StateStore,
  of: string,
): Promise<UndoResult> {
  store.ensure();
  const lock = acquireLock(store.dir, `undo ${of}`);
  try {
    const journal = readRun(store.journalDir, of);
    if (journal.start.target !== targetId) {
      throw new GsError("GS_RUN_UNKNOWN", `run ${of} was made on ${journal.start.target}, not ${targetId}`, {
        input: of,
      });
    }
    const run = newRunId();
    let writer: JournalWriter | undefined;
    const outcomes: UndoOutcome[] = [];
    for (const rec of [...journal.changes].reverse()) {
      if (rec.status === "fail") continue;
      const node = await target.node(rec.path);
      if (!node) {
        outcomes.push({ path: rec.path, result: "missing" });
        continue;
      }
      const current = formatAclSpec(sortEntries(node.acl));
      if (current === rec.before) {
        outcomes.push({ path: rec.path, result: "already" });
        continue;
      }
      if (current !== rec.after) {
        outcomes.push({ path: rec.path, result: "changed-since", message: `now ${current}` });
        continue;
      }
      writer ??= new JournalWriter(store.journalDir, { run, kind: "undo", of, target: targetId });
      writer.change(rec.path, rec.type, current, rec.before);
      try {
        await node.write(parseAclSpec(rec.before));
        writer.outcome(rec.path, true);
        outcomes.push({ path: rec.path, result: "restored" });
      } catch (err) {
        const e = toGsError(err, "GS_TARGET_IO", { location: rec.path });
        writer.outcome(rec.path, false, { code: e.code, message: e.message });
        outcomes.push({ path: rec.path, result: "failed", message: e.format() });
      }
    }
    const count = (r: UndoOutcome["result"]) => outcomes.filter((o) => o.result === r).length;
    const result = {
      run,
      of,
      outcomes,
      restored: count("restored"),
      conflicts: count("changed-since"),
      failed: count("failed"),
    };
    writer?.end({ restored: result.restored, conflicts: result.conflicts, failed: result.failed });
    return result;
  } finally {
    lock.release();
  }
}
