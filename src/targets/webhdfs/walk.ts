// The tree walk below one directory: LISTSTATUS_BATCH pages, a few directories listed in parallel,
// parents visited before children, and a bounded queue so memory never grows with the tree.

import { setMaxListeners } from "node:events";
import type { SkippedPath, TargetNode, WalkOptions } from "../target.ts";
import { Backlog } from "./backlog.ts";
import { WebhdfsRemoteError } from "./errors.ts";
import { childPath } from "./paths.ts";
import type { FileStatus } from "./types.ts";

export interface WalkDeps {
  listPages(dir: string, signal: AbortSignal): AsyncIterable<FileStatus[]>;
  /** Builds the node from its FileStatus (fetching the ACL only when aclBit says there is one). */
  observe(path: string, status: FileStatus, signal: AbortSignal): Promise<TargetNode>;
  parallel: number;
  /** Shared by the walks of one client (several roots at once); one of its own otherwise. */
  backlog?: Backlog;
}

/** Directories waiting beyond this are listed by the worker that found them, depth-first. */
const QUEUE_PER_WORKER = 16;

/** Whether a directory's children are to be visited: settles once it has been visited itself. */
export type Gate = Promise<boolean>;

const OPEN: Gate = Promise.resolve(true);

/**
 * Walks the children of `root` and everything below them. `rootVisited` settles once the caller
 * has visited `root` (true: descend), so the first listing can be on the wire meanwhile.
 */
export async function walkBelow(
  root: string,
  options: WalkOptions,
  deps: WalkDeps,
  rootVisited: Gate = OPEN,
): Promise<void> {
  const walk = new Walk(options, deps);
  walk.backlog.join(walk.queue);
  try {
    await walk.queue.add(root, rootVisited);
    await walk.queue.drained;
  } finally {
    walk.backlog.leave(walk.queue);
  }
}

/** One walk's state: the signal its requests listen on, the directory queue, the read backlog. */
class Walk {
  readonly queue: DirQueue;
  readonly backlog: Backlog;
  private readonly stop = new AbortController();
  private readonly signal: AbortSignal;

  constructor(
    private readonly options: WalkOptions,
    private readonly deps: WalkDeps,
  ) {
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
    // Every request in flight listens on it; the semaphore, not this warning, is what bounds them.
    setMaxListeners(0, this.signal);
    this.backlog = deps.backlog ?? new Backlog(deps.parallel);
    const backlog = this.backlog;
    this.queue = new DirQueue(
      deps.parallel,
      deps.parallel * QUEUE_PER_WORKER,
      () => backlog.admits(),
      (dir, gate) => this.listOrStop(dir, gate),
    );
  }

  /** A listing that fails ends the walk: the requests still out are aborted. */
  private async listOrStop(dir: string, gate: Gate): Promise<void> {
    try {
      await this.listDir(dir, gate);
    } catch (err) {
      this.stop.abort(err);
      throw err;
    }
  }

  /**
   * Lists `dir` while its own visit may still be pending (the first page, and each next page while
   * the one before is visited, are in flight early); its children are visited only once `gate`
   * says it was visited and is to be descended into, so parents still come before children.
   */
  private async listDir(dir: string, gate: Gate): Promise<void> {
    this.backlog.unlisted++;
    let counted = true;
    const listed = () => {
      if (counted) this.backlog.unlisted--;
      counted = false;
      this.queue.pump();
      this.backlog.released();
    };
    try {
      await this.listPagesOf(dir, gate, listed);
    } finally {
      listed();
    }
  }

  private async listPagesOf(dir: string, gate: Gate, listed: () => void): Promise<void> {
    const pages = this.deps.listPages(dir, this.signal)[Symbol.asyncIterator]();
    let next = pages.next();
    next.catch(() => {}); // handled below, once the gate has settled
    if (!(await gate)) {
      void next.then(
        () => pages.return?.(),
        () => {},
      );
      return;
    }
    for (;;) {
      let page: IteratorResult<FileStatus[]>;
      try {
        page = await next;
      } catch (err) {
        // Only the listing's own failures can mean "this directory went away"; a visit's are the caller's.
        const skipped = skipFor(dir, err);
        if (!skipped) throw err;
        return this.options.skip(skipped);
      }
      if (page.done) return;
      next = pages.next();
      next.catch(() => {});
      if (page.value.length > 0) this.backlog.pageSize = page.value.length;
      const visiting = this.visitPage(dir, page.value);
      listed(); // its reads are out now, counted one by one
      await visiting;
    }
  }

  private async visitPage(dir: string, page: FileStatus[]): Promise<void> {
    const batch: PageBatch = { opened: [], over: false };
    try {
      const found = await Promise.all(page.map((status) => this.observeEarly(dir, status, batch)));
      // A page's visits run together (a writer journals them as one batch and writes them in
      // parallel); its directories' children come once they all settled.
      await this.visitAll(found);
      for (const item of found) {
        if ("reason" in item || !item.listed) continue;
        const descend = this.options.descend?.(item.node) ?? true;
        if (item.open) item.open(descend);
        else if (descend) await this.queue.add(item.node.path, OPEN);
      }
    } finally {
      // After a failure, the listings queued early end without visiting anything.
      batch.over = true;
      for (const open of batch.opened) open(false);
    }
  }

  /**
   * Observes one child; one known to have children and (as far as descend can tell before the
   * visit) wanted has its listing queued now rather than after the whole page has been visited.
   */
  private async observeEarly(dir: string, status: FileStatus, batch: PageBatch): Promise<Found> {
    const item = await this.observeChild(dir, status);
    if (!batch.over && !("reason" in item) && item.listed && (this.options.descend?.(item.node) ?? true)) {
      let open!: (descend: boolean) => void;
      const gate = new Promise<boolean>((resolve) => {
        open = resolve;
      });
      if (this.queue.offer(item.node.path, gate)) {
        item.open = open;
        batch.opened.push(open);
      }
    }
    return item;
  }

  /** Visits a page's nodes together; settles once every visit that wrote has. */
  private visitAll(found: Found[]): Promise<unknown> {
    const visits: Promise<void>[] = [];
    for (const item of found) {
      this.signal.throwIfAborted();
      if ("reason" in item) {
        this.options.skip(item);
        continue;
      }
      const visiting = this.options.visit(item.node);
      if (visiting) visits.push(visiting);
    }
    return Promise.all(visits);
  }

  private async observeChild(dir: string, status: FileStatus): Promise<Found> {
    const path = childPath(dir, status.pathSuffix);
    if (status.type === "SYMLINK") return { path, reason: "symlink", detail: status.symlink };
    this.backlog.outstanding++;
    try {
      const node = await this.deps.observe(path, status, this.signal);
      return { node, listed: node.type === "dir" && hasChildren(status) };
    } catch (err) {
      const skipped = skipFor(path, err);
      if (!skipped) throw err;
      return skipped;
    } finally {
      this.backlog.outstanding--;
      this.backlog.released();
    }
  }
}

type Found = Observed | SkippedPath;

/** One page's early-queued listings: their gates, closed if the page fails. */
interface PageBatch {
  opened: ((descend: boolean) => void)[];
  /** Once the page failed, observes still in flight queue nothing more (no gate would open). */
  over: boolean;
}

interface Observed {
  node: TargetNode;
  /** A directory with children to list (partitions are mostly leaves: no request for those). */
  listed: boolean;
  /** Settles the gate of its listing, when that was queued before its visit. */
  open?: (descend: boolean) => void;
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
  private readonly pending: [string, Gate][] = [];
  private running = 0;
  private failure: { error: unknown } | undefined;
  private settle!: (failure?: { error: unknown }) => void;

  constructor(
    private readonly parallel: number,
    private readonly capacity: number,
    /** Whether the backlog of reads leaves room for another listing (one always runs). */
    private readonly admit: () => boolean,
    private readonly list: (dir: string, gate: Gate) => Promise<void>,
  ) {
    this.drained = new Promise((resolve, reject) => {
      this.settle = (f) => (f ? reject(f.error) : resolve());
    });
  }

  /** Queues `dir`, or lists it right here when the queue is full, so pending work stays bounded. */
  async add(dir: string, gate: Gate): Promise<void> {
    if (!this.offer(dir, gate)) return this.list(dir, gate);
  }

  /** Queues `dir` unless the queue is full (then the caller lists it later itself). */
  offer(dir: string, gate: Gate): boolean {
    if (this.pending.length >= this.capacity) return false;
    this.pending.push([dir, gate]);
    this.pump();
    return true;
  }

  pump(): void {
    while (
      !this.failure &&
      this.running < this.parallel &&
      this.pending.length > 0 &&
      (this.running === 0 || this.admit())
    ) {
      // Newest first keeps the walk depth-first, which keeps the queue short.
      const [dir, gate] = this.pending.pop()!;
      this.running++;
      this.list(dir, gate)
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
