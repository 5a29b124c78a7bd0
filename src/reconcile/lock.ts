// One writer per state dir: flock(2) on an open descriptor of a lock file. The kernel drops the
// lock when the holder closes it or dies, so there is no staleness to judge and no two holders.

import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from "node:fs";
import { join } from "node:path";
import koffi from "koffi";
import { GsError } from "../errors.ts";
import { checkStateDir } from "./state-trust.ts";

export interface StateLock {
  readonly file: string;
  release(): void;
}

const LOCK_EX = 2;
const LOCK_NB = 4;
const EWOULDBLOCK = 11;
const EINTR = 4;
const c_flock = koffi.load("libc.so.6").func("int flock(int fd, int operation)");

/** `name` separates the per-run write lock (grantsync.lock) from a daemon's lifetime lock (daemon.lock). */
export function acquireLock(stateDir: string, purpose: string, name = "grantsync.lock"): StateLock {
  const file = join(stateDir, name);
  // The lock is the first thing written to the state dir: an untrusted dir gets nothing.
  checkStateDir(stateDir);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o640);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new GsError(
      code === "ELOOP" ? "GS_STATE_UNSAFE" : "GS_STATE",
      `cannot open the lock file: ${code}`,
      {
        location: file,
      },
    );
  }
  try {
    if (!fstatSync(fd).isFile())
      throw new GsError("GS_STATE_UNSAFE", "the lock is not a regular file", { location: file });
    for (;;) {
      if ((c_flock(fd, LOCK_EX | LOCK_NB) as number) === 0) break;
      const errno = koffi.errno();
      if (errno === EINTR) continue;
      if (errno !== EWOULDBLOCK)
        throw new GsError("GS_STATE", `flock failed: errno ${errno}`, { location: file });
      throw new GsError("GS_LOCKED", `state dir is locked by ${describeHolder(fd)}`, { location: file });
    }
    // Only for the message a second process prints; the lock itself is the flock.
    ftruncateSync(fd, 0);
    writeSync(fd, JSON.stringify({ pid: process.pid, purpose, since: new Date().toISOString() }), 0);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  let held = true;
  return {
    file,
    release() {
      if (!held) return;
      held = false;
      // Closing our descriptor drops our flock and nobody else's; the file stays for the next holder.
      closeSync(fd);
    },
  };
}

interface Holder {
  pid: number;
  purpose: string;
  since: string;
}

function readHolder(fd: number): Holder | undefined {
  try {
    const buf = Buffer.alloc(512);
    const h = JSON.parse(buf.toString("utf8", 0, readSync(fd, buf, 0, buf.length, 0))) as {
      pid?: unknown;
      purpose?: unknown;
      since?: unknown;
    };
    if (typeof h.pid === "number" && typeof h.purpose === "string" && typeof h.since === "string")
      return { pid: h.pid, purpose: h.purpose, since: h.since };
  } catch {
    // The holder is between taking the lock and writing its pid.
  }
  return undefined;
}

function describeHolder(fd: number): string {
  const h = readHolder(fd);
  return h ? `pid ${h.pid} (${h.purpose}) since ${h.since}` : "another process";
}

/** The process holding lock `name` in `stateDir` (a running daemon, say), if any: a probe that
 * takes the flock and drops it at once when nobody holds it. */
export function lockHolder(stateDir: string, name: string): { pid?: number; purpose: string } | undefined {
  let fd: number;
  try {
    fd = openSync(join(stateDir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    for (;;) {
      if ((c_flock(fd, LOCK_EX | LOCK_NB) as number) === 0) return undefined;
      if (koffi.errno() !== EINTR) break;
    }
    if (koffi.errno() !== EWOULDBLOCK) return undefined;
    const h = readHolder(fd);
    return h ? { pid: h.pid, purpose: h.purpose } : { purpose: "unknown" };
  } finally {
    closeSync(fd);
  }
}
