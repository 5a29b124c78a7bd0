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
    const flags = jobs.flags[i]!;
    const mode = (st.mode & ~0o777) | jobs.bits[i]!;
    if ((flags & ACCESS_DIFFERS) !== 0 || mode !== st.mode) {
      const rc = fsetxattr(fd, XATTR_ACCESS, encodings[jobs.access[i]!]!);
      if (rc !== 0) {
        status[i] = rc;
        op[i] = OP_SET_ACCESS;
        continue;
      }
    }
    const dflt = jobs.dflt[i]!;
    if (dflt >= 0) {
      const rc = fsetxattr(fd, XATTR_DEFAULT, encodings[dflt]!);
      if (rc !== 0) {
        status[i] = rc;
        op[i] = OP_SET_DEFAULT;
        continue;
      }
    }
    if ((flags & REMOVE_DEFAULT) !== 0) {
      const rc = fremovexattr(fd, XATTR_DEFAULT);
      if (rc !== 0 && -rc !== ENODATA) {
        status[i] = rc;
        op[i] = OP_REMOVE_DEFAULT;
      }
    }
  }
  return { status, op };
}
