// The one narrow interface the reconcile engine drives: walk a tree, read a node's ACL, write it.
// POSIX and WebHDFS implement it; the engine never knows which one it has.

import type { InodeView } from "../acl/access.ts";
import type { Acl, AclScope } from "../acl/entry.ts";
import type { Principal } from "../acl/principal.ts";

export type NodeType = "dir" | "file";

export interface TargetNode {
  /** Absolute path in the target's namespace (no scheme, no trailing slash). */
  readonly path: string;
  readonly type: NodeType;
  /** The ACL as observed: base entries (from the mode when there is no ACL), access and default. */
  readonly acl: Acl;
  /** Owner and owning group names (a decimal id when it has no name), for who may already pass. */
  readonly owner?: string;
  readonly group?: string;
  /**
   * Writes `next` so that the node ends up carrying exactly it. The target turns it into the
   * cheapest safe operation (one fsetxattr per scope; MODIFY/REMOVE ACL entries on HDFS).
   * Fails rather than write through anything but the node that was observed. Once `stop` has
   * aborted, what is not yet sent is not sent (it fails with stop's reason); what was sent is never
   * cut short, so a failed write is one that did not land.
   */
  write(next: Acl, stop?: AbortSignal): Promise<void>;
  /**
   * The same write, done before it returns (throws what write() would reject with), for a target
   * whose writes are local system calls (POSIX). A writer with many paths ready at once (a journal
   * batch) writes them in one go through it, rather than with a promise per path.
   */
  writeNow?(next: Acl): void;
  /**
   * Why the target would refuse to write this node, when its walk visited it without checking (the
   * POSIX walk reads an in-sync file's ACL without its link count and device). The engine asks only
   * for a node whose decision has a change, while the visit runs, and reports the answer as the walk
   * reports what it skips: plan and apply then list exactly the paths a write would refuse.
   */
  writeRefusal?(): SkippedPath | undefined;
}

export type SkipReason =
  | "symlink"
  | "special-file"
  | "hardlink"
  | "other-filesystem"
  /** A root reached through a directory another user could rearrange (an unsafe path transition). */
  | "unsafe-path"
  | "missing"
  | "not-permitted"
  | "error";

export interface SkippedPath {
  path: string;
  reason: SkipReason;
  detail?: string;
}

export interface WalkOptions {
  /**
   * Called for every node, parent before children. A visit that returns a promise may still be
   * pending while the walk visits the next nodes (a bounded number, so a writer can journal them as
   * one batch); none is pending once walk() settles.
   */
  visit: (node: TargetNode) => void | Promise<void>;
  /** Called for everything the walk refuses to look at or write. */
  skip: (skipped: SkippedPath) => void;
  /** Return false to leave a directory's children out (the directory itself has been visited). */
  descend?: (dir: TargetNode) => boolean;
  signal?: AbortSignal;
}

/** Entries an ACL takes against a target's cap; `scope` when the cap holds per scope (HDFS). */
export interface EntryCount {
  count: number;
  scope?: AclScope;
}

export interface AboveRoot {
  mode: number;
  owner: string;
  group: string;
}

export interface Target {
  readonly kind: "posix" | "webhdfs";
  /** Target default for execute bits on files: POSIX gives none, HDFS mirrors Sentry. */
  readonly fileExecuteDefault: boolean;
  /** Entry cap per path (per scope where entryCount names one), or undefined when the filesystem's own limit is large. */
  readonly maxEntries?: number;
  /** Entries `acl` takes against maxEntries, counted as the filesystem counts them (default: its length). */
  entryCount?(acl: Acl): EntryCount;
  /**
   * Roots the engine may walk at once (default 1): a target whose walks wait on the network keeps
   * its requests in flight across a root's end and the next one's start.
   */
  readonly concurrentRoots?: number;
  /** Walks `root` and everything below it without following symlinks. A missing root is skipped. */
  walk(root: string, options: WalkOptions): Promise<void>;
  /**
   * Writes many nodes of this target's walk at once (each still held by its visit, as for
   * `writeNow`): each node's error, or undefined where it was written, in order. What each node's
   * write() would do, with the system calls made off the main thread where that pays. Rejects
   * only when it cannot tell which writes landed.
   */
  writeMany?(nodes: readonly TargetNode[], nexts: readonly Acl[]): Promise<unknown[]>;
  /** One path, opened as safely as the walk would (for undo and single-path checks); null if absent. */
  node(path: string): Promise<TargetNode | null>;
  /**
   * Mode bits, owner and group of a directory above the roots (never written), so a plan can say
   * who cannot pass it; null when it cannot be read.
   */
  statAbove?(path: string): Promise<AboveRoot | null>;
  /** Principals that do not exist on the target (a POSIX host's name service); [] when unknowable. */
  unknownPrincipals(principals: readonly Principal[]): Promise<Principal[]>;
  /** `/` and every inode down to `path`, read only (also above the roots), for access evaluation. */
  chain?(path: string): Promise<InodeView[]>;
  /** A user as the target's name service sees it; groups null when the target cannot know them. */
  identity?(user: string): Promise<TargetIdentity>;
  close(): Promise<void>;
}

export interface TargetIdentity {
  user: string;
  groups: string[] | null;
  superuser: boolean;
}
