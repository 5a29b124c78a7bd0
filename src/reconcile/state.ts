// What grantsync manages, kept in the state dir so revocation stays exact across restarts:
// per location path the entry keys we put there, plus the foreign entries we widened (adoptions).

import { createHash, randomBytes } from "node:crypto";
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Perm } from "../acl/entry.ts";
import { GsError } from "../errors.ts";
import { AdoptionMap, adoptionRecords } from "../state/adoptions.ts";
import { type AdoptionRecord, emptyState, type ManagedState } from "../state/model.ts";
import { checkStateDir } from "./state-trust.ts";

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_NOFOLLOW } = constants;

export { emptyState, type ManagedLocation, type ManagedState } from "../state/model.ts";

export class StateStore {
  readonly dir: string;
  readonly journalDir: string;
  /** managed.json: rewritten by every apply (a daemon held by the breaker watches it). */
  readonly stateFile: string;
  private readonly adoptionFile: string;

  constructor(dir: string) {
    this.dir = dir;
    this.journalDir = join(dir, "journal");
    this.stateFile = join(dir, "managed.json");
    this.adoptionFile = join(dir, "adopted.jsonl");
  }

  private trusted = false;

  /** Refuses (GS_STATE_UNSAFE) a state dir anyone but us could have written; checked once per store. */
  verify(): void {
    if (this.trusted) return;
    checkStateDir(this.dir);
    this.trusted = true;
  }

  ensure(): void {
    this.verify();
    try {
      mkdirSync(this.journalDir, { recursive: true, mode: 0o750 });
    } catch (err) {
      throw new GsError("GS_STATE", `cannot create the state directory: ${(err as Error).message}`, {
        location: this.dir,
        cause: err,
      });
    }
  }

  load(target: string): ManagedState {
    this.verify();
    const text = readStateFile(this.stateFile);
    if (text === undefined) return emptyState(target);
    // Never quoted: the message of a JSON error would carry the file's bytes to logs and /readyz.
    const refuse = (why: string) =>
      new GsError("GS_STATE", `${why}; nothing was written`, {
        location: this.stateFile,
        hint: UPGRADE_HINT,
      });
    let parsed: ManagedState & { checksum?: unknown };
    try {
      parsed = JSON.parse(text) as ManagedState & { checksum?: unknown };
    } catch {
      throw refuse("the state file is not JSON (torn or edited)");
    }
    if (parsed === null || typeof parsed !== "object") throw refuse("unknown state format");
    const { checksum, ...state } = parsed;
    if (checksum !== digest(JSON.stringify(state)))
      throw refuse("the state file's checksum does not match (torn or edited)");
    if (state.version !== 1 || typeof state.locations !== "object" || state.locations === null) {
      throw refuse("unknown state format");
    }
    return state.target === target ? state : emptyState(target);
  }

  /** Atomic replace: a crash leaves either the old or the new state, never half of one. */
  save(state: ManagedState): void {
    this.ensure();
    const body = JSON.stringify(state);
    atomicWrite(this.stateFile, `${body.slice(0, -1)},"checksum":"${digest(body)}"}`);
  }

  loadAdoptions(): AdoptionStore {
    this.verify();
    const store = new AdoptionStore(this.adoptionFile);
    store.load();
    return store;
  }
}

/** Torn, edited, or written by a grantsync from before records carried checksums. */
export const UPGRADE_HINT =
  "If an earlier grantsync wrote this state, `grantsync state upgrade` converts it (try --dry-run first); otherwise restore the state directory from a backup, or remove the damaged file: grantsync then forgets what that file recorded but never removes anyone's entries.";

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A state file's text, or undefined when absent; never through a symlink. */
function readStateFile(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, O_RDONLY | O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw new GsError(
      code === "ELOOP" ? "GS_STATE_UNSAFE" : "GS_STATE",
      `cannot open the state file: ${code}`,
      {
        location: file,
      },
    );
  }
  try {
    return readFileSync(fd, "utf8");
  } finally {
    closeSync(fd);
  }
}

/** A temp file nobody can predict or pre-plant (O_EXCL, no symlink followed), fsynced, renamed over `file`. */
export function atomicWrite(file: string, data: string): void {
  const tmp = `${file}.tmp-${randomBytes(12).toString("hex")}`;
  const fd = openSync(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o640);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

/**
 * Foreign entries we widened, per path: an append-only log replayed at load, so the record is on
 * disk before the write that needs it, and compacted after a complete run.
 */
export class AdoptionStore {
  private readonly map = new AdoptionMap();
  private fd: number | undefined;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /**
   * Replays the log. Only a torn last line (a crash mid-append) is tolerated; any other record that
   * is not intact stops the run (GS_STATE, file and line), since a lost adoption would turn a later
   * revocation into removing someone else's entry.
   */
  load(): void {
    const text = readStateFile(this.file);
    if (text === undefined) return;
    const lines = text.split("\n");
    for (const [i, line] of lines.entries()) {
      if (line === "") continue;
      const rec = parseAdoption(line);
      if (rec) {
        this.map.apply(rec);
        continue;
      }
      if (i === lines.length - 1) break;
      throw new GsError("GS_STATE", `record ${i + 1} is not intact (torn or edited); nothing was written`, {
        location: `${this.file}:${i + 1}`,
        hint: UPGRADE_HINT,
      });
    }
  }

  get(path: string): ReadonlyMap<string, Perm> {
    return this.map.get(path);
  }

  entries(): AdoptionRecord[] {
    return this.map.entries();
  }

  record(path: string, adopted: ReadonlyMap<string, Perm>, released: readonly string[]): void {
    for (const rec of adoptionRecords(path, adopted, released)) this.append(rec);
  }

  compact(): void {
    this.closeLog();
    const lines = this.entries().map((r) => adoptionLine(r.p, r.k, r.v));
    atomicWrite(this.file, lines.length ? `${lines.join("\n")}\n` : "");
  }

  closeLog(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(rec: AdoptionRecord): void {
    if (this.fd === undefined) {
      const fd = openSync(this.file, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW, 0o640);
      // A torn last line is cut off, so it neither swallows the next record nor sits mid-file later.
      const text = readStateFile(this.file) ?? "";
      const end = text.lastIndexOf("\n") + 1;
      if (Buffer.byteLength(text.slice(end)) > 0 && fstatSync(fd).size === Buffer.byteLength(text))
        ftruncateSync(fd, Buffer.byteLength(text.slice(0, end)));
      this.fd = fd;
    }
    writeSync(this.fd, `${adoptionLine(rec.p, rec.k, rec.v)}\n`);
    this.map.apply(rec);
  }
}

/** One adoption record with a checksum over its fields, so a torn or edited record is detected. */
export function adoptionLine(p: string, k: string, v: Perm | null): string {
  return JSON.stringify({ p, k, v, c: digest(JSON.stringify([p, k, v])).slice(0, 16) });
}

export function parseAdoption(line: string): AdoptionRecord | undefined {
  let rec: { p?: unknown; k?: unknown; v?: unknown; c?: unknown };
  try {
    rec = JSON.parse(line) as typeof rec;
  } catch {
    return undefined;
  }
  if (rec === null || typeof rec !== "object") return undefined;
  const { p, k, v, c } = rec;
  if (typeof p !== "string" || typeof k !== "string") return undefined;
  if (v !== null && !(Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 7)) return undefined;
  if (c !== digest(JSON.stringify([p, k, v])).slice(0, 16)) return undefined;
  return { p, k, v: v as Perm | null };
}
