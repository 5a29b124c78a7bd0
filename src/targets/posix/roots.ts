// Opening a configured root as safely as anything below it: from "/" one component at a time,
// never through a symlink, and never through a directory another user could rearrange under us
// (systemd-tmpfiles' "unsafe path transition"). Nested roots are reached from the outer root's fd.

import { AT_FDCWD, close, ELOOP, ENOENT, ENOTDIR, errnoName, fstat, openat, type Stat } from "./native.ts";
import { DIR_FLAGS, type Refused, type Root } from "./open.ts";

const S_ISVTX = 0o1000;

/**
 * Whether someone other than root and us could replace `child` inside `parent`: parent's owner,
 * group or others may write it, unless the sticky bit keeps them off a child root or we own.
 */
export function unsafeTransition(parent: Stat, child: Stat, me: number): string | undefined {
  const trusted = (uid: number) => uid === 0 || uid === me;
  if (parent.mode & 0o200 && !trusted(parent.uid)) return `writable by its owner, uid ${parent.uid}`;
  const byOthers = parent.mode & 0o002 ? "others" : parent.mode & 0o020 ? `group ${parent.gid}` : undefined;
  if (byOthers === undefined) return undefined;
  if (parent.mode & S_ISVTX && trusted(child.uid)) return undefined;
  return `writable by ${byOthers}`;
}

/** Opens an absolute, normalized directory path from "/" with every transition checked. */
export function openTrustedPath(path: string, me = process.geteuid?.() ?? 0): Root | Refused {
  let fd = openat(AT_FDCWD, "/", DIR_FLAGS);
  if (fd < 0) return { reason: "error", detail: `open /: ${errnoName(-fd)}` };
  let parent = fstat(fd);
  let at = "";
  for (const name of path.split("/").filter((c) => c !== "")) {
    if (typeof parent === "number") break;
    const here = `${at}/${name}`;
    const child = openat(fd, name, DIR_FLAGS);
    close(fd);
    fd = -1;
    if (child < 0) {
      if (-child === ELOOP || -child === ENOTDIR)
        return { reason: "symlink", detail: `"${here}" is a symlink or not a directory` };
      return { reason: -child === ENOENT ? "missing" : "error", detail: `"${here}": ${errnoName(-child)}` };
    }
    const st = fstat(child);
    if (typeof st === "number") {
      close(child);
      return { reason: "error", detail: `fstat "${here}": ${errnoName(-st)}` };
    }
    const why = unsafeTransition(parent, st, me);
    if (why !== undefined) {
      close(child);
      return { reason: "unsafe-path", detail: `"${at || "/"}" is ${why}, so "${here}" could be swapped` };
    }
    fd = child;
    parent = st;
    at = here;
  }
  if (typeof parent === "number") {
    if (fd >= 0) close(fd);
    return { reason: "error", detail: `fstat: ${errnoName(-parent)}` };
  }
  return { fd, dev: parent.dev };
}
