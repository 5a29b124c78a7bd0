// One writer per state dir: an exclusive lock file holding the owner's pid; a lock whose
// process is gone is stale and taken over, so a kill -9 never wedges the next run.

import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { GsError } from "../errors.ts";

export interface StateLock {
  readonly file: string;
  release(): void;
}

/** `name` separates the per-run write lock (grantsync.lock) from a daemon's lifetime lock (daemon.lock). */
export function acquireLock(stateDir: string, purpose: string, name = "grantsync.lock"): StateLock {
  const file = join(stateDir, name);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o640);
      writeSync(fd, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        file,
        release() {
          if (released) return;
          released = true;
          try {
            unlinkSync(file);
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = readHolder(file);
      if (holder && isAlive(holder.pid)) {
        throw new GsError(
          "GS_LOCKED",
          `state dir is locked by pid ${holder.pid} (${holder.purpose}) since ${holder.since}`,
          {
            location: file,
          },
        );
      }
      try {
        unlinkSync(file);
      } catch {
        // Another process took it over first; the retry will tell.
      }
    }
  }
  throw new GsError("GS_LOCKED", "could not take the state lock", { location: file });
}

function readHolder(file: string): { pid: number; purpose: string; since: string } | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
