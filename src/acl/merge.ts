// The ownership-preserving merge: current ACL − our entries no longer desired + desired entries,
// masks moved only as far as ours need (see mask.ts). Entries we did not put there are never
// removed or reduced, and an entry of ours is in line when its effective permission is the grant's.

import {
  type Acl,
  type AclEntry,
  type AclScope,
  entry,
  entryKey,
  isNamed,
  type Perm,
  sameAcl,
  sortEntries,
} from "./entry.ts";
import { settleMask } from "./mask.ts";

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
  /** Foreign entries (`group:eng`, `default:user:bob`) whose effective access the wider mask grows. */
  exposed: string[];
}

export function mergeAcl(input: MergeInput): MergeResult {
  const { current, desired, managed, adopted } = input;
  const before = new Map<string, AclEntry>();
  for (const e of current) before.set(entryKey(e), e);
  const byKey = new Map(before);
  const desiredKeys = new Set(desired.map(entryKey));
  const newlyAdopted = new Map<string, Perm>();
  const released: string[] = [];
  const touched = new Set<AclScope>();
  const needed = { access: 0, default: 0 };
  const freed = { access: 0, default: 0 };
  const maskOf = (scope: AclScope) => before.get(entryKey({ scope, type: "mask", name: "" }))?.perm;
  const effective = (scope: AclScope, perm: Perm) => perm & (maskOf(scope) ?? 7);

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
    freed[cur.scope] |= effective(cur.scope, cur.perm & ~(original ?? 0));
    touched.add(cur.scope);
  }

  for (const d of desired) {
    const key = entryKey(d);
    const cur = byKey.get(key);
    let foreign = 0;
    if (cur && !managed.has(key)) {
      // Someone else's entry for the same principal: keep their bits, add ours, remember theirs.
      if (!adopted.has(key)) newlyAdopted.set(key, cur.perm);
      foreign = cur.perm;
    } else if (adopted.has(key)) foreign = adopted.get(key)!;
    needed[d.scope] |= d.perm | effective(d.scope, foreign);
    // An inherited r-x masked to r-- on a file is what a SELECT grant gives: in line, left as it is.
    if (cur && foreign === 0 && effective(d.scope, cur.perm) === d.perm) continue;
    if ((d.perm & ~(maskOf(d.scope) ?? 7)) !== 0) touched.add(d.scope);
    const perm = d.perm | foreign;
    if (!cur || cur.perm !== perm) {
      if (cur) freed[d.scope] |= effective(d.scope, cur.perm & ~perm);
      byKey.set(key, { ...d, perm });
      touched.add(d.scope);
    }
  }

  completeDefaultBase(byKey, touched);
  const exposed: string[] = [];
  for (const scope of ["access", "default"] as const) {
    const ours = new Set(desired.filter((d) => d.scope === scope).map(entryKey));
    const change = { byKey, current: before, scope, touched: touched.has(scope), ours };
    exposed.push(...settleMask({ ...change, needed: needed[scope], freed: freed[scope] }));
  }
  const next = sortEntries(byKey.values());
  const changed = !sameAcl(current, next);
  return { next, changed, newlyAdopted, released, exposed: changed ? exposed : [] };
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
