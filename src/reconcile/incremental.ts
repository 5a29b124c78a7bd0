// Which location contexts a model change touches: the scope an incremental apply walks, so a
// policy edit costs work proportional to the objects it changes, not to the warehouse.

import type { AclEntry } from "../acl/entry.ts";
import { entryKey } from "../acl/entry.ts";
import type { DesiredState, LocationContext } from "../compile/model.ts";

/** Location paths whose desired entries or objects differ between two compiles, or exist in only one. */
export function changedContexts(prev: DesiredState | undefined, next: DesiredState): Set<string> {
  const changed = new Set<string>();
  const before = prev?.contexts ?? new Map<string, LocationContext>();
  for (const [path, ctx] of next.contexts) {
    const old = before.get(path);
    if (!old || !sameContext(old, ctx)) changed.add(path);
  }
  for (const path of before.keys()) if (!next.contexts.has(path)) changed.add(path);
  return changed;
}

function sameContext(a: LocationContext, b: LocationContext): boolean {
  return sameSet(a.objects, b.objects) && sameEntries(a.dir, b.dir) && sameEntries(a.file, b.file);
}

// Compared as sets: the compiler's order is an implementation detail, not a change to apply.
function sameEntries(a: readonly AclEntry[], b: readonly AclEntry[]): boolean {
  const key = (e: AclEntry) => `${entryKey(e)}:${e.perm}`;
  return sameSet(a.map(key), b.map(key));
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x)) && set.size === new Set(b).size;
}
