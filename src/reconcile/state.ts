// What grantsync manages, kept in the state dir so revocation stays exact across restarts:
// per location path the entry keys we put there, plus the foreign entries we widened (adoptions).

import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Perm } from "../acl/entry.ts";
import { GsError } from "../errors.ts";

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

  ensure(): void {
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
    if (!existsSync(this.stateFile)) return emptyState(target);
    let parsed: ManagedState;
    try {
      parsed = JSON.parse(readFileSync(this.stateFile, "utf8")) as ManagedState;
    } catch (err) {
      throw new GsError("GS_STATE", `cannot read ${this.stateFile}: ${(err as Error).message}`, {
        location: this.stateFile,
        cause: err,
      });
    }
    if (parsed.version !== 1 || typeof parsed.locations !== "object") {
      throw new GsError("GS_STATE", "unknown state format", { location: this.stateFile });
    }
    return parsed.target === target ? parsed : emptyState(target);
  }

  /** Atomic replace: a crash leaves either the old or the new state, never half of one. */
  save(state: ManagedState): void {
    this.ensure();
    atomicWrite(this.stateFile, JSON.stringify(state));
  }

  loadAdoptions(): AdoptionStore {
    const store = new AdoptionStore(this.adoptionFile);
    store.load();
    return store;
  }
}

export function atomicWrite(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: 0o640 });
  const fd = openSync(tmp, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/**
 * Foreign entries we widened, per path: an append-only log replayed at load, so the record is on
 * disk before the write that needs it, and compacted after a complete run.
 */
export class AdoptionStore {
  private readonly byPath = new Map<string, Map<string, Perm>>();
  private fd: number | undefined;
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  load(): void {
    if (!existsSync(this.file)) return;
    for (const line of readFileSync(this.file, "utf8").split("\n")) {
      if (line === "") continue;
      try {
        const rec = JSON.parse(line) as { p: string; k: string; v: Perm | null };
        this.applyRecord(rec.p, rec.k, rec.v);
      } catch {
        // A line torn by a crash mid-append: everything before it is intact.
      }
    }
  }

  get(path: string): ReadonlyMap<string, Perm> {
    return this.byPath.get(path) ?? EMPTY;
  }

  get size(): number {
    let n = 0;
    for (const m of this.byPath.values()) n += m.size;
    return n;
  }

  record(path: string, adopted: ReadonlyMap<string, Perm>, released: readonly string[]): void {
    for (const [k, v] of adopted) this.append(path, k, v);
    for (const k of released) this.append(path, k, null);
  }

  compact(): void {
    this.closeLog();
    const lines: string[] = [];
    for (const [p, m] of this.byPath) for (const [k, v] of m) lines.push(JSON.stringify({ p, k, v }));
    atomicWrite(this.file, lines.length ? `${lines.join("\n")}\n` : "");
  }

  closeLog(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(p: string, k: string, v: Perm | null): void {
    if (this.fd === undefined) {
      this.fd = openSync(this.file, "a+", 0o640);
      // A line torn by a crash must not swallow the first record appended after it.
      const size = fstatSync(this.fd).size;
      const last = Buffer.alloc(1);
      if (size > 0 && readSync(this.fd, last, 0, 1, size - 1) === 1 && last[0] !== 0x0a)
        writeSync(this.fd, "\n");
    }
    writeSync(this.fd, `${JSON.stringify({ p, k, v })}\n`);
    this.applyRecord(p, k, v);
  }

  private applyRecord(p: string, k: string, v: Perm | null): void {
    let m = this.byPath.get(p);
    if (v === null) {
      m?.delete(k);
      if (m && m.size === 0) this.byPath.delete(p);
      return;
    }
    if (!m) {
      m = new Map();
      this.byPath.set(p, m);
    }
    m.set(k, v);
  }
}

const EMPTY: ReadonlyMap<string, Perm> = new Map();
