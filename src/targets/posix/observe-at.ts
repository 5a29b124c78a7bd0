// Reading a regular file's ACL without opening it: statx + getxattrat relative to the walk's held
// directory fd, both with AT_SYMLINK_NOFOLLOW. Two lookups of one name are not one inode, so what
// this returns is only ever shown: a write first opens the file and compares what it reads through
// that fd with this (see node.ts and docs/SECURITY.md).

import { getxattrAt, statxAt } from "./at.ts";
import { EINVAL, ENOENT, ENOSYS, EOPNOTSUPP, EPERM, NativeError } from "./native.ts";
import { type Observed, observed, XATTR_ACCESS } from "./observe.ts";
import { type ChildRules, type Refused, refusal, refusedChild } from "./open.ts";

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
 */
export function observeAt(
  dirfd: number,
  name: string,
  rules: ChildRules,
  path: string,
): Observed | Refused | "dir" | undefined {
  if (!usable) return undefined;
  const st = statxAt(dirfd, name);
  if (typeof st === "number") {
    if (!unavailable(-st)) return refusal(-st);
    usable = false;
    return undefined;
  }
  const kind = refusedChild(st, rules);
  if (kind === "dir") return kind;
  if (typeof kind !== "string") return kind;
  let access = getxattrAt(dirfd, name, XATTR_ACCESS);
  if (typeof access === "number") {
    const errno = -access;
    if (unavailable(errno)) {
      usable = false;
      return undefined;
    }
    if (errno === ENOENT) return refusal(errno);
    // A filesystem without ACL support simply has none.
    if (errno !== EOPNOTSUPP) throw new NativeError(`getxattrat ${XATTR_ACCESS}`, errno, path);
    access = "";
  }
  return observed(st, access, "", false);
}
