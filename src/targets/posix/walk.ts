// Symlink-proof traversal: every component is reached with openat(dirfd, name, O_NOFOLLOW) from an
// fd on the configured root (see open.ts), so no path is ever re-resolved and no symlink followed.

import { GsError } from "../../errors.ts";
import type { NodeType, SkippedPath, WalkOptions } from "../target.ts";
import { DT_DIR, DT_LNK, DT_REG, DT_UNKNOWN, listDir } from "./at.ts";
import { close, errnoName, NativeError } from "./native.ts";
import { PosixNode } from "./node.ts";
import { type NodeContext, type Observed, observe } from "./observe.ts";
import { observeAt } from "./observe-at.ts";
import { type ChildRules, HeldDir, type Opened, openChild } from "./open.ts";
import { PendingVisits } from "./pending-visits.ts";

const NOTHING = () => {};

/** One turn of the event loop: what settles visits (a journal batch landing, a write thread's answer) runs. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * After a write the walk opens the next this many files instead of reading them by name: opening
 * costs one system call more than two lookups by name, but a write through a file already open
 * saves the open and the re-read a write after a lookup by name needs.
 */
const OPEN_AFTER_WRITE = 4096;

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
  const walker = new Walker(ctx, { dev: rootDev }, options);
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
  // Zero, not ctx.writes: a target that wrote in its last walk (the previous root of an apply)
  // starts this one opening files.
  private writesSeen = 0;
  private openLeft = 0;

  constructor(
    private readonly ctx: NodeContext,
    private readonly rules: ChildRules,
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

  /**
   * Visits the node. A synchronous visit releases the node at once and `settle` runs now; an async
   * one stays pending, and the node is released and `settle` run once it settled.
   */
  private visitNode(node: PosixNode, settle: () => void): void {
    let r: void | Promise<void>;
    try {
      r = this.options.visit(node);
    } catch (err) {
      node.release();
      settle();
      throw err;
    }
    if (!r) {
      node.release();
      settle();
      return;
    }
    this.pending.add(r, () => {
      node.release();
      settle();
    });
  }

  /** Most of a tree is files: a synchronous visit of one costs no promise at all. */
  visitFile(o: Opened, nodePath: string): void {
    const node = this.nodeFor(o, nodePath);
    if (node) this.visitNode(node, () => close(o.fd));
  }

  /** A file read by name: the node holds its directory open until its visit settles. */
  private visitFileAt(obs: Observed, dir: HeldDir, name: string, nodePath: string): void {
    dir.hold();
    let node: PosixNode;
    try {
      node = new PosixNode(nodePath, "file", this.ctx, obs, -1, { dir, name, rules: this.rules });
    } catch (err) {
      dir.drop();
      this.options.skip(skipFromError(nodePath, err));
      return;
    }
    this.visitNode(node, NOTHING);
  }

  /**
   * A directory stays open (its fd anchors every openat below it) until its subtree is done, its
   * own visit settled and every visit of a child read by name settled.
   */
  async visitDir(o: Opened, nodePath: string): Promise<void> {
    const node = this.nodeFor(o, nodePath);
    if (!node) return;
    // One hold for the subtree below, one for the directory's own visit.
    const dir = new HeldDir(o.fd);
    dir.hold();
    try {
      this.visitNode(node, () => dir.drop());
      if (this.options.descend === undefined || this.options.descend(node))
        await this.children(dir, nodePath);
    } finally {
      dir.drop();
    }
  }

  /** Whether to read the next file by name, or open it because writes are going on. */
  private byName(): boolean {
    if (this.ctx.writes !== this.writesSeen) {
      this.writesSeen = this.ctx.writes;
      this.openLeft = OPEN_AFTER_WRITE;
    }
    if (this.openLeft === 0) return true;
    this.openLeft--;
    return false;
  }

  private async children(dir: HeldDir, dirPath: string): Promise<void> {
    const { skip, signal } = this.options;
    const listing = listDir(dir.fd);
    if (typeof listing === "number") {
      skip({ path: dirPath, reason: "error", detail: `readdir: ${errnoName(-listing)}` });
      return;
    }
    const { names, types } = listing;
    // One string per child path (a template joining three parts would make two).
    const prefix = dirPath === "/" ? "/" : `${dirPath}/`;
    for (let i = 0; i < names.length; i++) {
      signal?.throwIfAborted();
      if (this.pending.full) await this.pending.room();
      else if (this.pending.due()) await nextTurn();
      const name = names[i]!;
      const dtype = types[i]!;
      const childPath = prefix + name;
      if (name.includes("\uFFFD")) {
        // Decoding replaced bytes that are not UTF-8; opening the re-encoded name would miss or alias.
        skip({ path: childPath, reason: "error", detail: "file name is not valid UTF-8" });
      } else if (dtype === DT_LNK) skip({ path: childPath, reason: "symlink" });
      else if (dtype !== DT_DIR && dtype !== DT_REG && dtype !== DT_UNKNOWN)
        skip({ path: childPath, reason: "special-file" });
      else {
        const below = this.child(dir, name, childPath, dtype);
        if (below) await below;
      }
    }
  }

  /**
   * Reads one child: a file now, with no promise (an async function and its await cost a promise,
   * a reaction and a microtask per file); a directory's subtree is the promise returned.
   */
  private child(dir: HeldDir, name: string, childPath: string, dtype: number): Promise<void> | undefined {
    let hint: NodeType | undefined = dtype === DT_DIR ? "dir" : dtype === DT_REG ? "file" : undefined;
    if (hint !== "dir" && this.byName()) {
      let seen: ReturnType<typeof observeAt>;
      try {
        seen = observeAt(dir.fd, name, this.rules, childPath, dtype);
      } catch (err) {
        this.options.skip(skipFromError(childPath, err));
        return;
      }
      if (seen === "dir") hint = "dir";
      else if (seen !== undefined) {
        if ("reason" in seen) this.options.skip({ path: childPath, ...seen });
        else this.visitFileAt(seen, dir, name, childPath);
        return;
      }
    }
    const opened = openChild(dir.fd, name, this.rules, hint);
    if ("reason" in opened) this.options.skip({ path: childPath, ...opened });
    else if (opened.type === "dir") return this.visitDir(opened, childPath);
    else this.visitFile(opened, childPath);
    return undefined;
  }
}

export function skipFromError(path: string, err: unknown): SkippedPath {
  if (err instanceof NativeError) return { path, reason: "error", detail: `${err.syscall}: ${err.errno}` };
  if (err instanceof GsError) return { path, reason: "error", detail: `${err.code} ${err.message}` };
  return { path, reason: "error", detail: String(err) };
}
