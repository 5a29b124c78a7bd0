// The write half of many POSIX nodes' writes, packed for another thread: per node the fd the walk
// holds (read through it, so the same inode), the ctime and mode it was read with, and what to set.
// `runWriteJobs` is what that thread runs, and exactly what PosixNode.writeNow does once it knows the
// node is unchanged: one fstat, then the xattr calls. A node whose ctime or mode moved comes back
// STALE, and its write is redone on the main thread by writeNow (which re-reads and compares).

import { ENODATA, fremovexattr, fsetxattr, fstat } from "./native.ts";
import { XATTR_ACCESS, XATTR_DEFAULT } from "./observe.ts";

/** Status of a job: OK, STALE, or (negative) -errno of the call `op` names. */
export const OK = 0;
export const STALE = 1;
export const OP_FSTAT = 1;
export const OP_SET_ACCESS = 2;
export const OP_SET_DEFAULT = 3;
export const OP_REMOVE_DEFAULT = 4;

/** flags: the access xattr differs from what is there (bit 0); remove the default ACL (bit 1). */
export const ACCESS_DIFFERS = 1;
export const REMOVE_DEFAULT = 2;

export interface WriteJobs {
  fd: Int32Array;
  ctimeSec: Float64Array;
  ctimeNsec: Float64Array;
  mode: Int32Array;
  /** The rwx bits the access ACL sets. */
  bits: Int32Array;
  flags: Int32Array;
  /** Index of the access ACL's bytes in the encodings table. */
  access: Int32Array;
  /** Index of the default ACL's bytes, or -1 to leave it. */
  dflt: Int32Array;
}

export interface WriteResults {
  status: Int32Array;
  op: Int32Array;
}

export function newJobs(n: number): WriteJobs {
  return {
    fd: new Int32Array(n),
    ctimeSec: new Float64Array(n),
    ctimeNsec: new Float64Array(n),
    mode: new Int32Array(n),
    bits: new Int32Array(n),
    flags: new Int32Array(n),
    access: new Int32Array(n),
    dflt: new Int32Array(n),
  };
}

export function runWriteJobs(jobs: WriteJobs, count: number, encodings: readonly Buffer[]): WriteResults {
  const status = new Int32Array(count);
  const op = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const fd = jobs.fd[i]!;
    const st = fstat(fd);
    if (typeof st === "number") {
      status[i] = st;
      op[i] = OP_FSTAT;
      continue;
    }
    if (st.ctimeSec !== jobs.ctimeSec[i] || st.ctimeNsec !== jobs.ctimeNsec[i] || st.mode !== jobs.mode[i]) {
      status[i] = STALE;
      continue;
    }
    const dflt = jobs.dflt[i]!;
    const access = encodings[jobs.access[i]!]!;
    status[i] = setScopes(
      fd,
      st.mode,
      jobs.bits[i]!,
      jobs.flags[i]!,
      access,
      dflt >= 0 ? encodings[dflt] : undefined,
    );
    op[i] = lastFailedOp;
  }
  return { status, op };
}

let lastFailedOp = 0;

/** The call (OP_*) that failed in the last setScopes that returned an error. */
export function failedOp(): number {
  return lastFailedOp;
}

/**
 * The xattr calls of a write to a node known to be as it was read (mode `stMode`): the access ACL
 * where it or the mode's rwx bits change, the default ACL where given, its removal where flagged.
 * 0, or the failed call's -errno (failedOp() says which). What the kernel holds afterwards is known
 * from the inputs, so nothing is read back. writeNow and the write thread both write with this.
 */
export function setScopes(
  fd: number,
  stMode: number,
  bits: number,
  flags: number,
  access: Buffer,
  dflt: Buffer | undefined,
): number {
  lastFailedOp = 0;
  const mode = (stMode & ~0o777) | bits;
  if ((flags & ACCESS_DIFFERS) !== 0 || mode !== stMode) {
    const rc = fsetxattr(fd, XATTR_ACCESS, access);
    if (rc !== 0) return failed(OP_SET_ACCESS, rc);
  }
  if (dflt !== undefined) {
    const rc = fsetxattr(fd, XATTR_DEFAULT, dflt);
    if (rc !== 0) return failed(OP_SET_DEFAULT, rc);
  }
  if ((flags & REMOVE_DEFAULT) !== 0) {
    const rc = fremovexattr(fd, XATTR_DEFAULT);
    if (rc !== 0 && -rc !== ENODATA) return failed(OP_REMOVE_DEFAULT, rc);
  }
  return 0;
}

function failed(op: number, rc: number): number {
  lastFailedOp = op;
  return rc;
}
