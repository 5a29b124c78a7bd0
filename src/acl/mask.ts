// The mask rule: grantsync moves a scope's mask only as far as its own entries need. Granting
// widens it by what they need; revoking narrows it by what only they used; nobody else's effective
// access changes, except where POSIX leaves no choice (reported as exposed).

import { type AclEntry, type AclScope, entry, entryKey, isGroupClass, isNamed, type Perm } from "./entry.ts";

export interface MaskChange {
  byKey: Map<string, AclEntry>;
  current: ReadonlyMap<string, AclEntry>;
  scope: AclScope;
  /** Whether our entries changed in this scope (or need a wider mask). */
  touched: boolean;
  /** Keys of our entries in this scope, as they will be. */
  ours: ReadonlySet<string>;
  /** Bits our entries need to be effective (with the foreign bits of adopted entries as they were). */
  needed: Perm;
  /** Bits our removed or narrowed entries had in effect. */
  freed: Perm;
}

/** Sets the scope's mask in `byKey`; returns the keys of foreign entries whose effective access grows. */
export function settleMask(c: MaskChange): string[] {
  const { byKey, current, scope } = c;
  const maskKey = entryKey({ scope, type: "mask", name: "" });
  const old = current.get(maskKey)?.perm;
  const inScope = [...byKey.values()].filter((e) => e.scope === scope);
  if (!inScope.some(isNamed)) {
    if (!c.touched && scope === "access") return [];
    byKey.delete(maskKey);
    // Without a mask the owning group's entry is effective in full: keep it at what it had.
    const groupKey = entryKey({ scope, type: "group", name: "" });
    const group = byKey.get(groupKey);
    if (old !== undefined && group && (group.perm & ~old) !== 0)
      byKey.set(groupKey, { ...group, perm: group.perm & old });
    return [];
  }
  if (old === undefined) {
    // No mask yet: every group-class entry was effective in full, and the union keeps it so.
    byKey.set(
      maskKey,
      entry(
        scope,
        "mask",
        "",
        inScope.filter(isGroupClass).reduce((p, e) => p | e.perm, 0),
      ),
    );
    return [];
  }
  if (!c.touched) return [];
  const foreign = inScope.filter((e) => isGroupClass(e) && !c.ours.has(entryKey(e)));
  const stillUsed = foreign.reduce((p, e) => p | (e.perm & old), c.needed);
  const mask = (old | c.needed) & ~(c.freed & ~stillUsed);
  byKey.set(maskKey, entry(scope, "mask", "", mask));
  return foreign
    .filter((e) => (e.perm & mask) !== (e.perm & old))
    .map((e) => (e.name === "" ? `${entryKey(e)}:` : entryKey(e)));
}
