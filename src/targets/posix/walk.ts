// Symlink-proof traversal: every component is reached with openat(dirfd, name, O_NOFOLLOW) from an
// fd on the configured root, so no path is ever re-resolved and no symlink is ever followed.

import { readdirSync } from "node:fs";
import { GsError } from "../../errors.ts";
import type { NodeType, SkippedPath, SkipReason, WalkOptions } from "../target.ts";
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
  NativeError,
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
import { PosixNode } from "./node.ts";
import { type NodeContext, observe } from "./observe.ts";
import { PendingVisits } from "./pending-visits.ts";

const DIR_FLAGS = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// O_NONBLOCK: a FIFO swapped in after readdir must not block the open.
const FILE_FLAGS = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;

export type Opened = { fd: number; st: Stat; type: NodeType };
export type Refused = { reason: SkipReason; detail?: string };

function refusal(errno: number): Refused {
  if (errno === ENOENT) return { reason: "missing" };
  if (errno === ELOOP) return { reason: "symlink" };
  if (errno === ENXIO) return { reason: "special-file" };
  if (errno === EACCES || errno === EPERM) return { reason: "not-permitted", detail: errnoName(errno) };
  return { reason: "error", detail: errnoName(errno) };
}

function kindOf(mode: number): "dir" | "file" | Refused {
  const fmt = mode & S_IFMT;
  if (fmt === S_IFDIR) return "dir";
  if (fmt === S_IFREG) return "file";
  if (fmt === S_IFLNK) return { reason: "symlink" };
  return { reason: "special-file" };
}

/**
 * Opens `name` below `dirfd` without following it. `hint` is the type readdir reported (or
 * undefined): it picks the open flags, but only fstat on the opened fd decides what we act on.
 */
/** `rootDev` -1 accepts any device (a nested root reached from its outer root). */
export function openChild(dirfd: number, name: string, rootDev: number, hint?: NodeType): Opened | Refused {
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
    const kind = typeof st === "number" ? refusal(-st) : kindOf(st.mode);
    let why: Refused | undefined;
    if (typeof kind !== "string") why = kind;
    else if (rootDev !== -1 && (st as Stat).dev !== rootDev) why = { reason: "other-filesystem" };
    // Like systemd-tmpfiles: a second link may sit in a directory we do not manage.
    else if (kind === "file" && (st as Stat).nlink > 1) why = { reason: "hardlink" };
    if (why) {
      close(fd);
      return why;
    }
    return { fd, st: st as Stat, type: kind as NodeType };
  }
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
      const child = openChild(dirfd, name, nested ? -1 : root.dev, last ? undefined : "dir");
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

function join(dir: string, name: string): string {
  return dir === "/" ? `/${name}` : `${dir}/${name}`;
}

const DT_HINT = (d: { isDirectory(): boolean; isFile(): boolean }): NodeType | undefined =>
  d.isDirectory() ? "dir" : d.isFile() ? "file" : undefined;

/**
 * Walks below an opened start. Takes ownership of start.fd. A visit that returns a promise may stay
 * pending while the walk goes on (up to pending-visits.ts's MAX_PENDING); none is pending when the walk returns.
 */
export async function walkFrom(
  ctx: NodeContext,
  start: Opened,
  path: string,
  rootDev: number,
  options: WalkOptions,
): Promise<void> {
  const { visit, skip, descend, signal } = options;
  const pending = new PendingVisits();

  // The node for an opened fd, or undefined (fd closed, skip reported) when it cannot be read.
  const nodeFor = (o: Opened, nodePath: string): PosixNode | undefined => {
    try {
      return new PosixNode(nodePath, o.type, ctx, observe(o.fd, o.st, o.type === "dir", nodePath), o.fd);
    } catch (err) {
      close(o.fd);
      skip(skipFromError(nodePath, err));
      return undefined;
    }
  };

  /** The visit's promise with the node released once it settles, or undefined when it was synchronous. */
  const visitNode = (node: PosixNode): Promise<void> | undefined => {
    let r: void | Promise<void>;
    try {
      r = visit(node);
    } catch (err) {
      node.release();
      throw err;
    }
    if (!r) {
      node.release();
      return undefined;
    }
    return Promise.resolve(r).finally(() => node.release());
  };

  // Most of a tree is files: a synchronous visit of one costs no promise at all.
  const visitFile = (o: Opened, nodePath: string): void => {
    const node = nodeFor(o, nodePath);
    if (!node) return;
    let visiting: Promise<void> | undefined;
    try {
      visiting = visitNode(node);
    } finally {
      if (visiting) pending.add(visiting.finally(() => close(o.fd)));
      else close(o.fd);
    }
  };

  // A directory stays open (its fd anchors every openat below it) until its subtree is done and
  // its own visit settled.
  const visitDir = async (o: Opened, nodePath: string): Promise<void> => {
    const node = nodeFor(o, nodePath);
    if (!node) return;
    let visiting: Promise<void> | undefined;
    try {
      visiting = visitNode(node);
      if (descend === undefined || descend(node)) await children(o.fd, nodePath);
    } finally {
      if (visiting) pending.add(visiting.finally(() => close(o.fd)));
      else close(o.fd);
    }
  };

  const children = async (dirfd: number, dirPath: string): Promise<void> => {
    let entries: import("node:fs").Dirent[];
    try {
      entries = readdirSync(`/proc/self/fd/${dirfd}`, { withFileTypes: true });
    } catch (err) {
      skip({
        path: dirPath,
        reason: "error",
        detail: `readdir: ${(err as NodeJS.ErrnoException).code ?? err}`,
      });
      return;
    }
    for (const d of entries) {
      signal?.throwIfAborted();
      if (pending.full) await pending.drain();
      const name = d.name;
      const childPath = join(dirPath, name);
      if (name.includes("\uFFFD")) {
        // Decoding replaced bytes that are not UTF-8; opening the re-encoded name would miss or alias.
        skip({ path: childPath, reason: "error", detail: "file name is not valid UTF-8" });
        continue;
      }
      if (d.isSymbolicLink()) {
        skip({ path: childPath, reason: "symlink" });
        continue;
      }
      if (d.isFIFO() || d.isSocket() || d.isBlockDevice() || d.isCharacterDevice()) {
        skip({ path: childPath, reason: "special-file" });
        continue;
      }
      const child = openChild(dirfd, name, rootDev, DT_HINT(d));
      if ("reason" in child) skip({ path: childPath, ...child });
      else if (child.type === "dir") await visitDir(child, childPath);
      else visitFile(child, childPath);
    }
  };

  try {
    signal?.throwIfAborted();
    if (start.type === "dir") await visitDir(start, path);
    else visitFile(start, path);
  } catch (err) {
    // No visit may still be writing once the walk returns, even when it failed.
    await pending.drain().catch(() => undefined);
    throw err;
  }
  await pending.drain();
}

export function skipFromError(path: string, err: unknown): SkippedPath {
  if (err instanceof NativeError) return { path, reason: "error", detail: `${err.syscall}: ${err.errno}` };
  if (err instanceof GsError) return { path, reason: "error", detail: `${err.code} ${err.message}` };
  return { path, reason: "error", detail: String(err) };
}
