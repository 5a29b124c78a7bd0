// Writes a run's journal ahead of its paths, in batches: the before/after of every path staged in
// one turn of the event loop go to disk in one write and one fdatasync, before any of them is touched.

import { closeSync, fdatasyncSync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Acl } from "../acl/entry.ts";
import { aclToRecord } from "../acl/record.ts";
import { GsError } from "../errors.ts";
import { memo2 } from "../memo.ts";
import type { NodeType } from "../targets/target.ts";
import { encodeLine, type JournalStart, type LineHead, lineFrom, lineHead } from "./journal-record.ts";

/** A batch this large is written at once rather than at the end of the event loop's turn. */
const MAX_BATCH = 4096;

/** `20261129T172253.357Z-3fa2c1`: sorts in start order, milliseconds included (runs a second apart were not). */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "");
  return `${stamp}-${Math.random().toString(16).slice(2, 8)}`;
}

interface Batch {
  promise: Promise<void>;
  resolve(): void;
  reject(err: GsError): void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (err: GsError) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export class JournalWriter {
  readonly run: string;
  readonly file: string;
  private fd: number;
  /** Bytes on disk that end on a complete record: a failed write is cut back to this. */
  private size = 0;
  /** The batch's change records, encoded as they are staged (no batch-sized string to flatten). */
  private staged = Buffer.allocUnsafe(1 << 20);
  private stagedBytes = 0;
  private stagedPaths = 0;
  private batch: Batch | undefined;
  /** Outcome lines ride with the next batch: a kill can lose only outcomes, and then undo re-checks. */
  private outcomes = "";
  /** Change records staged so far; the n-th one is change n of the run. */
  private changes = 0;
  private readonly unsettled = new Map<string, number>();
  /** Changes settled beyond `settledUpTo`, waiting for the ones before them. */
  private readonly settledAhead = new Set<number>();
  private settledUpTo = 0;
  private doneWritten = 0;
  /** Set once a write failed: nothing more is written, and no further path may be touched. */
  private failure: GsError | undefined;

  constructor(dir: string, start: Omit<JournalStart, "t" | "time">) {
    this.run = start.run;
    this.file = join(dir, `${start.run}.jsonl`);
    try {
      this.fd = openSync(this.file, "ax", 0o640);
    } catch (err) {
      throw writeError(this.file, err, 0);
    }
    try {
      this.append(encodeLine({ t: "start", time: new Date().toISOString(), ...start }), 0);
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  /**
   * Stages a path's before and after. Resolves once the batch holding them is written and flushed;
   * rejects (GS_JOURNAL_WRITE) when it could not be, and then the path must be left untouched.
   */
  intend(path: string, type: NodeType, before: Acl, after: Acl): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.stage(lineFrom(changeHead(type, before, after), `${JSON.stringify(path)}}`));
    this.stagedPaths++;
    this.unsettled.set(path, ++this.changes);
    if (!this.batch) {
      this.batch = newBatch();
      setImmediate(() => this.commit());
    }
    const { promise } = this.batch;
    if (this.stagedPaths >= MAX_BATCH) this.commit();
    return promise;
  }

  /**
   * A written path costs no line of its own: one `done` record says every change up to n that has
   * no `fail` record was written. A failed path gets its `fail` record.
   */
  outcome(path: string, ok: boolean, error?: { code: string; message: string }): void {
    if (!ok) this.outcomes += encodeLine({ t: "fail", path, ...error });
    const n = this.unsettled.get(path);
    if (n === undefined) return;
    this.unsettled.delete(path);
    this.settledAhead.add(n);
    while (this.settledAhead.delete(this.settledUpTo + 1)) this.settledUpTo++;
  }

  end(summary: Record<string, number>): void {
    try {
      if (this.batch)
        throw new GsError("GS_INTERNAL", "the run ended with paths still waiting on the journal");
      if (this.failure) return;
      const end = encodeLine({ t: "end", time: new Date().toISOString(), summary });
      this.append(`${this.takeOutcomes()}${end}`, 0);
    } finally {
      this.close();
    }
  }

  /** Closes without an end record: the run stopped, and `runs` lists it as incomplete. */
  close(): void {
    if (this.fd < 0) return;
    if (!this.failure && (this.outcomes !== "" || this.settledUpTo > this.doneWritten)) {
      try {
        this.append(this.takeOutcomes(), 0);
      } catch {
        // The run is already stopping for another reason, which must not be masked. Paths whose
        // outcome is missing read as pending, and undo checks their current ACL anyway.
      }
    }
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private commit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    const outcomes = this.takeOutcomes();
    const paths = this.stagedPaths;
    const records = this.staged.subarray(0, this.stagedBytes);
    this.stagedBytes = 0;
    this.stagedPaths = 0;
    try {
      this.append(outcomes, paths, records);
    } catch (err) {
      batch.reject(err as GsError);
      return;
    }
    batch.resolve();
  }

  private takeOutcomes(): string {
    let text = this.outcomes;
    this.outcomes = "";
    if (this.settledUpTo > this.doneWritten) {
      text += encodeLine({ t: "done", upto: this.settledUpTo });
      this.doneWritten = this.settledUpTo;
    }
    return text;
  }

  /** Encodes a change record into the batch's buffer. */
  private stage(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    if (this.stagedBytes + line.length * 3 > this.staged.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.staged.length * 2, this.stagedBytes + line.length * 3));
      this.staged.copy(grown, 0, 0, this.stagedBytes);
      this.staged = grown;
    }
    this.stagedBytes += this.staged.write(line, this.stagedBytes);
  }

  /**
   * Writes `text`, then `records`, and flushes them, or cuts the file back to its last complete
   * record and throws. `records` is the staging buffer: written out before anything reuses it.
   */
  private append(text: string, paths: number, records?: Buffer): void {
    const buf = Buffer.from(text);
    try {
      this.writeAll(buf);
      if (records) this.writeAll(records);
      fdatasyncSync(this.fd);
    } catch (err) {
      this.failure = writeError(this.file, err, paths);
      try {
        ftruncateSync(this.fd, this.size);
      } catch {
        // Then the file ends in a torn fragment, which readers skip, or in change records of paths
        // that were never touched, which undo finds already as they were.
      }
      throw this.failure;
    }
    this.size += buf.length + (records?.length ?? 0);
  }

  private writeAll(buf: Buffer): void {
    for (let off = 0; off < buf.length; ) {
      const n = writeSync(this.fd, buf, off);
      // A short write is how a filling disk first shows; the next write would say ENOSPC.
      if (n <= 0) throw Object.assign(new Error("nothing written"), { code: "ENOSPC" });
      off += n;
    }
  }
}

// Most changed paths share a few (before, after) pairs of frozen ACL objects: a change record
// starts with them, so their JSON and its checksum are made once and only the path is new per line.
function changeHead(type: NodeType, before: Acl, after: Acl): LineHead {
  if (!Object.isFrozen(before) || !Object.isFrozen(after)) return headText(type, before, after);
  return (type === "dir" ? dirHeads : fileHeads)(before, after);
}

const headText = (type: NodeType, before: Acl, after: Acl): LineHead =>
  lineHead(
    `{"t":"change","type":"${type}","before":${JSON.stringify(aclToRecord(before))},"after":${JSON.stringify(aclToRecord(after))},"path":`,
  );
const dirHeads = memo2((before: Acl, after: Acl) => headText("dir", before, after));
const fileHeads = memo2((before: Acl, after: Acl) => headText("file", before, after));

function writeError(file: string, err: unknown, paths: number): GsError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === "ENOSPC" || code === "EDQUOT"
      ? "the disk holding the state directory is full"
      : `the write failed (${code ?? String(err)})`;
  const left = paths > 0 ? `; the run stopped before changing the ${paths} path(s) it was about to` : "";
  return new GsError("GS_JOURNAL_WRITE", `the journal could not be written: ${why}${left}`, {
    location: file,
    cause: err,
  });
}
