// For any path, finds what it should carry (the deepest desired location at or above it) and
// what we manage there (the deepest location in the state), and which trees a run must walk.

import type { AclEntry } from "../acl/entry.ts";
import { isUnder } from "../compile/locations.ts";
import type { LocationContext } from "../compile/model.ts";
import type { ManagedLocation, ManagedState } from "./state.ts";

export interface NodeContext {
  desired?: LocationContext;
  managedPath?: string;
  managed?: ManagedLocation;
}

export class ContextResolver {
  private readonly desired: ReadonlyMap<string, LocationContext>;
  private readonly managed: Readonly<Record<string, ManagedLocation>>;
  private lastParent = "";
  private lastParentContext: NodeContext = {};

  constructor(desired: ReadonlyMap<string, LocationContext>, state: ManagedState) {
    this.desired = desired;
    this.managed = state.locations;
  }

  isContextPath(path: string): boolean {
    return this.desired.has(path) || Object.hasOwn(this.managed, path);
  }

  objectsAt(path: string): string[] {
    return [...new Set([...(this.desired.get(path)?.objects ?? []), ...(this.managed[path]?.objects ?? [])])];
  }

  /** Context of `path`; siblings share their parent's lookup, so a walk costs one map probe per node. */
  forPath(path: string): NodeContext {
    const slash = path.lastIndexOf("/");
    const parent = slash <= 0 ? "/" : path.slice(0, slash);
    if (parent !== this.lastParent) {
      this.lastParentContext = this.lookupAncestors(parent);
      this.lastParent = parent;
    }
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
  const entries = ctx.desired ? (type === "dir" ? ctx.desired.dir : ctx.desired.file) : [];
  if (skip.size === 0) return entries;
  return entries.filter((e) => !skip.has(`${e.type}:${e.name}`));
}

const NO_KEYS: ReadonlySet<string> = new Set();
const keySets = new WeakMap<readonly string[], ReadonlySet<string>>();

export function managedKeysFor(ctx: NodeContext, type: "dir" | "file"): ReadonlySet<string> {
  if (!ctx.managed) return NO_KEYS;
  const list = type === "dir" ? ctx.managed.dir : ctx.managed.file;
  let set = keySets.get(list);
  if (!set) {
    set = new Set(list);
    keySets.set(list, set);
  }
  return set;
}
