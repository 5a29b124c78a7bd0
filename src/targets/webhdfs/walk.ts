// The tree walk below one directory: LISTSTATUS_BATCH pages, a few directories listed in parallel,
// parents visited before children, and a bounded queue so memory never grows with the tree.

import { setMaxListeners } from "node:events";
import type { SkippedPath, TargetNode, WalkOptions } from "../target.ts";
import { WebhdfsRemoteError } from "./errors.ts";
import { childPath } from "./paths.ts";
import type { FileStatus } from "./types.ts";

export interface WalkDeps {
  listPages(dir: string, signal: AbortSignal): AsyncIterable<FileStatus[]>;
  /** Builds the node from its FileStatus (fetching the ACL only when aclBit says there is one). */
  observe(path: string, status: FileStatus, signal: AbortSignal): Promise<TargetNode>;
  parallel: number;
}

/** Directories waiting beyond this are listed by the worker that found them, depth-first. */
const QUEUE_PER_WORKER = 16;

/** Walks the children of `root` (already visited by the caller) and everything below them. */
export async function walkBelow(root: string, options: WalkOptions, deps: WalkDeps): Promise<void> {
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  // Every request in flight listens on it; the semaphore, not this warning, is what bounds them.
  setMaxListeners(0, signal);
  const queue = new DirQueue(deps.parallel, deps.parallel * QUEUE_PER_WORKER, async (dir) => {
    try {
      await listDir(dir);
    } catch (err) {
      stop.abort(err);
      throw err;
    }
  });

  const listDir = async (dir: string): Promise<void> => {
    for await (const page of pagesOrSkip(dir)) {
      const found = await Promise.all(page.map((status) => observeChild(dir, status)));
      // A page's visits run together (a writer journals them as one batch and writes them in
      // parallel); its directories are listed once they all settled, so parents still come first.
      const visits: Promise<void>[] = [];
      for (const item of found) {
        signal.throwIfAborted();
        if ("reason" in item) {
          options.skip(item);
          continue;
        }
        const visiting = options.visit(item.node);
        if (visiting) visits.push(visiting);
      }
      await Promise.all(visits);
      for (const item of found) {
        if ("reason" in item || !item.listed) continue;
        if (options.descend?.(item.node) ?? true) await queue.add(item.node.path);
      }
    }
  };

  // Only the listing's own failures can mean "this directory went away"; a visit's errors are the caller's.
  async function* pagesOrSkip(dir: string): AsyncGenerator<FileStatus[]> {
    try {
      yield* deps.listPages(dir, signal);
    } catch (err) {
      const skipped = skipFor(dir, err);
      if (!skipped) throw err;
      options.skip(skipped);
    }
  }

  const observeChild = async (dir: string, status: FileStatus): Promise<Observed | SkippedPath> => {
    const path = childPath(dir, status.pathSuffix);
    if (status.type === "SYMLINK") return { path, reason: "symlink", detail: status.symlink };
    try {
      const node = await deps.observe(path, status, signal);
      return { node, listed: node.type === "dir" && hasChildren(status) };
    } catch (err) {
      const skipped = skipFor(path, err);
      if (!skipped) throw err;
      return skipped;
    }
  };

  await queue.add(root);
  await queue.drained;
}

interface Observed {
  node: TargetNode;
  /** A directory with children to list (partitions are mostly leaves: no request for those). */
  listed: boolean;
}

/**
 * A NameNode fills in childrenNum for directories; a directory that says 0 needs no listing. Servers
 * that leave it out (HttpFS before 2.8) get listed.
 */
export function hasChildren(status: FileStatus): boolean {
  return status.childrenNum === undefined || status.childrenNum > 0;
}

/** Paths that vanish or are closed to us during the walk are reported, not fatal. */
function skipFor(path: string, err: unknown): SkippedPath | undefined {
  if (!(err instanceof WebhdfsRemoteError)) return undefined;
  if (err.is("FileNotFoundException")) return { path, reason: "missing", detail: err.remoteMessage };
  if (err.is("AccessControlException")) return { path, reason: "not-permitted", detail: err.remoteMessage };
  return undefined;
}

class DirQueue {
  readonly drained: Promise<void>;
  private readonly pending: string[] = [];
  private running = 0;
  private failure: { error: unknown } | undefined;
  private settle!: (failure?: { error: unknown }) => void;

  constructor(
    private readonly parallel: number,
    private readonly capacity: number,
    private readonly list: (dir: string) => Promise<void>,
  ) {
    this.drained = new Promise((resolve, reject) => {
      this.settle = (f) => (f ? reject(f.error) : resolve());
    });
  }

  /** Queues `dir`, or lists it right here when the queue is full, so pending work stays bounded. */
  async add(dir: string): Promise<void> {
    if (this.pending.length >= this.capacity) return this.list(dir);
    this.pending.push(dir);
    this.pump();
  }

  private pump(): void {
    while (!this.failure && this.running < this.parallel && this.pending.length > 0) {
      // Newest first keeps the walk depth-first, which keeps the queue short.
      const dir = this.pending.pop()!;
      this.running++;
      this.list(dir)
        .catch((error: unknown) => {
          this.failure ??= { error };
        })
        .finally(() => {
          this.running--;
          this.pump();
        });
    }
    if (this.running === 0 && (this.failure || this.pending.length === 0)) this.settle(this.failure);
  }
}
