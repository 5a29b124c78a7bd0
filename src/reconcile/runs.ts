// The runs the journal directory holds, as `grantsync runs` lists them (status, trigger, counts),
// and pruning after a run to [state] keep_runs, oldest complete first, never a pending one.

import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { parseJournal } from "./journal.ts";
import type { RunKind, RunTrigger } from "./journal-record.ts";
import { decodeLine } from "./journal-record.ts";

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

export function listRuns(dir: string): RunInfo[] {
  if (!existsSync(dir)) return [];
  return journalFiles(dir).flatMap((f) => {
    const text = readFileSync(join(dir, f), "utf8");
    // Killed between creating the file and finishing its start line: nothing ran under it.
    if (!text.includes("\n")) return [];
    const j = parseJournal(text, join(dir, f));
    const failed = j.changes.filter((c) => c.status === "fail").length;
    const summary = j.end?.summary ?? {};
    const status: RunStatus = !j.end
      ? "interrupted"
      : failed > 0 || (summary.failed ?? 0) > 0
        ? "failed"
        : "complete";
    const counts = (["entriesAdded", "entriesRemoved", "entriesChanged"] as const).filter(
      (k) => summary[k] !== undefined,
    );
    return {
      run: j.start.run,
      kind: j.start.kind,
      time: j.start.time,
      ...(j.start.of ? { of: j.start.of } : {}),
      ...(j.start.trigger ? { trigger: j.start.trigger } : {}),
      status,
      complete: j.end !== undefined,
      changes: j.changes.length,
      failed,
      ...Object.fromEntries(counts.map((k) => [k, summary[k]])),
    };
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
