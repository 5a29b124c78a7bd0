// The POSIX Target: walks, reads and writes ACLs below admin-configured roots on the local host,
// through fds only (see walk.ts), resolving names with the host's name service (see names.ts).

import { stat } from "node:fs/promises";
import { posix } from "node:path";
import type { InodeView } from "../../acl/access.ts";
import type { Acl } from "../../acl/entry.ts";
import type { Principal } from "../../acl/principal.ts";
import { GsError } from "../../errors.ts";
import type { AboveRoot, Target, TargetIdentity, TargetNode, WalkOptions } from "../target.ts";
import { posixIdentity, readChain } from "./chain.ts";
import { NameResolver } from "./names.ts";
import { close } from "./native.ts";
import { PosixNode } from "./node.ts";
import { type NodeContext, observe } from "./observe.ts";
import { type Opened, openBelow, type Refused, refusedError } from "./open.ts";
import { openTrustedPath } from "./roots.ts";
import { walkFrom } from "./walk.ts";
import { newJobs } from "./write-jobs.ts";
import { WriteThread } from "./write-thread.ts";

/**
 * Fewer writes than this at once are made on the main thread: handing them over would cost more
 * than it saves. GRANTSYNC_POSIX_WRITE_THREAD=0 never uses the write thread, =1 for every batch
 * (the tests run the target's tests both ways).
 */
const WRITE_THREAD_MIN =
  process.env.GRANTSYNC_POSIX_WRITE_THREAD === "0"
    ? Number.POSITIVE_INFINITY
    : process.env.GRANTSYNC_POSIX_WRITE_THREAD === "1"
      ? 1
      : 64;

/** Name and ACL caches are dropped after this long, so NSS changes are seen by a long-lived daemon. */
const CACHE_MAX_AGE_MS = 60_000;

export interface PosixTargetOptions {
  /** Absolute directories grantsync manages; nothing outside them is ever opened. */
  roots: string[];
}

/**
 * `node(path)` returns a node whose fd is already closed: nodes may be kept for long, and holding
 * an fd each would exhaust the fd table. Its write() reopens the path the same safe way and
 * refuses (GS_ACL_CHANGED) unless it finds the same inode with the same ACL and mode. Nodes handed
 * to `walk`'s visit write through the walk's own fd until the visit settles, then behave the same.
 *
 * The walk visits directories and regular files only. It skips, without writing: symlinks
 * anywhere (also as a component of the walk start, which node() refuses with GS_PATH_UNSAFE),
 * FIFOs, sockets and devices (never opened), regular files with more than one link, anything on
 * another filesystem than its root, and names that are not valid UTF-8.
 */
export class PosixTarget implements Target {
  readonly kind = "posix" as const;
  readonly fileExecuteDefault = false;
  readonly maxEntries = undefined;
  private readonly roots: string[];
  private readonly ctx: NodeContext;
  private cacheBorn = Date.now();
  /** Started by the first batch large enough (writeMany), stopped by close(). */
  private writer: WriteThread | undefined;

  constructor(options: PosixTargetOptions) {
    this.roots = options.roots.map((r) => {
      if (!posix.isAbsolute(r))
        throw new GsError("GS_CONFIG_INVALID", `root "${r}" is not absolute`, { input: r });
      return posix.resolve(r);
    });
    this.ctx = {
      names: new NameResolver(),
      aclCache: new Map(),
      reopen: (path) => {
        const o = this.open(path);
        if ("reason" in o) throw refusedError(path, o, "GS_ACL_CHANGED");
        return o;
      },
      writes: 0,
    };
  }

  async walk(root: string, options: WalkOptions): Promise<void> {
    this.freshen();
    const { rootDev, opened, path } = this.openForWalk(root);
    if ("reason" in opened) {
      options.skip({ path, ...opened });
      return;
    }
    await walkFrom(this.ctx, opened, path, rootDev, options);
  }

  /**
   * The nodes' writes, the system calls of those the walk holds open on the write thread while
   * the main thread goes on; the others (and all of a small batch) written here, by writeNow.
   */
  async writeMany(nodes: readonly TargetNode[], nexts: readonly Acl[]): Promise<unknown[]> {
    const errors: unknown[] = new Array(nodes.length).fill(undefined);
    const jobs = newJobs(nodes.length);
    const sent: number[] = [];
    if (nodes.length >= WRITE_THREAD_MIN) this.writer ??= new WriteThread();
    const thread = nodes.length >= WRITE_THREAD_MIN ? this.writer : undefined;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      try {
        if (thread && node instanceof PosixNode && node.writeJob(nexts[i]!, jobs, sent.length, thread))
          sent.push(i);
        else if (node.writeNow) node.writeNow(nexts[i]!);
        else await node.write(nexts[i]!);
      } catch (err) {
        errors[i] = err;
      }
    }
    if (sent.length === 0) return errors;
    const results = await thread!.run(jobs, sent.length);
    for (let k = 0; k < sent.length; k++) {
      const i = sent[k]!;
      try {
        (nodes[i] as PosixNode).finishJob(nexts[i]!, results.status[k]!, results.op[k]!);
      } catch (err) {
        errors[i] = err;
      }
    }
    return errors;
  }

  async node(path: string): Promise<TargetNode | null> {
    this.freshen();
    const { opened, path: p } = this.openForWalk(path);
    if ("reason" in opened) {
      if (opened.reason === "missing") return null;
      throw refusedError(p, opened);
    }
    try {
      return new PosixNode(
        p,
        opened.type,
        this.ctx,
        observe(opened.fd, opened.st, opened.type === "dir", p),
        -1,
      );
    } finally {
      close(opened.fd);
    }
  }

  async statAbove(path: string): Promise<AboveRoot | null> {
    // Read only, and only for a report: a path lookup is enough here.
    const st = await stat(path).catch(() => null);
    if (!st) return null;
    const { names } = this.ctx;
    return {
      mode: st.mode & 0o777,
      owner: names.display("user", st.uid),
      group: names.display("group", st.gid),
    };
  }

  async unknownPrincipals(principals: readonly Principal[]): Promise<Principal[]> {
    this.freshen();
    return principals.filter((p) => this.ctx.names.id(p.kind, p.name) === null);
  }

  async chain(path: string): Promise<InodeView[]> {
    this.freshen();
    return readChain(this.ctx, posix.resolve(path));
  }

  async identity(user: string): Promise<TargetIdentity> {
    this.freshen();
    return posixIdentity(this.ctx, user);
  }

  /** No fd outlives a call; this drops the caches and stops the write thread. */
  async close(): Promise<void> {
    this.ctx.names.clear();
    this.ctx.aclCache.clear();
    const writer = this.writer;
    this.writer = undefined;
    await writer?.close();
  }

  private freshen(): void {
    if (Date.now() - this.cacheBorn < CACHE_MAX_AGE_MS) return;
    this.ctx.names.clear();
    this.ctx.aclCache.clear();
    this.cacheBorn = Date.now();
  }

  /**
   * The outermost root holding `path` is opened from "/" (no symlink, no directory another user
   * could rearrange); everything below it, nested roots included, from its fd with O_NOFOLLOW.
   */
  private openForWalk(path: string): { rootDev: number; opened: Opened | Refused; path: string } {
    const p = posix.resolve(path);
    const { root, components, rootsAt } = this.locate(p);
    const r = openTrustedPath(root);
    if ("reason" in r) return { rootDev: -1, opened: r, path: p };
    const opened = openBelow(r, components, rootsAt);
    return { rootDev: r.dev, opened, path: p };
  }

  private open(path: string): Opened | Refused {
    return this.openForWalk(path).opened;
  }

  /**
   * The outermost configured root holding `path` (already normalized, so ".." cannot escape), the
   * components below it, and the indexes of those components that are nested roots.
   */
  private locate(path: string): { root: string; components: string[]; rootsAt: Set<number> } {
    if (path.includes("\0")) {
      // openat would stop at the NUL and open a shorter name than the one asked for.
      throw new GsError("GS_PATH_UNSAFE", `refusing ${JSON.stringify(path)}: it contains a NUL`, {
        location: path,
      });
    }
    const holding = this.roots
      .filter((r) => path === r || path.startsWith(r === "/" ? "/" : `${r}/`))
      .sort((a, b) => a.length - b.length);
    const outer = holding[0];
    if (outer === undefined) {
      throw new GsError("GS_PATH_OUTSIDE_ROOTS", `${path} is not under a configured root`, {
        location: path,
      });
    }
    const below = (p: string) =>
      p
        .slice(outer.length)
        .split("/")
        .filter((c) => c !== "");
    const rootsAt = new Set(holding.slice(1).map((r) => below(r).length - 1));
    return { root: outer, components: below(path), rootsAt };
  }
}
