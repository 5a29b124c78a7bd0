// Effective access as the enforcer decides it: the kernel's posix_acl_permission / generic_permission
// and the NameNode's FSPermissionChecker, over plain data (each inode on the way from `/`, its owner,
// group and access ACL), so the verdict can be tested without a filesystem.

import { type Acl, type AclEntry, type Perm, permText, R, W, X } from "./entry.ts";
import { formatEntry } from "./spec.ts";

/**
 * `posix`: a superuser (uid 0, CAP_DAC_OVERRIDE) reads and writes anything and searches every
 * directory, but executes a file only when some execute bit is set in its mode.
 * `hdfs`: a superuser (the NameNode's user or a member of its supergroup) passes every check.
 */
export type AccessSemantics = "posix" | "hdfs";

export interface AccessSubject {
  /** Undefined when asking for "a member of these groups" rather than for one user. */
  readonly user?: string;
  readonly groups: readonly string[];
  readonly superuser: boolean;
}

export interface InodeView {
  readonly path: string;
  readonly type: "dir" | "file";
  readonly owner: string;
  readonly group: string;
  /** Access entries with the base entries; default entries are ignored, as enforcement ignores them. */
  readonly acl: Acl;
}

export type DecidingClass = "superuser" | "owner" | "named-user" | "group" | "other";

export interface Decision {
  readonly path: string;
  readonly class: DecidingClass;
  /** The entries that decide, as text (`group:eng:rwx`); with a mask, each also names its effect. */
  readonly entries: readonly string[];
  /** What the subject may do on this inode, traversal aside. */
  readonly perm: Perm;
}

export interface AccessVerdict {
  readonly read: boolean;
  readonly write: boolean;
  readonly execute: boolean;
  /** Every ancestor from `/` lets the subject search it. */
  readonly traverse: boolean;
  /** The inode's own decision, or the first ancestor that refuses to be searched. */
  readonly decidedBy: Decision;
  /** The ancestor's decision when traversal is refused. */
  readonly blockedAt?: string;
}

function accessEntries(acl: Acl): AclEntry[] {
  return acl.filter((e) => e.scope === "access");
}

function shown(e: AclEntry, mask: Perm | undefined): string {
  const text = formatEntry(e);
  return mask === undefined || (e.perm & mask) === e.perm
    ? text
    : `${text} (effective ${permText(e.perm & mask)})`;
}

/** The owner/named user/group class/other decision for one inode (POSIX.1e, as Linux and HDFS apply it). */
export function decide(subject: AccessSubject, inode: InodeView, semantics: AccessSemantics): Decision {
  const acl = accessEntries(inode.acl);
  const base = { path: inode.path };
  const mask = acl.find((e) => e.type === "mask")?.perm;
  const masked = (p: Perm) => (mask === undefined ? p : p & mask);
  if (subject.superuser) {
    const perm = semantics === "hdfs" || inode.type === "dir" || modeExecute(acl, mask) ? R | W | X : R | W;
    return { ...base, class: "superuser", entries: [], perm };
  }
  if (subject.user !== undefined && subject.user === inode.owner) {
    const owner = acl.find((e) => e.type === "user" && e.name === "")!;
    return { ...base, class: "owner", entries: [formatEntry(owner)], perm: owner.perm };
  }
  const named =
    subject.user === undefined ? undefined : acl.find((e) => e.type === "user" && e.name === subject.user);
  if (named) return { ...base, class: "named-user", entries: [shown(named, mask)], perm: masked(named.perm) };
  const groups = new Set(subject.groups);
  const matching = acl.filter((e) => e.type === "group" && groups.has(e.name === "" ? inode.group : e.name));
  if (matching.length > 0) {
    // Any one matching entry that grants a bit grants it; matching ones that grant nothing deny.
    const perm = matching.reduce((p, e) => p | masked(e.perm), 0);
    return { ...base, class: "group", entries: matching.map((e) => shown(e, mask)), perm };
  }
  const other = acl.find((e) => e.type === "other")!;
  return { ...base, class: "other", entries: [formatEntry(other)], perm: other.perm };
}

/** The mode's execute bits: owner, group (the mask when there is one) and other. */
function modeExecute(acl: readonly AclEntry[], mask: Perm | undefined): boolean {
  const owner = acl.find((e) => e.type === "user" && e.name === "")?.perm ?? 0;
  const group = mask ?? acl.find((e) => e.type === "group" && e.name === "")?.perm ?? 0;
  const other = acl.find((e) => e.type === "other")?.perm ?? 0;
  return ((owner | group | other) & X) !== 0;
}

/**
 * `chain` is every inode from `/` down to the one asked about. Each ancestor must grant search
 * (execute on a directory) before the last inode's own decision counts.
 */
export function evaluateAccess(
  subject: AccessSubject,
  chain: readonly InodeView[],
  semantics: AccessSemantics,
): AccessVerdict {
  const target = chain[chain.length - 1];
  if (!target) throw new RangeError("evaluateAccess needs at least the inode itself");
  for (const ancestor of chain.slice(0, -1)) {
    const d = decide(subject, ancestor, semantics);
    if (ancestor.type !== "dir" || (d.perm & X) === 0) {
      return {
        read: false,
        write: false,
        execute: false,
        traverse: false,
        decidedBy: d,
        blockedAt: ancestor.path,
      };
    }
  }
  const d = decide(subject, target, semantics);
  return {
    read: (d.perm & R) !== 0,
    write: (d.perm & W) !== 0,
    execute: (d.perm & X) !== 0,
    traverse: true,
    decidedBy: d,
  };
}
