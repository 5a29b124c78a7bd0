// How the managed state moves through an apply: before writing, the union of what we managed and
// what we will manage (a crash leaves nothing of ours unaccounted); after, exactly what was applied.

import { entryKey } from "../acl/entry.ts";
import type { DesiredState, LocationContext } from "../compile/model.ts";
import type { ManagedLocation, ManagedState } from "./state.ts";

interface Keys {
  dir: string[];
  file: string[];
}

function keysOf(ctx: LocationContext | undefined, skips: ReadonlySet<string>): Keys {
  if (!ctx) return { dir: [], file: [] };
  const keep = (e: { type: string; name: string }) => !skips.has(`${e.type}:${e.name}`);
  return { dir: ctx.dir.filter(keep).map(entryKey), file: ctx.file.filter(keep).map(entryKey) };
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function deepest<T>(lookup: (p: string) => T | undefined, path: string): T | undefined {
  let p = path;
  while (true) {
    const v = lookup(p);
    if (v !== undefined) return v;
    if (p === "/" || p === "") return undefined;
    const slash = p.lastIndexOf("/");
    p = slash <= 0 ? "/" : p.slice(0, slash);
  }
}

function oldAt(old: ManagedState, p: string): ManagedLocation | undefined {
  return deepest((q) => (Object.hasOwn(old.locations, q) ? old.locations[q] : undefined), p);
}

function inScope(p: string, scope: ReadonlySet<string> | undefined): boolean {
  return !scope || scope.has(p);
}

export function intentState(
  old: ManagedState,
  desired: DesiredState,
  scope: ReadonlySet<string> | undefined,
  skips: ReadonlySet<string>,
): ManagedState {
  const locations: Record<string, ManagedLocation> = { ...old.locations };
  for (const [p, ctx] of desired.contexts) {
    if (!inScope(p, scope)) continue;
    const keys = keysOf(ctx, skips);
    const inherited = oldAt(old, p);
    if (keys.dir.length === 0 && keys.file.length === 0 && !inherited) continue;
    locations[p] = {
      objects: union(inherited?.objects ?? [], ctx.objects),
      dir: union(inherited?.dir ?? [], keys.dir),
      file: union(inherited?.file ?? [], keys.file),
    };
  }
  return { ...old, locations };
}

export function finalState(
  old: ManagedState,
  desired: DesiredState,
  scope: ReadonlySet<string> | undefined,
  skips: ReadonlySet<string>,
  cleanRoots: readonly string[],
): ManagedState {
  const next = intentState(old, desired, scope, skips);
  const clean = (p: string) => cleanRoots.some((r) => p === r || p.startsWith(`${r}/`));
  const paths = new Set([...desired.contexts.keys(), ...Object.keys(old.locations)]);
  for (const p of paths) {
    if (!inScope(p, scope) || !clean(p)) continue;
    const ctx = desired.contexts.get(p);
    const keys = keysOf(ctx, skips);
    if (ctx && (keys.dir.length > 0 || keys.file.length > 0)) {
      next.locations[p] = { objects: [...ctx.objects].sort(), dir: keys.dir.sort(), file: keys.file.sort() };
    } else delete next.locations[p];
  }
  return next;
}

/** Whether any entry we manage may be removed: only then does apply need a breaker pre-check. */
export function mayRemove(
  old: ManagedState,
  desired: DesiredState,
  scope: ReadonlySet<string> | undefined,
): boolean {
  const none = new Set<string>();
  const covered = (have: readonly string[], want: readonly string[]) => {
    const w = new Set(want);
    return have.every((k) => w.has(k));
  };
  for (const [p, loc] of Object.entries(old.locations)) {
    if (!inScope(p, scope)) continue;
    const ctx = deepest((q) => desired.contexts.get(q), p);
    const keys = keysOf(ctx, none);
    if (!ctx || !covered(loc.dir, keys.dir) || !covered(loc.file, keys.file)) return true;
  }
  for (const [p, ctx] of desired.contexts) {
    if (!inScope(p, scope) || Object.hasOwn(old.locations, p)) continue;
    const inherited = oldAt(old, p);
    const keys = keysOf(ctx, none);
    if (inherited && (!covered(inherited.dir, keys.dir) || !covered(inherited.file, keys.file))) return true;
  }
  return false;
}
