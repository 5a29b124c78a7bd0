// Granted means usable: every principal with access to a location also needs x on each directory
// from its root down to the location's parent. These are the `--x` access entries that gives.

import { type AclEntry, entry, X } from "../acl/entry.ts";
import { findRoot } from "../paths.ts";
import type { LocationContext } from "./model.ts";

/** Per directory, the `--x` access entries its descendants' grantees need to pass it. */
export function traverseEntries(
  contexts: ReadonlyMap<string, LocationContext>,
  roots: readonly string[],
): Map<string, AclEntry[]> {
  const byDir = new Map<string, Map<string, AclEntry>>();
  for (const ctx of contexts.values()) {
    const root = findRoot(ctx.path, roots);
    // A denied user's `---` entry grants nothing, so it needs no way through either.
    const grantees = ctx.dir.concat(ctx.file).filter((e) => e.scope === "access" && e.perm !== 0);
    if (root === undefined || grantees.length === 0) continue;
    for (const dir of dirsAbove(root, ctx.path)) {
      let entries = byDir.get(dir);
      if (!entries) {
        entries = new Map();
        byDir.set(dir, entries);
      }
      for (const e of grantees) entries.set(`${e.type}:${e.name}`, entry("access", e.type, e.name, X));
    }
  }
  return new Map([...byDir].map(([dir, entries]) => [dir, [...entries.values()]]));
}

/** `root`, then every directory below it down to the parent of `path` (none when path is the root). */
export function dirsAbove(root: string, path: string): string[] {
  if (path === root) return [];
  const rel = path.slice(root === "/" ? 1 : root.length + 1).split("/");
  rel.pop();
  const out = [root];
  let cur = root;
  for (const c of rel) {
    cur = cur === "/" ? `/${c}` : `${cur}/${c}`;
    out.push(cur);
  }
  return out;
}
