// Opening what lies below a held directory fd without following anything: one openat(O_NOFOLLOW)
// per component, the type and device taken from fstat on the opened fd, never from the name.
// The walk, a single node's lookup and the access chain all reach inodes through these.

import { GsError } from "../../errors.ts";
import type { NodeType, SkipReason } from "../target.ts";
import {
  close,
  EACCES,
  ELOOP,
  ENOENT,
  ENOTDIR,
  ENXIO,
  EPERM,
  errnoName,
  fstat,
  lstatAt,
  O_CLOEXEC,
  O_DIRECTORY,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_RDONLY,
  openat,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  type Stat,
} from "./native.ts";

export const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// O_NONBLOCK: a FIFO swapped in after readdir must not block the open.
export const FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

export type Opened = { fd: number; st: Stat; type: NodeType };
export type Refused = { reason: SkipReason; detail?: string };

export function refusal(errno: number): Refused {
  if (errno === ENOENT) return { reason: "missing" };
  if (errno === ELOOP) return { reason: "symlink" };
  if (errno === ENXIO) return { reason: "special-file" };
  if (errno === EACCES || errno === EPERM) return { reason: "not-permitted", detail: errnoName(errno) };
  return { reason: "error", detail: errnoName(errno) };
}

export function kindOf(mode: number): NodeType | Refused {
  const fmt = mode & S_IFMT;
  if (fmt === S_IFDIR) return "dir";
  if (fmt === S_IFREG) return "file";
  if (fmt === S_IFLNK) return { reason: "symlink" };
  return { reason: "special-file" };
}

/** What a write may go through: the walk's rules, or (readOnly) anything that is a file or dir. */
export interface ChildRules {
  /** The device the child must be on, or -1 for any (a nested root, or a read-only chain). */
  dev: number;
  /** Reading only: a file with several links is as good as any other. */
  readOnly?: boolean;
}

/**
 * Opens `name` below `dirfd` without following it. `hint` is the type readdir reported (or
 * undefined): it picks the open flags, but only fstat on the opened fd decides what we act on.
 */
export function openChild(dirfd: number, name: string, rules: ChildRules, hint?: NodeType): Opened | Refused {
  for (let attempt = 0; ; attempt++) {
    if (hint === undefined) {
      // DT_UNKNOWN, or the type changed under us: look before opening, so FIFOs and devices never are.
      const st = lstatAt(dirfd, name);
      if (typeof st === "number") return refusal(-st);
      const kind = kindOf(st.mode);
      if (typeof kind !== "string") return kind;
      hint = kind;
    }
    const fd = openat(dirfd, name, hint === "dir" ? DIR_FLAGS : FILE_FLAGS);
    if (fd < 0) {
      // ENOTDIR: no longer a directory (swapped for a symlink or file); look again, once.
      if (-fd === ENOTDIR && attempt === 0) {
        hint = undefined;
        continue;
      }
      return refusal(-fd === ENOTDIR ? ELOOP : -fd);
    }
    const st = fstat(fd);
    const why = typeof st === "number" ? refusal(-st) : refusedChild(st, rules);
    if (typeof why !== "string") {
      close(fd);
      return why;
    }
    return { fd, st: st as Stat, type: why };
  }
}

/** The child's type, or why the walk leaves it alone. */
export function refusedChild(st: Stat, rules: ChildRules): NodeType | Refused {
  const kind = kindOf(st.mode);
  if (typeof kind !== "string") return kind;
  if (rules.dev !== -1 && st.dev !== rules.dev) return { reason: "other-filesystem" };
  // Like systemd-tmpfiles: a second link may sit in a directory we do not manage.
  if (kind === "file" && st.nlink > 1 && !rules.readOnly) return { reason: "hardlink" };
  return kind;
}

export interface Root {
  fd: number;
  dev: number;
}

/**
 * Reaches `components` below an open root one openat at a time. Takes ownership of root.fd: it is
 * either returned (no components) or closed. A component at an index in `rootsAt` is a nested
 * configured root, which may be another filesystem: root.dev becomes its device from there on.
 */
export function openBelow(
  root: Root,
  components: readonly string[],
  rootsAt: ReadonlySet<number> = new Set(),
): Opened | Refused {
  let dirfd = root.fd;
  try {
    if (components.length === 0) {
      const st = fstat(dirfd);
      if (typeof st === "number") return refusal(-st);
      const opened: Opened = { fd: dirfd, st, type: "dir" };
      dirfd = -1;
      return opened;
    }
    for (let i = 0; i < components.length; i++) {
      const name = components[i]!;
      const last = i === components.length - 1;
      const nested = rootsAt.has(i);
      const child = openChild(dirfd, name, { dev: nested ? -1 : root.dev }, last ? undefined : "dir");
      if ("reason" in child) {
        if (last || child.reason !== "symlink") return child;
        return {
          reason: "symlink",
          detail: `"${components.slice(0, i + 1).join("/")}" is a symlink`,
        };
      }
      close(dirfd);
      dirfd = -1;
      if (nested) root.dev = child.st.dev;
      if (last) return child;
      if (child.type !== "dir") {
        close(child.fd);
        return { reason: "missing", detail: `"${name}" is not a directory` };
      }
      dirfd = child.fd;
    }
    return { reason: "missing" };
  } finally {
    if (dirfd >= 0) close(dirfd);
  }
}

/** A directory fd the walk and its children's pending visits share; the last to let go closes it. */
export class HeldDir {
  private refs = 1;

  constructor(readonly fd: number) {}

  hold(): void {
    this.refs++;
  }

  drop(): void {
    if (--this.refs === 0) close(this.fd);
  }
}

/** The error for a path that cannot be opened the safe way (node(), or a write that reopens). */
export function refusedError(
  path: string,
  r: Refused,
  missingCode: "GS_ACL_CHANGED" | "GS_TARGET_IO" = "GS_TARGET_IO",
): GsError {
  const detail = r.detail ? ` (${r.detail})` : "";
  switch (r.reason) {
    case "missing":
      return new GsError(missingCode, `${path} no longer exists${detail}`, { location: path });
    case "symlink":
    case "special-file":
    case "hardlink":
    case "other-filesystem":
    case "unsafe-path":
      return new GsError("GS_PATH_UNSAFE", `refusing ${path}: ${r.reason}${detail}`, { location: path });
    default:
      return new GsError("GS_TARGET_IO", `cannot open ${path}: ${r.reason}${detail}`, { location: path });
  }
}
