// Writes a run's journal ahead of its paths, in batches: the before/after of every path staged while
// the previous batch is on its way (at least one turn of the event loop, at most MAX_BATCH paths) go
// to disk in one write and one fdatasync, before any of them is touched. A batch is flushed off the
// main thread, so the walk stages the next one meanwhile.

import { join } from "node:path";
import type { Acl } from "../acl/entry.ts";
import { aclToRecord } from "../acl/record.ts";
import { GsError } from "../errors.ts";
import { memo2 } from "../memo.ts";
import type { NodeType } from "../targets/target.ts";
import { JournalFile } from "./journal-file.ts";
import {
  encodeLine,
  type JournalStart,
  type LineHead,
  lineEnd,
  lineHead,
  writeChangeEnd,
} from "./journal-record.ts";

/**
 * A batch this large is sent to disk at once rather than at the end of the event loop's turn, so the
 * walk stages the next one (the POSIX walk keeps up to twice this many visits pending) meanwhile.
 */
const MAX_BATCH = 1024;

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
  private readonly out: JournalFile;
  /** The batch's change records, encoded as they are staged (no batch-sized string to flatten). */
  private staged = Buffer.allocUnsafe(1 << 20);
  /** The other staging buffer: the one being flushed while a batch is in flight. */
  private spare = Buffer.allocUnsafe(1 << 20);
  private stagedBytes = 0;
  private stagedPaths = 0;
  /** The paths staged since the last commit: they wait for the next one. */
  private batch: Batch | undefined;
  /** A batch on its way to disk: batches are flushed one at a time, in the order staged. */
  private inFlight: Promise<void> | undefined;
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
    this.out = new JournalFile(join(dir, `${start.run}.jsonl`));
    try {
      this.appendNow(encodeLine({ t: "start", time: new Date().toISOString(), ...start }));
    } catch (err) {
      this.out.close();
      throw err;
    }
  }

  get file(): string {
    return this.out.file;
  }

  /**
   * Stages a path's before and after. Resolves once the batch holding them is written and flushed;
   * rejects (GS_JOURNAL_WRITE) when it could not be, and then the path must be left untouched.
   */
  intend(path: string, type: NodeType, before: Acl, after: Acl): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    // The shared head's bytes are copied, and only the path's end of the line is encoded, straight
    // into the batch's buffer unless the path needs JSON escapes.
    const head = changeHead(type, before, after);
    this.stageBytes(head.bytes);
    this.room(path.length * 3 + 24);
    const end = writeChangeEnd(this.staged, this.stagedBytes, head, path);
    if (end >= 0) this.stagedBytes = end;
    else this.stage(lineEnd(head, `${JSON.stringify(path)}}`));
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

  async end(summary: Record<string, number>): Promise<void> {
    try {
      await this.allFlushed();
      if (this.batch)
        throw new GsError("GS_INTERNAL", "the run ended with paths still waiting on the journal");
      if (this.failure) return;
      const end = encodeLine({ t: "end", time: new Date().toISOString(), summary });
      this.appendNow(`${this.takeOutcomes()}${end}`);
    } finally {
      await this.close();
    }
  }

  /** Closes without an end record: the run stopped, and `runs` lists it as incomplete. */
  async close(): Promise<void> {
    await this.allFlushed();
    if (this.out.closed) return;
    if (!this.failure && (this.outcomes !== "" || this.settledUpTo > this.doneWritten)) {
      try {
        this.appendNow(this.takeOutcomes());
      } catch {
        // The run is already stopping for another reason, which must not be masked. Paths whose
        // outcome is missing read as pending, and undo checks their current ACL anyway.
      }
    }
    this.out.close();
  }

  /**
   * Once no batch is in flight: one that lands sends the batch staged behind it at once, so a single
   * await could leave that one writing through an fd the caller is about to close.
   */
  private async allFlushed(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Sends the staged batch to disk, unless one is in flight: then it goes when that one is durable. */
  private commit(): void {
    const batch = this.batch;
    if (!batch || this.inFlight) return;
    this.batch = undefined;
    const paths = this.stagedPaths;
    const records = this.staged.subarray(0, this.stagedBytes);
    [this.staged, this.spare] = [this.spare, this.staged];
    this.stagedBytes = 0;
    this.stagedPaths = 0;
    const parts = [Buffer.from(this.takeOutcomes()), records];
    this.inFlight = new Promise<void>((flushed) => {
      this.out.append(parts, paths, (err) => {
        this.inFlight = undefined;
        flushed();
        if (err) return this.failed(batch, err);
        // The next batch goes out before this one's paths are written: the disk flushes meanwhile.
        if (this.batch) this.commit();
        batch.resolve();
      });
    });
  }

  /** No path of this batch, nor of any staged after it, may be touched now. */
  private failed(batch: Batch, err: GsError): void {
    this.failure = err;
    batch.reject(err);
    const waiting = this.batch;
    this.batch = undefined;
    this.stagedBytes = 0;
    this.stagedPaths = 0;
    waiting?.reject(err);
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

  /** Encodes (part of) a change record into the batch's buffer. */
  private stage(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    this.room(text.length * 3);
    this.stagedBytes += this.staged.write(text, this.stagedBytes);
  }

  /** Copies bytes already encoded (a record's shared head) into the batch's buffer. */
  private stageBytes(bytes: Buffer): void {
    this.room(bytes.length);
    this.stagedBytes += bytes.copy(this.staged, this.stagedBytes);
  }

  private room(bytes: number): void {
    if (this.stagedBytes + bytes <= this.staged.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.staged.length * 2, this.stagedBytes + bytes));
    this.staged.copy(grown, 0, 0, this.stagedBytes);
    this.staged = grown;
  }

  /** Outside a batch (the start, the end, a closing run's outcomes): written and flushed at once. */
  private appendNow(text: string): void {
    try {
      this.out.appendSync([Buffer.from(text)], 0);
    } catch (err) {
      this.failure = err as GsError;
      throw err;
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
