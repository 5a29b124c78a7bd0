// The ownership-preserving merge: current ACL − our entries no longer desired + desired entries,
// masks recomputed. Entries we did not put there are never removed or reduced.

import {
  type Acl,
  type AclEntry,
  type AclScope,
  entry,
  entryKey,
  isGroupClass,
  isNamed,
  type Perm,
  sameAcl,
  sortEntries,
} from "./entry.ts";

export interface MergeInput {
  current: Acl;
  /** Named entries (access and default) this path should carry. */
  desired: readonly AclEntry[];
  /** Keys (entryKey) of entries grantsync put on this path earlier. */
  managed: ReadonlySet<string>;
  /** Keys of entries someone else had before we widened them, with their original permission. */
  adopted: ReadonlyMap<string, Perm>;
}

export interface MergeResult {
  next: AclEntry[];
  changed: boolean;
  /** Foreign entries this merge widens: record them before writing, so a revocation restores them. */
  newlyAdopted: Map<string, Perm>;
  /** Adoptions no longer needed because the entry went back to its owner's permission. */
  released: string[];
}

export function mergeAcl(input: MergeInput): MergeResult {
  const { current, desired, managed, adopted } = input;
  const byKey = new Map<string, AclEntry>();
  for (const e of current) byKey.set(entryKey(e), e);
  const desiredKeys = new Set(desired.map(entryKey));
  const newlyAdopted = new Map<string, Perm>();
  const released: string[] = [];
  const touched = new Set<AclScope>();

  for (const key of managed) {
    if (desiredKeys.has(key)) continue;
    const cur = byKey.get(key);
    if (!cur) continue;
    const original = adopted.get(key);
    if (original === undefined) byKey.delete(key);
    else {
      byKey.set(key, { ...cur, perm: original });
      released.push(key);
    }
    touched.add(cur.scope);
  }

  for (const d of desired) {
    const key = entryKey(d);
    const cur = byKey.get(key);
    let perm = d.perm;
    if (cur && !managed.has(key)) {
      // Someone else's entry for the same principal: keep their bits, add ours, remember theirs.
      if (!adopted.has(key)) newlyAdopted.set(key, cur.perm);
      perm |= cur.perm;
    } else if (adopted.has(key)) perm |= adopted.get(key)!;
    if (!cur || cur.perm !== perm) {
      byKey.set(key, { ...d, perm });
      touched.add(d.scope);
    }
  }

  completeDefaultBase(byKey, touched);
  for (const scope of ["access", "default"] as const) recomputeMask(byKey, scope, touched.has(scope));
  const next = sortEntries(byKey.values());
  return { next, changed: !sameAcl(current, next), newlyAdopted, released };
}

/** A default ACL needs the owner, group and other entries; copy them from the access ACL as setfacl does. */
function completeDefaultBase(byKey: Map<string, AclEntry>, touched: Set<AclScope>): void {
  const defaults = [...byKey.values()].filter((e) => e.scope === "default");
  const namedDefaults = defaults.filter(isNamed);
  if (namedDefaults.length > 0) {
    for (const type of ["user", "group", "other"] as const) {
      const key = entryKey({ scope: "default", type, name: "" });
      if (byKey.has(key)) continue;
      const base = byKey.get(entryKey({ scope: "access", type, name: "" }));
      byKey.set(key, entry("default", type, "", base?.perm ?? 0));
      touched.add("default");
    }
    return;
  }
  // No named default entries left. If what remains is exactly the copy of the access base entries
  // that we would have made, it carries no information of anyone's: drop it with our last entry.
  if (!touched.has("default") || defaults.length === 0) return;
  const copyOfAccess = defaults.every((e) => {
    if (e.type === "mask") return true;
    const base = byKey.get(entryKey({ scope: "access", type: e.type, name: "" }));
    return base !== undefined && base.perm === e.perm;
  });
  if (copyOfAccess) for (const e of defaults) byKey.delete(entryKey(e));
}

/**
 * The mask is the union of the group-class entries (as setfacl and the NameNode compute it) when
 * the scope changed, or when an existing mask would hide part of a group-class entry we manage.
 */
function recomputeMask(byKey: Map<string, AclEntry>, scope: AclScope, changed: boolean): void {
  const maskKey = entryKey({ scope, type: "mask", name: "" });
  const inScope = [...byKey.values()].filter((e) => e.scope === scope);
  const named = inScope.filter(isNamed);
  if (named.length === 0) {
    if (changed || scope === "default") byKey.delete(maskKey);
    return;
  }
  const union = inScope.filter(isGroupClass).reduce((p, e) => p | e.perm, 0);
  const mask = byKey.get(maskKey);
  if (changed || !mask) byKey.set(maskKey, entry(scope, "mask", "", union));
}

/** Access-scope base permissions (owner, owning group, other) from an ACL, for display and HDFS. */
export function accessBase(acl: Acl): { user: Perm; group: Perm; other: Perm; mask?: Perm } {
  const get = (type: AclEntry["type"]) =>
    acl.find((e) => e.scope === "access" && e.type === type && e.name === "");
  const mask = get("mask");
  return {
    user: get("user")?.perm ?? 0,
    group: get("group")?.perm ?? 0,
    other: get("other")?.perm ?? 0,
    ...(mask ? { mask: mask.perm } : {}),
  };
}
