// The runs the journal directory holds, as `grantsync runs` lists them (status, trigger, counts),
// and pruning after a run to [state] keep_runs, oldest complete first, never a pending one.

import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { type RunInfo, runInfo } from "../state/model.ts";
import { parseJournal } from "./journal.ts";
import { decodeLine } from "./journal-record.ts";

export type { RunInfo, RunStatus } from "../state/model.ts";

export function listRuns(dir: string): RunInfo[] {
  if (!existsSync(dir)) return [];
  return journalFiles(dir).flatMap((f) => {
    const text = readFileSync(join(dir, f), "utf8");
    // Killed between creating the file and finishing its start line: nothing ran under it.
    if (!text.includes("\n")) return [];
    const j = parseJournal(text, join(dir, f));
    const failed = j.changes.filter((c) => c.status === "fail").length;
    return runInfo(j.start, j.end, j.changes.length, failed);
  });
}

/**
 * Deletes the oldest journals that ended until at most `keep` remain. Runs in `pending` (their
 * entries may still be owned through them), runs without an end record, and the newest run (the
 * one whose undo hint was just printed) are never deleted.
 */
export function pruneRuns(dir: string, keep: number, pending: ReadonlySet<string>): string[] {
  if (!existsSync(dir)) return [];
  const files = journalFiles(dir);
  let excess = files.length - keep;
  const removed: string[] = [];
  for (const f of files.slice(0, -1)) {
    if (excess <= 0) break;
    const run = f.slice(0, -".jsonl".length);
    if (pending.has(run) || !hasEnd(join(dir, f))) continue;
    unlinkSync(join(dir, f));
    removed.push(run);
    excess--;
  }
  return removed;
}

/** Run ids start with their UTC time, so the name order is the time order. */
function journalFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort();
}

function hasEnd(file: string): boolean {
  const last = readFileSync(file, "utf8").trimEnd().split("\n").at(-1) ?? "";
  const rec = decodeLine(last);
  return "t" in rec && rec.t === "end";
}
