// The audit trail read back: one JSON-lines file per run (see journal-record.ts for a line,
// journal-writer.ts for how it is written ahead of the paths). `undo` and `runs` read these files.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { aclFromRecord } from "../acl/record.ts";
import { GsError } from "../errors.ts";
import type { JournalRecord, RunJournal } from "../state/model.ts";
import {
  decodeLine,
  type JournalEnd,
  type JournalLine,
  type JournalStart,
  NO_CHECKSUM,
} from "./journal-record.ts";
import { UPGRADE_HINT } from "./state.ts";

export type { JournalRecord, RunJournal } from "../state/model.ts";
export type {
  JournalChange,
  JournalEnd,
  JournalOutcome,
  JournalStart,
  RunKind,
  RunTrigger,
} from "./journal-record.ts";

/** A line that is not a record grantsync wrote, at `file:line`. */
export interface RefusedLine {
  line: number;
  location: string;
  reason: string;
}

/** Every line of one journal file, checked: the records with their line numbers, and the refusals. */
export interface ScannedJournal {
  records: { line: number; rec: JournalLine }[];
  refused: RefusedLine[];
  /** The file ends in a fragment without a newline: a write cut short, never acted on. */
  torn: boolean;
}

export function scanJournal(text: string, file: string): ScannedJournal {
  const out: ScannedJournal = { records: [], refused: [], torn: false };
  const lines = text.split("\n");
  // Every record ends with a newline: whatever follows the last one was cut short.
  const last = lines.pop();
  if (last !== undefined && last !== "") out.torn = true;
  for (const [i, raw] of lines.entries()) {
    const rec = decodeLine(raw);
    if ("refused" in rec)
      out.refused.push({ line: i + 1, location: `${file}:${i + 1}`, reason: rec.refused });
    else out.records.push({ line: i + 1, rec });
  }
  return out;
}

export function readJournalFile(file: string): ScannedJournal {
  return scanJournal(readFileSync(file, "utf8"), file);
}

export function readRun(dir: string, run: string): RunJournal {
  if (!/^[\w.-]+$/.test(run)) throw new GsError("GS_RUN_UNKNOWN", `"${run}" is not a run id`, { input: run });
  const file = join(dir, `${run}.jsonl`);
  if (!existsSync(file)) throw new GsError("GS_RUN_UNKNOWN", `no journal for run ${run}`, { location: file });
  return parseJournal(readFileSync(file, "utf8"), file);
}

/** The run a journal describes; GS_JOURNAL at the first refused line (a journal is trusted whole or not at all). */
export function parseJournal(text: string, file: string): RunJournal {
  const scanned = scanJournal(text, file);
  const bad = scanned.refused[0];
  if (bad) {
    throw new GsError("GS_JOURNAL", `${bad.reason} (${scanned.refused.length} line(s) refused)`, {
      location: bad.location,
      ...(bad.reason === NO_CHECKSUM ? { hint: UPGRADE_HINT } : {}),
    });
  }
  let start: JournalStart | undefined;
  let end: JournalEnd | undefined;
  const changes = new Map<string, JournalRecord>();
  // In the order recorded: a done record settles a prefix of them.
  const inOrder: JournalRecord[] = [];
  let settled = 0;
  for (const { rec } of scanned.records) {
    if (rec.t === "start") start = rec;
    else if (rec.t === "end") end = rec;
    else if (rec.t === "change") {
      // decodeLine checked both records.
      const before = aclFromRecord(rec.before)!;
      const after = aclFromRecord(rec.after)!;
      const record: JournalRecord = { path: rec.path, type: rec.type, before, after, status: "pending" };
      changes.set(rec.path, record);
      inOrder.push(record);
    } else if (rec.t === "fail") {
      const c = changes.get(rec.path);
      if (c) c.status = "fail";
    } else {
      for (; settled < Math.min(rec.upto, inOrder.length); settled++) {
        const c = inOrder[settled]!;
        if (c.status === "pending") c.status = "done";
      }
    }
  }
  if (!start) throw new GsError("GS_JOURNAL", "journal has no start record", { location: file });
  return { start, ...(end ? { end } : {}), changes: [...changes.values()] };
}
