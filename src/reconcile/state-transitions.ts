// How the managed state moves through an apply: before writing, the old state with the run marked
// pending (its journal then says what it wrote); after, exactly what was applied where it settled.

import { entryKey } from "../acl/entry.ts";
import type { DesiredState, LocationContext } from "../compile/model.ts";
import { deepestAtOrAbove } from "../paths.ts";
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

function oldAt(old: ManagedState, p: string): ManagedLocation | undefined {
  return deepestAtOrAbove(p, (q) => (Object.hasOwn(old.locations, q) ? old.locations[q] : undefined));
}

function inScope(p: string, scope: ReadonlySet<string> | undefined): boolean {
  return !scope || scope.has(p);
}

/**
 * Saved before the first write: the state as it was, plus this run among the pending ones. If the
 * run dies, the next one owns exactly what this run's journal shows it added, path by path; a key
 * this run meant to add but never wrote stays someone else's wherever someone else had it.
 */
export function intentState(old: ManagedState, run: string): ManagedState {
  return { ...old, pending: { runs: [...(old.pending?.runs ?? []), run] } };
}

export interface RunEnd {
  run: string;
  /** Whether this run wrote anything (only then does its journal exist to read back). */
  journaled: boolean;
  cleanRoots: readonly string[];
  /** Whether every walked root ended without a problem. */
  allClean: boolean;
  /** Traverse keys per directory decided in this run (an empty list: none of ours left there). */
  traverse?: ReadonlyMap<string, readonly string[]>;
}

/**
 * After the run: locations under roots that ended cleanly carry exactly the desired keys; the others
 * keep the keys they had, and the run stays pending, so its journal still says what it wrote there.
 * A complete run over everything settles all earlier pending runs too.
 */
export function finalState(
  old: ManagedState,
  desired: DesiredState,
  scope: ReadonlySet<string> | undefined,
  skips: ReadonlySet<string>,
  end: RunEnd,
): ManagedState {
  const locations: Record<string, ManagedLocation> = { ...old.locations };
  const clean = (p: string) => end.cleanRoots.some((r) => p === r || p.startsWith(`${r}/`));
  const paths = new Set([...desired.contexts.keys(), ...Object.keys(old.locations)]);
  for (const p of paths) {
    if (!inScope(p, scope) || !clean(p)) continue;
    const ctx = desired.contexts.get(p);
    const keys = keysOf(ctx, skips);
    if (ctx && (keys.dir.length > 0 || keys.file.length > 0)) {
      locations[p] = { objects: [...ctx.objects].sort(), dir: keys.dir.sort(), file: keys.file.sort() };
    } else delete locations[p];
  }
  const earlier = old.pending?.runs ?? [];
  const runs =
    !scope && end.allClean ? [] : [...earlier, ...(end.allClean || !end.journaled ? [] : [end.run])];
  const { pending: _, traverse: oldTraverse, ...rest } = old;
  const traverse = { ...oldTraverse };
  for (const [p, keys] of end.traverse ?? []) {
    if (keys.length > 0) traverse[p] = [...keys].sort();
    else delete traverse[p];
  }
  const withTraverse =
    Object.keys(traverse).length > 0 ? { ...rest, locations, traverse } : { ...rest, locations };
  return runs.length > 0 ? { ...withTraverse, pending: { runs } } : withTraverse;
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
    const ctx = deepestAtOrAbove(p, (q) => desired.contexts.get(q));
    const keys = keysOf(ctx, none);
    if (!ctx || !covered(loc.dir, keys.dir) || !covered(loc.file, keys.file)) return true;
  }
  const wanted = desired.traverse?.write ? desired.traverse.entries : undefined;
  for (const [p, keys] of Object.entries(old.traverse ?? {})) {
    const still = new Set((wanted?.get(p) ?? []).map(entryKey));
    if (keys.some((k) => !still.has(k))) return true;
  }
  for (const [p, ctx] of desired.contexts) {
    if (!inScope(p, scope) || Object.hasOwn(old.locations, p)) continue;
    const inherited = oldAt(old, p);
    const keys = keysOf(ctx, none);
    if (inherited && (!covered(inherited.dir, keys.dir) || !covered(inherited.file, keys.file))) return true;
  }
  return false;
}
