// `grantsync state upgrade`: converts a state directory written before records carried checksums
// (managed.json without one, adoption lines without `c`, journals holding ACLs as spec text and
// one outcome line per path) to today's format, all or nothing, so what it owns is not forgotten.

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { aclToRecord, type EntryRecord } from "../acl/record.ts";
import { parseAclSpec } from "../acl/spec.ts";
import { GsError } from "../errors.ts";
import type { NodeType } from "../targets/target.ts";
import { decodeLine, encodeLine, type JournalChange, type JournalLine } from "./journal-record.ts";
import { acquireLock } from "./lock.ts";
import { adoptionLine, atomicWrite, parseAdoption, StateStore as StateDir } from "./state.ts";

export interface UpgradeSummary {
  dir: string;
  managed: "upgraded" | "current" | "absent";
  /** Adoption records rewritten with a checksum (records already current are kept as they are). */
  adoptions: number;
  /** Journals converted, and the changes they hold. */
  journals: number;
  changes: number;
  dryRun: boolean;
}

interface Rewrite {
  file: string;
  text: string;
}

type Refuse = (location: string, why: string) => never;

const refuse: Refuse = (location, why) => {
  throw new GsError("GS_STATE", `cannot upgrade: ${why}; nothing was written`, { location });
};

function read(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const isPerm = (v: unknown): boolean =>
  v === null || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 7);

function upgradeManaged(files: StateDir): ["upgraded" | "current" | "absent", object | undefined] {
  const text = read(files.stateFile);
  if (text === undefined) return ["absent", undefined];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    refuse(files.stateFile, "the state file is not JSON");
  }
  if (
    !isObject(parsed) ||
    parsed.version !== 1 ||
    !isObject(parsed.locations) ||
    typeof parsed.target !== "string"
  ) {
    refuse(files.stateFile, "unknown state format");
  }
  if ("checksum" in parsed) {
    files.load(parsed.target); // today's format: throws unless its checksum holds
    return ["current", undefined];
  }
  return ["upgraded", parsed];
}

function upgradeAdoptions(file: string): [Rewrite | undefined, number] {
  const text = read(file);
  if (text === undefined) return [undefined, 0];
  const lines = text.split("\n");
  const out: string[] = [];
  let converted = 0;
  for (const [i, line] of lines.entries()) {
    if (line === "") continue;
    if (parseAdoption(line)) {
      out.push(line);
      continue;
    }
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      if (i === lines.length - 1) break; // a torn last append, never acted on
      refuse(`${file}:${i + 1}`, "an adoption record is not JSON");
    }
    if (
      !isObject(rec) ||
      "c" in rec ||
      typeof rec.p !== "string" ||
      typeof rec.k !== "string" ||
      !isPerm(rec.v)
    ) {
      refuse(`${file}:${i + 1}`, "an adoption record is neither today's nor the earlier format");
    }
    out.push(adoptionLine(rec.p, rec.k, rec.v as number | null));
    converted++;
  }
  return converted === 0 ? [undefined, 0] : [{ file, text: out.map((l) => `${l}\n`).join("") }, converted];
}

interface OldChange {
  rec: JournalChange;
  status: "done" | "fail" | "pending";
  fail?: JournalLine;
}

function records(spec: unknown, where: string): EntryRecord[] {
  if (typeof spec !== "string") refuse(where, "a change holds no ACL text");
  try {
    return aclToRecord(spec === "" ? [] : parseAclSpec(spec));
  } catch {
    return refuse(where, "a change's ACL text does not parse");
  }
}

/** One journal in today's records: settled changes first (one `done` for all), then the pending. */
function convertJournal(file: string, text: string): { text: string; changes: number } | undefined {
  const lines = text.split("\n");
  if (lines.at(-1) !== "") lines.pop(); // a line cut short was never acted on
  if (lines.every((l) => l === "" || !("refused" in decodeLine(l)))) return undefined;
  const head: JournalLine[] = [];
  let end: JournalLine | undefined;
  const changes = new Map<string, OldChange>();
  for (const [i, raw] of lines.entries()) {
    if (raw === "") continue;
    const where = `${file}:${i + 1}`;
    const current = decodeLine(raw);
    let rec: Record<string, unknown>;
    if (!("refused" in current)) rec = current as unknown as Record<string, unknown>;
    else {
      try {
        rec = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        refuse(where, "a journal line is not JSON");
      }
    }
    if (!isObject(rec)) refuse(where, "a journal line is not a record");
    if (rec.t === "start") head.push(rec as unknown as JournalLine);
    else if (rec.t === "end") end = rec as unknown as JournalLine;
    else if (
      rec.t === "change" &&
      typeof rec.path === "string" &&
      (rec.type === "dir" || rec.type === "file")
    ) {
      const change: JournalChange = {
        t: "change",
        path: rec.path,
        type: rec.type as NodeType,
        before: Array.isArray(rec.before) ? (rec.before as EntryRecord[]) : records(rec.before, where),
        after: Array.isArray(rec.after) ? (rec.after as EntryRecord[]) : records(rec.after, where),
      };
      changes.set(rec.path, { rec: change, status: "pending" });
    } else if ((rec.t === "done" || rec.t === "fail") && typeof rec.path === "string") {
      const c = changes.get(rec.path);
      if (!c) refuse(where, "an outcome for a path with no change before it");
      c.status = rec.t;
      if (rec.t === "fail") c.fail = rec as unknown as JournalLine;
    } else refuse(where, "a journal line is neither today's nor the earlier format");
  }
  if (head.length !== 1) refuse(file, "a journal without exactly one start record");
  const all = [...changes.values()];
  const settled = all.filter((c) => c.status !== "pending");
  const out: JournalLine[] = [...head, ...settled.map((c) => c.rec)];
  for (const c of settled) if (c.fail) out.push(c.fail);
  if (settled.length > 0) out.push({ t: "done", upto: settled.length });
  for (const c of all) if (c.status === "pending") out.push(c.rec);
  if (end) out.push(end);
  return { text: out.map(encodeLine).join(""), changes: all.length };
}

/** Converts `dir` in place (or only checks it, with dryRun); GS_STATE at the first record it cannot read. */
export function upgradeStateDir(dir: string, opts: { dryRun?: boolean } = {}): UpgradeSummary {
  const files = new StateDir(dir);
  files.verify();
  const lock = opts.dryRun ? undefined : acquireLock(dir, "state upgrade");
  try {
    const [managed, oldState] = upgradeManaged(files);
    const [adoptions, converted] = upgradeAdoptions(join(dir, "adopted.jsonl"));
    const journals: Rewrite[] = [];
    let changes = 0;
    for (const name of safeList(files.journalDir)) {
      if (!name.endsWith(".jsonl")) continue;
      const file = join(files.journalDir, name);
      const done = convertJournal(file, read(file) ?? "");
      if (done) {
        journals.push({ file, text: done.text });
        changes += done.changes;
      }
    }
    if (!opts.dryRun) {
      // Journals and adoptions first, managed.json last: until it is rewritten, the upgrade is not done.
      for (const w of [...journals, ...(adoptions ? [adoptions] : [])]) atomicWrite(w.file, w.text);
      if (oldState) files.save(oldState as Parameters<StateDir["save"]>[0]);
    }
    return {
      dir,
      managed,
      adoptions: converted,
      journals: journals.length,
      changes,
      dryRun: opts.dryRun === true,
    };
  } finally {
    lock?.release();
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}
