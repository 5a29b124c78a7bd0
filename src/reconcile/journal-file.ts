// A run's journal file: appended whole records only (a failed append is cut back to the last whole
// record), either at once or, for a batch, off the main thread (one O_DSYNC writev on libuv's pool).

import { closeSync, constants, fsyncSync, ftruncateSync, openSync, writeSync, writev } from "node:fs";
import { GsError } from "../errors.ts";

// O_DSYNC: a write returns once its bytes are durable, as if fdatasync followed it, so a batch is
// one writev on libuv's pool. A write and then an fdatasync would be two jobs there, and the second
// starts only when the main thread gets round to the first's callback: after the walk's next wait.
const { O_WRONLY, O_CREAT, O_EXCL, O_APPEND, O_DSYNC } = constants;
const JOURNAL_FLAGS = O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_DSYNC;

export class JournalFile {
  private fd: number;
  /** Bytes on disk that end on a complete record: a failed append is cut back to this. */
  private size = 0;

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, JOURNAL_FLAGS, 0o640);
    } catch (err) {
      throw journalWriteError(file, err, 0);
    }
  }

  get closed(): boolean {
    return this.fd < 0;
  }

  /** Writes `parts` durably, or cuts the file back and throws GS_JOURNAL_WRITE. */
  appendSync(parts: readonly Buffer[], paths: number): void {
    try {
      for (const buf of parts) {
        for (let off = 0; off < buf.length; ) off += wrote(writeSync(this.fd, buf, off));
      }
    } catch (err) {
      throw this.cutBack(err, paths);
    }
    this.grew(parts);
  }

  /**
   * The same on libuv's thread pool: the main thread goes on while the disk flushes. `done` gets
   * undefined once `parts` are durable, or the GS_JOURNAL_WRITE error after the cut back. The
   * caller keeps `parts` untouched and starts no other append until then.
   */
  append(parts: readonly Buffer[], paths: number, done: (err?: GsError) => void): void {
    const fd = this.fd;
    const next = (left: readonly Buffer[]): void => {
      writev(fd, left, (err, n) => {
        if (err || n <= 0) return done(this.cutBack(err ?? noSpace(), paths));
        const rest = unwritten(left, n);
        if (rest.length > 0) return next(rest);
        this.grew(parts);
        done();
      });
    };
    const nonEmpty = parts.filter((b) => b.length > 0);
    if (nonEmpty.length > 0) next(nonEmpty);
    else queueMicrotask(() => done());
  }

  close(): void {
    if (this.fd < 0) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = -1;
  }

  private grew(parts: readonly Buffer[]): void {
    for (const buf of parts) this.size += buf.length;
  }

  private cutBack(err: unknown, paths: number): GsError {
    try {
      ftruncateSync(this.fd, this.size);
    } catch {
      // Then the file ends in a torn fragment, which readers skip, or in change records of paths
      // that were never touched, which undo finds already as they were.
    }
    return journalWriteError(this.file, err, paths);
  }
}

/** What a short writev of `n` bytes left of `bufs` (a short write is how a filling disk first shows). */
function unwritten(bufs: readonly Buffer[], n: number): Buffer[] {
  let i = 0;
  while (i < bufs.length && n >= bufs[i]!.length) n -= bufs[i++]!.length;
  if (i === bufs.length) return [];
  return [bufs[i]!.subarray(n), ...bufs.slice(i + 1)];
}

/** A short write is how a filling disk first shows; the next write would say ENOSPC. */
function wrote(n: number): number {
  if (n <= 0) throw noSpace();
  return n;
}

const noSpace = () => Object.assign(new Error("nothing written"), { code: "ENOSPC" });

function journalWriteError(file: string, err: unknown, paths: number): GsError {
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
