// Reading a POSIX node's ACL through its fd: mode and access/default xattr bytes, decoded into an
// Acl with names for ids, cached by those bytes since most nodes in a tree share a few ACLs.

import { type Acl, type AclEntry, type AclScope, aclFromMode, entry, sortEntries } from "../../acl/entry.ts";
import type { NodeType } from "../target.ts";
import type { IdKind, NameResolver } from "./names.ts";
import { EOPNOTSUPP, fgetxattr, NativeError, type Stat } from "./native.ts";
import type { Opened } from "./open.ts";
import {
  ACL_GROUP,
  ACL_GROUP_OBJ,
  ACL_MASK,
  ACL_OTHER,
  ACL_USER,
  ACL_USER_OBJ,
  decodeAcl,
  hasId,
  type RawAclEntry,
} from "./xattr-codec.ts";

export const XATTR_ACCESS = "system.posix_acl_access";
export const XATTR_DEFAULT = "system.posix_acl_default";

/**
 * What a node looked like when read: identity, mode and the raw xattr bytes (latin1, "" if absent).
 * A file read by its access ACL alone (observe-at.ts) has no stat: dev, ino, uid, gid are -1, the
 * ctime 0, and the mode is S_IFREG with the ACL's rwx bits.
 */
export interface Observed {
  dev: number;
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  ctimeSec: number;
  ctimeNsec: number;
  access: string;
  dflt: string;
  /**
   * Read through one fd on the inode (stat and xattrs of the same file), or false for two lookups
   * by name (observe-at.ts), which a write must confirm through its own fd first.
   */
  viaFd: boolean;
  /**
   * Whether a stat of the node gave dev, ino, uid, gid and ctime and passed the walk's rules
   * (directory or regular file, one link, the root's device); false for a read by ACL alone,
   * which the engine asks to be checked before it reports a change (PosixNode.writeRefusal).
   */
  checked: boolean;
}

export interface NodeContext {
  readonly names: NameResolver;
  /** Decoded ACLs keyed by xattr bytes, then node kind and mode: most nodes in a tree share a few ACLs. */
  readonly aclCache: Map<string, Map<number, Acl>>;
  /** Opens `path` again, as safely as the walk does, for a write after the walk closed the fd. */
  reopen(path: string): Opened;
  /** Writes done so far: the walk opens files it will likely write rather than look at them by name. */
  writes: number;
}

const ACL_CACHE_MAX = 10_000;

function readXattr(fd: number, name: string, path: string): string {
  const v = fgetxattr(fd, name);
  if (typeof v === "string") return v;
  // A filesystem without ACL support simply has none.
  if (-v === EOPNOTSUPP) return "";
  throw new NativeError(`fgetxattr ${name}`, -v, path);
}

export function observe(fd: number, st: Stat, isDir: boolean, path: string): Observed {
  const access = readXattr(fd, XATTR_ACCESS, path);
  return observed(st, access, isDir ? readXattr(fd, XATTR_DEFAULT, path) : "", true);
}

/** An observation from a stat and the xattr bytes read with it (through one fd, or by name). */
export function observed(st: Stat, access: string, dflt: string, viaFd: boolean): Observed {
  return {
    dev: st.dev,
    ino: st.ino,
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    ctimeSec: st.ctimeSec,
    ctimeNsec: st.ctimeNsec,
    access,
    dflt,
    viaFd,
    checked: true,
  };
}

export const KIND_OF_TAG: Record<number, IdKind> = { [ACL_USER]: "user", [ACL_GROUP]: "group" };

export function decodeScope(bytes: string, path: string): RawAclEntry[] {
  return decodeAcl(Buffer.from(bytes, "latin1"), path);
}

function buildAcl(obs: Observed, ctx: NodeContext, path: string): Acl {
  const mode = obs.mode;
  const out: AclEntry[] = [];
  const named = (scope: AclScope, e: RawAclEntry) =>
    entry(scope, KIND_OF_TAG[e.tag]!, ctx.names.display(KIND_OF_TAG[e.tag]!, e.id), e.perm);
  if (obs.access === "") out.push(...aclFromMode(mode));
  else {
    // The kernel keeps user::, mask (or group:: without one) and other:: equal to the mode bits.
    const raw = decodeScope(obs.access, path);
    const hasMask = raw.some((e) => e.tag === ACL_MASK);
    for (const e of raw) {
      if (e.tag === ACL_USER_OBJ) out.push(entry("access", "user", "", (mode >> 6) & 7));
      else if (e.tag === ACL_GROUP_OBJ)
        out.push(entry("access", "group", "", hasMask ? e.perm : (mode >> 3) & 7));
      else if (e.tag === ACL_MASK) out.push(entry("access", "mask", "", (mode >> 3) & 7));
      else if (e.tag === ACL_OTHER) out.push(entry("access", "other", "", mode & 7));
      else out.push(named("access", e));
    }
  }
  if (obs.dflt !== "") {
    for (const e of decodeScope(obs.dflt, path)) {
      if (hasId(e.tag)) out.push(named("default", e));
      else out.push(entry("default", BASE_TYPE[e.tag]!, "", e.perm));
    }
  }
  return Object.freeze(sortEntries(out).map((e) => Object.freeze(e)));
}

const BASE_TYPE: Record<number, AclEntry["type"]> = {
  [ACL_USER_OBJ]: "user",
  [ACL_GROUP_OBJ]: "group",
  [ACL_MASK]: "mask",
  [ACL_OTHER]: "other",
};

export function aclOf(obs: Observed, type: NodeType, ctx: NodeContext, path: string): Acl {
  // Keyed by the bytes as read (no concatenation for a file, the common case), then by kind and mode.
  // Access bytes start with version 2 or are empty, so a length prefix never looks like them.
  const bytes = obs.dflt === "" ? obs.access : `${obs.access.length}:${obs.access}${obs.dflt}`;
  const kindMode = (type === "dir" ? 0o1000 : 0) | (obs.mode & 0o777);
  let byMode = ctx.aclCache.get(bytes);
  let acl = byMode?.get(kindMode);
  if (acl === undefined) {
    acl = buildAcl(obs, ctx, path);
    if (byMode === undefined) {
      if (ctx.aclCache.size >= ACL_CACHE_MAX) ctx.aclCache.clear();
      byMode = new Map();
      ctx.aclCache.set(bytes, byMode);
    }
    byMode.set(kindMode, acl);
  }
  return acl;
}
