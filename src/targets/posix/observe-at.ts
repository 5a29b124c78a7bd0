// Reading a regular file's ACL without opening it, relative to the walk's held directory fd, with
// AT_SYMLINK_NOFOLLOW: getxattrat alone when the access ACL is there (its bytes give the mode's
// rwx bits), statx + getxattrat otherwise. Lookups by name are not one inode, so what this returns
// is only ever shown: a write first opens the file and compares what it reads through that fd with
// this (see node.ts and docs/SECURITY.md).

import { DT_REG, getxattrAt, statxAt } from "./at.ts";
import { EINVAL, ENOENT, ENOSYS, EOPNOTSUPP, EPERM, NativeError, S_IFREG } from "./native.ts";
import { type Observed, observed, XATTR_ACCESS } from "./observe.ts";
import { type ChildRules, type Refused, refusal, refusedChild } from "./open.ts";
import { modeBitsOf } from "./xattr-codec.ts";

// Only as root: neither call needs read permission on the file, so another user would see files
// the open-per-file walk skips as not-permitted, and could then not open them to write. Root opens
// any file. GRANTSYNC_POSIX_XATTRAT=0 forces the open-per-file path (tests run both; kernels
// before 6.13 get it by themselves).
let usable = process.env.GRANTSYNC_POSIX_XATTRAT !== "0" && process.geteuid?.() === 0;

/** Whether the kernel refused the call itself rather than this name: no such syscall, or a filter. */
function unavailable(errno: number): boolean {
  return errno === ENOSYS || errno === EINVAL || errno === EPERM;
}

/**
 * The file's observation, why the walk leaves it alone, "dir" when it is a directory after all
 * (the caller opens it), or undefined when these calls are not available (the caller opens the
 * file as before, and so does every later call). Throws NativeError on other xattr errors.
 *
 * A file its directory entry calls regular (DT_REG) that carries an access ACL is read with
 * getxattrat alone, and is not checked against the walk's rules (one link, the root's device):
 * nothing is written to it unless it needs a change, and then the engine asks writeRefusal first.
 */
export function observeAt(
  dirfd: number,
  name: string,
  rules: ChildRules,
  path: string,
  dtype: number,
): Observed | Refused | "dir" | undefined {
  if (!usable) return undefined;
  let access: string | Refused | undefined;
  if (dtype === DT_REG) {
    access = readAccess(dirfd, name, path);
    if (typeof access !== "string") return access;
    if (access !== "" && access === lastAclAlone?.access) return lastAclAlone;
    const bits = access === "" ? -1 : modeBitsOf(access);
    if (bits >= 0) {
      lastAclAlone = byAclAlone(access, bits);
      return lastAclAlone;
    }
  }
  const st = statxAt(dirfd, name);
  if (typeof st === "number") {
    if (!unavailable(-st)) return refusal(-st);
    usable = false;
    return undefined;
  }
  const kind = refusedChild(st, rules);
  if (kind === "dir") return kind;
  if (typeof kind !== "string") return kind;
  access ??= readAccess(dirfd, name, path);
  if (typeof access !== "string") return access;
  return observed(st, access, "", false);
}

/** The access ACL's bytes ("" when absent or unsupported), a refusal, or undefined when unavailable. */
function readAccess(dirfd: number, name: string, path: string): string | Refused | undefined {
  const access = getxattrAt(dirfd, name, XATTR_ACCESS);
  if (typeof access === "string") return access;
  const errno = -access;
  if (unavailable(errno)) {
    usable = false;
    return undefined;
  }
  if (errno === ENOENT) return refusal(errno);
  // A filesystem without ACL support simply has none.
  if (errno !== EOPNOTSUPP) throw new NativeError(`getxattrat ${XATTR_ACCESS}`, errno, path);
  return "";
}

/**
 * Everything in a read by ACL alone follows from the ACL's bytes, so files with the same bytes
 * (most of a tree) share one frozen observation rather than allocate one each.
 */
function byAclAlone(access: string, bits: number): Observed {
  return Object.freeze({
    dev: -1,
    ino: -1,
    mode: S_IFREG | bits,
    uid: -1,
    gid: -1,
    ctimeSec: 0,
    ctimeNsec: 0,
    access,
    dflt: "",
    viaFd: false,
    checked: false,
  });
}

let lastAclAlone: Observed | undefined;

/**
 * Why the walk's rules refuse the file `name` below `dirfd` (statx: type, link count, device), or
 * undefined. Only a report, for a file read by its ACL alone: a write checks again through its fd.
 */
export function refusalAt(dirfd: number, name: string, rules: ChildRules): Refused | undefined {
  const st = statxAt(dirfd, name);
  if (typeof st === "number") return refusal(-st);
  const kind = refusedChild(st, rules);
  return typeof kind === "string" ? undefined : kind;
}
