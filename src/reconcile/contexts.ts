// For any path, finds what it should carry (the deepest desired location at or above it) and
// what we manage there (the deepest location in the state), and which trees a run must walk.

import type { AclEntry } from "../acl/entry.ts";
import type { LocationContext } from "../compile/model.ts";
import { memo2 } from "../memo.ts";
import { isUnder } from "../paths.ts";
import type { ManagedLocation, ManagedState } from "./state.ts";

export interface NodeContext {
  desired?: LocationContext;
  managedPath?: string;
  managed?: ManagedLocation;
}

export class ContextResolver {
  private readonly desired: ReadonlyMap<string, LocationContext>;
  private readonly managed: Readonly<Record<string, ManagedLocation>>;
  /** Directories that directly hold a desired or managed location. */
  private readonly contextParents = new Set<string>();
  private lastParent = "";
  private lastParentContext: NodeContext = {};
  private lastParentHoldsContexts = false;

  constructor(desired: ReadonlyMap<string, LocationContext>, state: ManagedState) {
    this.desired = desired;
    this.managed = state.locations;
    for (const p of desired.keys()) this.contextParents.add(parentOf(p));
    for (const p of Object.keys(state.locations)) this.contextParents.add(parentOf(p));
  }

  isContextPath(path: string): boolean {
    return this.desired.has(path) || Object.hasOwn(this.managed, path);
  }

  objectsAt(path: string): string[] {
    return [...new Set([...(this.desired.get(path)?.objects ?? []), ...(this.managed[path]?.objects ?? [])])];
  }

  /** Context of `path`; siblings share their parent's lookup, so a walk costs one map probe per node. */
  forPath(path: string): NodeContext {
    const parent = parentOf(path);
    if (parent !== this.lastParent) {
      this.lastParentContext = this.lookupAncestors(parent);
      this.lastParentHoldsContexts = this.contextParents.has(parent);
      this.lastParent = parent;
    }
    // Most nodes are files in a directory that holds no location: no probe by their own path,
    // which would hash (and for the state's object, internalize) a fresh string per node.
    if (!this.lastParentHoldsContexts) return this.lastParentContext;
    return this.withSelf(path, this.lastParentContext);
  }

  private withSelf(path: string, base: NodeContext): NodeContext {
    const d = this.desired.get(path);
    const m = Object.hasOwn(this.managed, path) ? this.managed[path] : undefined;
    if (!d && !m) return base;
    return {
      ...base,
      ...(d ? { desired: d } : {}),
      ...(m ? { managed: m, managedPath: path } : {}),
    };
  }

  private lookupAncestors(path: string): NodeContext {
    let desired: LocationContext | undefined;
    let managed: ManagedLocation | undefined;
    let managedPath: string | undefined;
    let p = path;
    while (true) {
      if (!desired) desired = this.desired.get(p);
      if (!managed && Object.hasOwn(this.managed, p)) {
        managed = this.managed[p];
        managedPath = p;
      }
      if ((desired && managed) || p === "/" || p === "") break;
      const slash = p.lastIndexOf("/");
      p = slash <= 0 ? "/" : p.slice(0, slash);
    }
    return { ...(desired ? { desired } : {}), ...(managed ? { managed, managedPath: managedPath! } : {}) };
  }
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash <= 0 ? "/" : path.slice(0, slash);
}

/** The top-level trees to walk: desired and previously managed locations, nested ones folded in. */
export function walkRoots(paths: Iterable<string>): string[] {
  const sorted = [...new Set(paths)].sort();
  const roots: string[] = [];
  for (const p of sorted) {
    if (roots.length > 0 && isUnder(p, roots[roots.length - 1]!)) continue;
    roots.push(p);
  }
  return roots;
}

export function desiredEntriesFor(
  ctx: NodeContext,
  type: "dir" | "file",
  skip: ReadonlySet<string>,
): AclEntry[] {
  const entries = ctx.desired ? (type === "dir" ? ctx.desired.dir : ctx.desired.file) : NO_ENTRIES;
  if (skip.size === 0) return entries;
  // One filtered list per (entries, skip) pair, so every path of a location gets the same array
  // (the engine memoises merges by the desired array's identity).
  return filtered(entries, skip);
}

const NO_ENTRIES: AclEntry[] = [];
const filtered = memo2((entries: readonly AclEntry[], skip: ReadonlySet<string>) =>
  entries.filter((e) => !skip.has(`${e.type}:${e.name}`)),
);

const NO_KEYS: ReadonlySet<string> = new Set();
const keySets = new WeakMap<readonly string[], ReadonlySet<string>>();
// Locations managed alike share one set: the engine memoises merges by its identity, and a memo
// per location would keep a merge result per table for as long as the decoded ACL lives.
const keySetsByContent = new Map<string, ReadonlySet<string>>();

export function managedKeysFor(ctx: NodeContext, type: "dir" | "file"): ReadonlySet<string> {
  if (!ctx.managed) return NO_KEYS;
  const list = type === "dir" ? ctx.managed.dir : ctx.managed.file;
  let set = keySets.get(list);
  if (!set) {
    const content = list.join("\n");
    set = keySetsByContent.get(content);
    if (!set) {
      set = new Set(list);
      // A long-lived daemon sees grants change: forget old contents rather than grow for ever.
      if (keySetsByContent.size >= 10_000) keySetsByContent.clear();
      keySetsByContent.set(content, set);
    }
    keySets.set(list, set);
  }
  return set;
}
