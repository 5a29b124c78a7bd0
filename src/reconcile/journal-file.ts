// A run's journal file: appended whole records only (a failed append is cut back to the last whole
// record), either at once or, for a batch, off the main thread (write and fdatasync on libuv's pool).

import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  write,
  writeSync,
} from "node:fs";
import { GsError } from "../errors.ts";

export class JournalFile {
  private fd: number;
  /** Bytes on disk that end on a complete record: a failed append is cut back to this. */
  private size = 0;

  constructor(readonly file: string) {
    try {
      this.fd = openSync(file, "ax", 0o640);
    } catch (err) {
      throw journalWriteError(file, err, 0);
    }
  }

  get closed(): boolean {
    return this.fd < 0;
  }

  /** Writes and flushes `parts`, or cuts the file back and throws GS_JOURNAL_WRITE. */
  appendSync(parts: readonly Buffer[], paths: number): void {
    try {
      for (const buf of parts) {
        for (let off = 0; off < buf.length; ) off += wrote(writeSync(this.fd, buf, off));
      }
      fdatasyncSync(this.fd);
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
    const fail = (err: unknown) => done(this.cutBack(err, paths));
    const next = (i: number, off: number): void => {
      const buf = parts[i];
      if (buf === undefined) {
        fdatasync(fd, (err) => {
          if (err) return fail(err);
          this.grew(parts);
          done();
        });
        return;
      }
      if (off >= buf.length) {
        next(i + 1, 0);
        return;
      }
      write(fd, buf, off, buf.length - off, null, (err, n) => {
        if (err || n <= 0) return fail(err ?? noSpace());
        next(i, off + n);
      });
    };
    next(0, 0);
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
