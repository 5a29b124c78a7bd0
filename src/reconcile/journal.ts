// The audit trail: one JSON-lines file per run, each changed path's ACL before and after written
// before the write, its outcome after it. `undo` and `runs` read these files back.

import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Acl } from "../acl/entry.ts";
import { aclFromRecord, aclToRecord, type EntryRecord } from "../acl/record.ts";
import { GsError } from "../errors.ts";
import type { NodeType } from "../targets/target.ts";

export type RunKind = "apply" | "undo";

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
  type: NodeType;
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

type JournalLine = JournalStart | JournalChange | JournalOutcome | JournalEnd;

export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

export class JournalWriter {
  readonly run: string;
  readonly file: string;
  private fd: number;
  /** Outcome lines wait to share the next write: one syscall per path instead of two. */
  private pending = "";

  constructor(dir: string, start: Omit<JournalStart, "t" | "time">) {
    this.run = start.run;
    this.file = join(dir, `${start.run}.jsonl`);
    this.fd = openSync(this.file, "ax", 0o640);
    this.line({ t: "start", time: new Date().toISOString(), ...start });
  }

  /**
   * Written (to the kernel, which survives a kill -9) before the path is touched, together with the
   * previous path's outcome. A crash can lose only the last outcome: that path reads as pending.
   */
  change(path: string, type: NodeType, before: Acl, after: Acl): void {
    this.line({ t: "change", path, type, before: aclToRecord(before), after: aclToRecord(after) });
  }

  outcome(path: string, ok: boolean, error?: { code: string; message: string }): void {
    const rec: JournalOutcome = ok ? { t: "done", path } : { t: "fail", path, ...error };
    this.pending += `${JSON.stringify(rec)}\n`;
  }

  end(summary: Record<string, number>): void {
    this.line({ t: "end", time: new Date().toISOString(), summary });
    this.close();
  }

  /** Closes without an end record: the run stopped, and `runs` lists it as incomplete. */
  close(): void {
    if (this.fd < 0) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private line(rec: JournalLine): void {
    writeSync(this.fd, `${this.pending}${JSON.stringify(rec)}\n`);
    this.pending = "";
  }
}

export interface JournalRecord {
  path: string;
  type: NodeType;
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

export function readRun(dir: string, run: string): RunJournal {
  if (!/^[\w.-]+$/.test(run)) throw new GsError("GS_RUN_UNKNOWN", `"${run}" is not a run id`, { input: run });
  const file = join(dir, `${run}.jsonl`);
  if (!existsSync(file)) throw new GsError("GS_RUN_UNKNOWN", `no journal for run ${run}`, { location: file });
  return parseJournal(readFileSync(file, "utf8"), file);
}

export function parseJournal(text: string, file: string): RunJournal {
  let start: JournalStart | undefined;
  let end: JournalEnd | undefined;
  const changes = new Map<string, JournalRecord>();
  const lines = text.split("\n");
  for (const [i, raw] of lines.entries()) {
    if (raw === "") continue;
    let rec: JournalLine;
    try {
      rec = JSON.parse(raw) as JournalLine;
    } catch (err) {
      if (i === lines.length - 1 || (i === lines.length - 2 && lines.at(-1) === "")) break; // torn last line
      throw new GsError("GS_JOURNAL", `line ${i + 1} is not JSON`, {
        location: `${file}:${i + 1}`,
        cause: err,
      });
    }
    if (rec.t === "start") start = rec;
    else if (rec.t === "end") end = rec;
    else if (rec.t === "change") {
      const before = aclFromRecord(rec.before);
      const after = aclFromRecord(rec.after);
      if (!before || !after || typeof rec.path !== "string" || (rec.type !== "dir" && rec.type !== "file")) {
        throw new GsError("GS_JOURNAL", `line ${i + 1} is not a well-formed change record`, {
          location: `${file}:${i + 1}`,
        });
      }
      changes.set(rec.path, { path: rec.path, type: rec.type, before, after, status: "pending" });
    } else {
      const c = changes.get(rec.path);
      if (c) c.status = rec.t;
    }
  }
  if (!start) throw new GsError("GS_JOURNAL", "journal has no start record", { location: file });
  return { start, ...(end ? { end } : {}), changes: [...changes.values()] };
}

export interface RunInfo {
  run: string;
  kind: RunKind;
  time: string;
  of?: string;
  complete: boolean;
  changes: number;
}

export function listRuns(dir: string): RunInfo[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .sort()
    .flatMap((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      // Killed between creating the file and finishing its start line: nothing ran under it.
      if (!text.includes("\n")) return [];
      const j = parseJournal(text, join(dir, f));
      return {
        run: j.start.run,
        kind: j.start.kind,
        time: j.start.time,
        ...(j.start.of ? { of: j.start.of } : {}),
        complete: j.end !== undefined,
        changes: j.changes.length,
      };
    });
}
