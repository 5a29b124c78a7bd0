// Symlink-proof traversal: every component is reached with openat(dirfd, name, O_NOFOLLOW) from an
// fd on the configured root (see open.ts), so no path is ever re-resolved and no symlink followed.

import { readdirSync } from "node:fs";
import { GsError } from "../../errors.ts";
import type { NodeType, SkippedPath, WalkOptions } from "../target.ts";
import { close, NativeError } from "./native.ts";
import { PosixNode } from "./node.ts";
import { type NodeContext, observe } from "./observe.ts";
import { type Opened, openChild } from "./open.ts";
import { PendingVisits } from "./pending-visits.ts";

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
  const walker = new Walker(ctx, rootDev, options);
  try {
    options.signal?.throwIfAborted();
    if (start.type === "dir") await walker.visitDir(start, path);
    else walker.visitFile(start, path);
  } catch (err) {
    // No visit may still be writing once the walk returns, even when it failed.
    await walker.pending.drain().catch(() => undefined);
    throw err;
  }
  await walker.pending.drain();
}

class Walker {
  readonly pending = new PendingVisits();

  constructor(
    private readonly ctx: NodeContext,
    private readonly rootDev: number,
    private readonly options: WalkOptions,
  ) {}

  /** The node for an opened fd, or undefined (fd closed, skip reported) when it cannot be read. */
  private nodeFor(o: Opened, nodePath: string): PosixNode | undefined {
    try {
      return new PosixNode(nodePath, o.type, this.ctx, observe(o.fd, o.st, o.type === "dir", nodePath), o.fd);
    } catch (err) {
      close(o.fd);
      this.options.skip(skipFromError(nodePath, err));
      return undefined;
    }
  }

  /** The visit's promise with the node released once it settles, or undefined when it was synchronous. */
  private visitNode(node: PosixNode): Promise<void> | undefined {
    let r: void | Promise<void>;
    try {
      r = this.options.visit(node);
    } catch (err) {
      node.release();
      throw err;
    }
    if (!r) {
      node.release();
      return undefined;
    }
    return Promise.resolve(r).finally(() => node.release());
  }

  /** Most of a tree is files: a synchronous visit of one costs no promise at all. */
  visitFile(o: Opened, nodePath: string): void {
    const node = this.nodeFor(o, nodePath);
    if (!node) return;
    let visiting: Promise<void> | undefined;
    try {
      visiting = this.visitNode(node);
    } finally {
      if (visiting) this.pending.add(visiting.finally(() => close(o.fd)));
      else close(o.fd);
    }
  }

  /**
   * A directory stays open (its fd anchors every openat below it) until its subtree is done and
   * its own visit settled.
   */
  async visitDir(o: Opened, nodePath: string): Promise<void> {
    const node = this.nodeFor(o, nodePath);
    if (!node) return;
    let visiting: Promise<void> | undefined;
    try {
      visiting = this.visitNode(node);
      if (this.options.descend === undefined || this.options.descend(node))
        await this.children(o.fd, nodePath);
    } finally {
      if (visiting) this.pending.add(visiting.finally(() => close(o.fd)));
      else close(o.fd);
    }
  }

  private async children(dirfd: number, dirPath: string): Promise<void> {
    const { skip, signal } = this.options;
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
      if (this.pending.full) await this.pending.drain();
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
      const child = openChild(dirfd, name, { dev: this.rootDev }, DT_HINT(d));
      if ("reason" in child) skip({ path: childPath, ...child });
      else if (child.type === "dir") await this.visitDir(child, childPath);
      else this.visitFile(child, childPath);
    }
  }
}

export function skipFromError(path: string, err: unknown): SkippedPath {
  if (err instanceof NativeError) return { path, reason: "error", detail: `${err.syscall}: ${err.errno}` };
  if (err instanceof GsError) return { path, reason: "error", detail: `${err.code} ${err.message}` };
  return { path, reason: "error", detail: String(err) };
}
