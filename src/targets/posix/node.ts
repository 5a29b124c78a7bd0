// A POSIX node as the walk hands it out, and the write path that sets an Acl's xattr bytes
// (encode.ts) through an fd, refusing stale state, here or on the write thread (write-jobs.ts).

import type { Acl } from "../../acl/entry.ts";
import { GsError } from "../../errors.ts";
import type { NodeType, SkippedPath, TargetNode } from "../target.ts";
import { type Encoded, encodeFor, specError } from "./encode.ts";
import { close, E2BIG, ENOSPC, fstat, NativeError, type Stat } from "./native.ts";
import { aclOf, type NodeContext, type Observed, observe, XATTR_ACCESS, XATTR_DEFAULT } from "./observe.ts";
import { refusalAt } from "./observe-at.ts";
import { type ChildRules, type HeldDir, type Opened, openChild, refusedError } from "./open.ts";
import {
  ACCESS_DIFFERS,
  failedOp,
  OP_FSTAT,
  OP_REMOVE_DEFAULT,
  OP_SET_ACCESS,
  REMOVE_DEFAULT,
  STALE,
  setScopes,
  type WriteJobs,
} from "./write-jobs.ts";
import type { WriteThread } from "./write-thread.ts";

export class PosixNode implements TargetNode {
  acl: Acl;

  constructor(
    readonly path: string,
    readonly type: NodeType,
    private readonly ctx: NodeContext,
    private obs: Observed,
    /** Valid while the walk holds it open; -1 once released, and write() then reopens the path. */
    private fd: number,
    /** A file observed by name below a directory the walk holds: write() opens it from there, by the walk's rules. */
    private at?: { dir: HeldDir; name: string; rules: ChildRules },
  ) {
    this.acl = aclOf(obs, type, ctx, path);
  }

  /** Unknown for a file read by its ACL alone (only directories' owners matter: traverse entries). */
  get owner(): string | undefined {
    return this.obs.checked ? this.ctx.names.display("user", this.obs.uid) : undefined;
  }

  get group(): string | undefined {
    return this.obs.checked ? this.ctx.names.display("group", this.obs.gid) : undefined;
  }

  /**
   * For a file read by its ACL alone, while the walk still holds its directory: what the walk
   * would have refused it as (another link, another device, no longer a file). Only a report for
   * the plan; write() checks the same through the fd it opens.
   */
  writeRefusal(): SkippedPath | undefined {
    if (this.obs.checked || !this.at) return undefined;
    const refused = refusalAt(this.at.dir.fd, this.at.name, this.at.rules);
    return refused && { path: this.path, ...refused };
  }

  /** The walk is about to close the fd (or let go of the directory): later writes reopen the path. */
  release(): void {
    this.fd = -1;
    this.at?.dir.drop();
    this.at = undefined;
  }

  write(next: Acl): Promise<void> {
    try {
      this.writeNow(next);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }

  writeNow(next: Acl): void {
    // Everything that can fail without touching the filesystem fails first.
    const enc = encodeFor(next, this.obs, this.ctx, this.path);
    if (enc.hasDefault && this.type !== "dir")
      throw specError("a file cannot carry default entries", this.path);

    const o = this.obs;
    let fd = this.fd;
    if (fd < 0) {
      const opened = this.at ? this.openAt(this.at) : this.ctx.reopen(this.path);
      fd = opened.fd;
      // A read by ACL alone has no inode to compare: the open checked the walk's rules, and the
      // mode and ACL read through the fd below must equal what was read.
      if (opened.type !== this.type || (o.checked && (opened.st.dev !== o.dev || opened.st.ino !== o.ino))) {
        close(fd);
        throw changed(this.path, "the path now names another file");
      }
    }
    try {
      const st = fstat(fd);
      if (typeof st === "number") throw new NativeError("fstat", -st, this.path);
      // An unchanged nanosecond ctime means no ACL or mode change since the read, so the xattrs need
      // no re-read. A whole-second ctime (coarse filesystems) could hide a change: re-read then.
      // So must a read by name: its xattr may have come from another inode swapped in meanwhile.
      if (
        !o.viaFd ||
        st.ctimeSec !== o.ctimeSec ||
        st.ctimeNsec !== o.ctimeNsec ||
        st.ctimeNsec === 0 ||
        st.mode !== o.mode
      ) {
        const cur = observe(fd, st, this.type === "dir", this.path);
        if ((cur.mode & 0o777) !== (o.mode & 0o777) || cur.access !== o.access || cur.dflt !== o.dflt) {
          throw changed(this.path, "the ACL or mode differs from what was read");
        }
      }
      // What the kernel will hold afterwards: comparing it with what is there skips unchanged
      // scopes, and it saves reading back. `o` equals what is there now (checked above).
      const { flags, dflt } = writeScopes(enc, o);
      const rc = setScopes(fd, st.mode, enc.bits, flags, enc.accessBytes, dflt);
      if (rc !== 0) throw jobError(failedOp(), -rc, this.path);
      this.tookOn(st, (st.mode & ~0o777) | enc.bits, enc);
    } finally {
      if (fd !== this.fd) close(fd);
    }
  }

  /**
   * Fills job `k` with this write's system calls for the write thread, when they are all it takes:
   * the walk still holds the fd the node was read through, with a nanosecond ctime to compare.
   * false when writeNow must do it (reopen, re-read); throws what writeNow would before any call.
   */
  writeJob(next: Acl, jobs: WriteJobs, k: number, thread: WriteThread): boolean {
    const o = this.obs;
    if (this.fd < 0 || !o.viaFd || !o.checked || o.ctimeNsec === 0) return false;
    const enc = encodeFor(next, this.obs, this.ctx, this.path);
    if (enc.hasDefault && this.type !== "dir")
      throw specError("a file cannot carry default entries", this.path);
    const { flags, dflt: dfltBytes } = writeScopes(enc, o);
    const access = thread.index(enc.accessBytes);
    const dflt = dfltBytes ? thread.index(dfltBytes) : -1;
    if (access < 0 || (dfltBytes && dflt < 0)) return false;
    jobs.fd[k] = this.fd;
    jobs.ctimeSec[k] = o.ctimeSec;
    jobs.ctimeNsec[k] = o.ctimeNsec;
    jobs.mode[k] = o.mode;
    jobs.bits[k] = enc.bits;
    jobs.flags[k] = flags;
    jobs.access[k] = access;
    jobs.dflt[k] = dflt;
    return true;
  }

  /** Takes on what the write thread did for writeJob: as writeNow ends, or writeNow itself when stale. */
  finishJob(next: Acl, status: number, op: number): void {
    if (status === STALE) {
      this.writeNow(next);
      return;
    }
    if (status < 0) throw jobError(op, -status, this.path);
    const o = this.obs;
    const enc = encodeFor(next, o, this.ctx, this.path);
    // The thread found the ctime and mode as read, so identity, owner and ctime are the read's.
    this.tookOn(o, (o.mode & ~0o777) | enc.bits, enc);
  }

  /** The node now holds what `enc` encodes, with `mode`; identity, owner and ctime as before the write. */
  private tookOn(st: Omit<Stat, "nlink" | "mode">, mode: number, enc: Encoded): void {
    this.obs = {
      dev: st.dev,
      ino: st.ino,
      mode,
      uid: st.uid,
      gid: st.gid,
      ctimeSec: st.ctimeSec,
      ctimeNsec: st.ctimeNsec,
      access: enc.accessHeld,
      dflt: enc.dfltHeld,
      viaFd: true,
      checked: true,
    };
    this.ctx.writes++;
    this.acl = aclOf(this.obs, this.type, this.ctx, this.path);
  }

  /** Opens the file from the directory the walk still holds, by the walk's rules (one link, its device). */
  private openAt(at: { dir: HeldDir; name: string; rules: ChildRules }): Opened {
    const opened = openChild(at.dir.fd, at.name, at.rules, this.type);
    if ("reason" in opened) throw refusedError(this.path, opened, "GS_ACL_CHANGED");
    return opened;
  }
}

/** What a write does besides the access ACL: the flags and the default ACL's bytes, if it sets them. */
function writeScopes(enc: Encoded, o: Observed): { flags: number; dflt: Buffer | undefined } {
  const flags =
    (enc.accessHeld !== o.access ? ACCESS_DIFFERS : 0) |
    (!enc.dfltBytes && o.dflt !== "" ? REMOVE_DEFAULT : 0);
  return { flags, dflt: enc.dfltBytes && enc.dfltHeld !== o.dflt ? enc.dfltBytes : undefined };
}

/** The error of a failed call of a write (setScopes' failedOp, or the write thread's op). */
function jobError(op: number, errno: number, path: string): NativeError {
  if (op === OP_FSTAT) return new NativeError("fstat", errno, path);
  if (op === OP_REMOVE_DEFAULT) return new NativeError(`fremovexattr ${XATTR_DEFAULT}`, errno, path);
  const name = op === OP_SET_ACCESS ? XATTR_ACCESS : XATTR_DEFAULT;
  const tooMany = errno === ENOSPC || errno === E2BIG;
  return new NativeError(`fsetxattr ${name}`, errno, path, tooMany ? "GS_ACL_TOO_MANY" : "GS_TARGET_IO");
}

function changed(path: string, why: string): GsError {
  return new GsError("GS_ACL_CHANGED", `not written: ${why}`, { location: path });
}
