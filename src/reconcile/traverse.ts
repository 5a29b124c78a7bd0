// Traverse entries at one directory: which of the `--x` entries grantees below need here, leaving
// out those the directory already lets through (other x, the owner's or the owning group's x).

import { type Acl, type AclEntry, entryKey, X } from "../acl/entry.ts";
import type { TraverseNeeds } from "../compile/model.ts";
import type { PathProblem } from "./plan.ts";

export interface TraverseAt {
  /** Entries to add to what the path's location gives it. */
  add: AclEntry[];
  /** Principals that cannot pass and get no entry ([compile] traverse = false). */
  blocked: string[];
}

const NONE: TraverseAt = { add: [], blocked: [] };

export function traverseAt(
  node: { path: string; type: string; acl: Acl; owner?: string; group?: string },
  needs: TraverseNeeds | undefined,
  skip: ReadonlySet<string>,
): TraverseAt {
  const wanted = node.type === "dir" ? needs?.entries.get(node.path) : undefined;
  if (!wanted) return NONE;
  const base = (type: "user" | "group" | "other" | "mask") =>
    node.acl.find((e) => e.scope === "access" && e.type === type && e.name === "")?.perm;
  if (((base("other") ?? 0) & X) !== 0) return NONE;
  const ownerPasses = ((base("user") ?? 0) & X) !== 0;
  const groupPasses = ((base("group") ?? 0) & (base("mask") ?? 7) & X) !== 0;
  const add = wanted.filter((e) => {
    if (skip.has(`${e.type}:${e.name}`)) return false;
    if (e.type === "user" && ownerPasses && e.name === node.owner) return false;
    // A user in the owning group may pass too; without its memberships we write the entry anyway.
    return !(e.type === "group" && groupPasses && e.name === node.group);
  });
  if (needs!.write) return { add, blocked: [] };
  return { add: [], blocked: add.map((e) => `${e.type}:${e.name}`) };
}

/** The location's entries plus the traverse entries, one entry per key (permissions OR'd). */
export function withTraverse(entries: readonly AclEntry[], add: readonly AclEntry[]): readonly AclEntry[] {
  if (add.length === 0) return entries;
  const byKey = new Map(entries.map((e) => [entryKey(e), e]));
  for (const e of add) {
    const cur = byKey.get(entryKey(e));
    byKey.set(entryKey(e), cur ? { ...cur, perm: cur.perm | e.perm } : e);
  }
  return [...byKey.values()];
}

export function traverseBlocked(path: string, principals: string[]): PathProblem {
  return {
    path,
    code: "GS_TRAVERSE_MISSING",
    message:
      "these grantees cannot pass this directory to reach their locations ([compile] traverse = false); grant them x here or chmod o+x",
    principals,
  };
}

export function traverseTooMany(path: string, principals: string[]): PathProblem {
  return {
    path,
    code: "GS_TRAVERSE_LIMIT",
    message:
      "the traverse entries these grantees need would pass the target's ACL entry limit, so none are written here and they cannot reach their locations; let everyone pass instead (chmod o+x; Hive warehouses are commonly 771 or 1777)",
    principals,
  };
}
