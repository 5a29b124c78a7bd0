// The reconcile walk: for every path under the managed locations, observe its ACL, merge in the
// desired entries while keeping everyone else's, and hand each difference to plan or apply.

import { type Acl, type AclEntry, entryKey, type Perm } from "../acl/entry.ts";
import { type MergeResult, mergeAcl } from "../acl/merge.ts";
import { findRoot } from "../compile/locations.ts";
import type { DesiredState } from "../compile/model.ts";
import { type GsError, toGsError } from "../errors.ts";
import type { EntryCount, SkippedPath, Target, TargetNode } from "../targets/target.ts";
import {
  ContextResolver,
  desiredEntriesFor,
  managedKeysFor,
  type NodeContext,
  walkRoots,
} from "./contexts.ts";
import { type ExcludedName, excludedBelowRoot } from "./exclusions.ts";
import type { OwnedByPath } from "./ownership.ts";
import { describeChange, type PathChange, type PathProblem } from "./plan.ts";
import type { AdoptionStore, ManagedState } from "./state.ts";

export interface WalkInput {
  target: Target;
  desired: DesiredState;
  state: ManagedState;
  adoptions: AdoptionStore;
  /** Configured roots: a remembered location outside them is never walked. */
  roots: readonly string[];
  /** Principal keys (`group:ghosts`) whose entries are left out, e.g. unknown on this host. */
  skipPrincipals: ReadonlySet<string>;
  /** Only these location paths (and what is below them, up to other locations) are walked. */
  scope?: ReadonlySet<string>;
  /** Entry keys pending runs added, per path: ours there, on top of the location's keys. */
  owned?: OwnedByPath;
  /** Directory names neither walked nor written ([target] exclude). */
  excluded?: ExcludedName;
  signal?: AbortSignal;
}

export interface Decision {
  node: TargetNode;
  object: string;
  merge: MergeResult;
  change?: PathChange;
  /** Named entries present that grantsync manages. */
  managedPresent: number;
  problem?: PathProblem;
  /** Something the write will do that the operator should know (it is still written). */
  warning?: PathProblem;
}

export interface WalkHandlers {
  /** Returns false when the path could not be brought in line (its root's state stays unsettled). */
  decided(decision: Decision): boolean | Promise<boolean>;
  skipped(s: SkippedPath): void;
  problem(p: PathProblem): void;
  /** A directory left alone, with everything below it, because its name is excluded. */
  excluded(path: string): void;
}

export interface WalkOutcome {
  /** Walk roots that completed without a problem under them (their state may be finalised). */
  cleanRoots: string[];
  walkedRoots: string[];
}

export function contextPaths(input: Pick<WalkInput, "desired" | "state" | "scope">): string[] {
  if (input.scope) return [...input.scope];
  return [...new Set([...input.desired.contexts.keys(), ...Object.keys(input.state.locations)])];
}

export async function walkManaged(input: WalkInput, handlers: WalkHandlers): Promise<WalkOutcome> {
  const resolver = new ContextResolver(input.desired.contexts, input.state);
  const paths = contextPaths(input).filter((p) => {
    if (findRoot(p, input.roots)) return true;
    handlers.problem({
      path: p,
      code: "GS_PATH_OUTSIDE_ROOTS",
      message: "a remembered location is outside every root; not walked",
    });
    return false;
  });
  const roots = walkRoots(paths);
  const cleanRoots: string[] = [];
  const excluded = input.excluded ?? (() => false);
  const isExcluded = (node: TargetNode) => node.type === "dir" && excluded(baseName(node.path));
  for (const root of roots) {
    if (input.signal?.aborted) break;
    if (excludedBelowRoot(root, input.roots, excluded)) {
      handlers.excluded(root);
      cleanRoots.push(root);
      continue;
    }
    let problems = 0;
    const problem = (p: PathProblem) => {
      problems++;
      handlers.problem(p);
    };
    try {
      await input.target.walk(root, {
        signal: input.signal,
        skip: (s) => {
          if (s.reason === "error") problems++;
          handlers.skipped(s);
        },
        descend: (dir) =>
          !isExcluded(dir) &&
          (!input.scope ||
            dir.path === root ||
            !resolver.isContextPath(dir.path) ||
            input.scope.has(dir.path)),
        visit: async (node) => {
          if (node.path !== root && isExcluded(node)) return handlers.excluded(node.path);
          const decision = decide(node, resolver.forPath(node.path), input);
          if (decision.problem) problem(decision.problem);
          if ((await handlers.decided(decision)) === false) problems++;
        },
      });
    } catch (err) {
      const e = toGsError(err, "GS_TARGET_IO", { location: root });
      if (stopsRun(e)) throw e;
      problem({ path: root, code: e.code, message: e.message });
    }
    if (problems === 0 && !input.signal?.aborted) cleanRoots.push(root);
  }
  return { cleanRoots, walkedRoots: roots };
}

/**
 * No NameNode answered after the retries, or none accepts our credentials: every further root and
 * path would only fail the same way, so the run stops here rather than report success with problems.
 */
export function targetUnreachable(e: GsError): boolean {
  return e.code === "GS_WEBHDFS_UNAVAILABLE" || e.code === "GS_WEBHDFS_AUTH";
}

/** An unreachable target, or a journal that can no longer be written ahead: no path may follow. */
export function stopsRun(e: GsError): boolean {
  return targetUnreachable(e) || e.code === "GS_JOURNAL_WRITE";
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export function decide(node: TargetNode, ctx: NodeContext, input: WalkInput): Decision {
  const desired = desiredEntriesFor(ctx, node.type, input.skipPrincipals);
  const managed = withOwned(managedKeysFor(ctx, node.type), input.owned?.get(node.path));
  const adopted = input.adoptions.get(node.path);
  const { merge, managedPresent } = mergeFor(node.acl, desired, managed, adopted);
  const object = objectLabel(ctx);
  const decision: Decision = { node, object, merge, managedPresent };
  if (!merge.changed) return decision;
  decision.change = describeChange(node.path, node.type, object, node.acl, merge.next);
  if (merge.exposed.length > 0) decision.warning = exposes(node.path, merge.exposed);
  const max = input.target.maxEntries;
  if (max !== undefined) {
    const counted = input.target.entryCount?.(merge.next) ?? { count: merge.next.length };
    if (counted.count > max) decision.problem = tooMany(node.path, merge.next, counted, max);
  }
  return decision;
}

function withOwned(
  managed: ReadonlySet<string>,
  owned: ReadonlySet<string> | undefined,
): ReadonlySet<string> {
  if (!owned) return managed;
  return new Set([...managed, ...owned]);
}

interface Merged {
  merge: MergeResult;
  managedPresent: number;
}

// Most paths of a tree share a handful of ACLs, and a target that caches its decoded ACLs (POSIX)
// hands out the same Acl object for equal ones: merging once per (ACL, desired, managed) object
// triple saves the per-path merge and its allocations. Paths with adoptions are merged each time.
const merges = new WeakMap<Acl, WeakMap<readonly AclEntry[], WeakMap<ReadonlySet<string>, Merged>>>();

function mergeFor(
  current: Acl,
  desired: readonly AclEntry[],
  managed: ReadonlySet<string>,
  adopted: ReadonlyMap<string, Perm>,
): Merged {
  if (adopted.size > 0) return computeMerge(current, desired, managed, adopted);
  let byDesired = merges.get(current);
  if (!byDesired) {
    byDesired = new WeakMap();
    merges.set(current, byDesired);
  }
  let byManaged = byDesired.get(desired);
  if (!byManaged) {
    byManaged = new WeakMap();
    byDesired.set(desired, byManaged);
  }
  let merged = byManaged.get(managed);
  if (!merged) {
    merged = computeMerge(current, desired, managed, adopted);
    // Shared by every path with this ACL: nothing downstream may change it.
    Object.freeze(merged.merge.next);
    Object.freeze(merged.merge.released);
    byManaged.set(managed, merged);
  }
  return merged;
}

function computeMerge(
  current: Acl,
  desired: readonly AclEntry[],
  managed: ReadonlySet<string>,
  adopted: ReadonlyMap<string, Perm>,
): Merged {
  const merge = mergeAcl({ current, desired, managed, adopted });
  let managedPresent = 0;
  if (managed.size > 0) for (const e of current) if (managed.has(entryKey(e))) managedPresent++;
  return { merge, managedPresent };
}

const labels = new WeakMap<object, string>();

function objectLabel(ctx: NodeContext): string {
  const owner = ctx.desired ?? ctx.managed;
  if (!owner) return "(unmanaged)";
  let label = labels.get(owner);
  if (label === undefined) {
    label = ctx.desired
      ? ctx.desired.objects.join("+")
      : `${ctx.managed!.objects.join("+") || ctx.managedPath} (no longer in the catalog)`;
    labels.set(owner, label);
  }
  return label;
}

function exposes(path: string, keys: readonly string[]): PathProblem {
  return {
    path,
    code: "GS_MASK_EXPOSES",
    message:
      "our entries need a wider mask, and these entries not ours already exceed the old one: POSIX lets them use the wider mask too",
    principals: [...keys],
  };
}

/** Names the principals of the scope that overflows, when the target counts per scope. */
function tooMany(path: string, next: Acl, counted: EntryCount, max: number): PathProblem {
  const { count, scope } = counted;
  const inScope = next.filter((e) => e.name !== "" && (scope === undefined || e.scope === scope));
  const principals = [...new Set(inScope.map((e) => `${e.type}:${e.name}`))].sort();
  return {
    path,
    code: "GS_ACL_TOO_MANY",
    message:
      scope === undefined
        ? `the ACL would have ${count} entries; the target allows ${max}`
        : `the ${scope} ACL would have ${count} entries; the target allows ${max} per scope`,
    principals,
  };
}
