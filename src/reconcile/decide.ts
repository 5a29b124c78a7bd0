// Deciding one node: the entries its location (and the traverse needs) give it, merged with what it
// carries while keeping everyone else's, and what the operator should hear about it.

import { type Acl, type AclEntry, entryKey, type Perm } from "../acl/entry.ts";
import { type MergeResult, mergeAcl } from "../acl/merge.ts";
import type { DesiredState } from "../compile/model.ts";
import { memo, memo2 } from "../memo.ts";
import type { AdoptionLog } from "../state/store.ts";
import type { EntryCount, Target, TargetNode } from "../targets/target.ts";
import { desiredEntriesFor, managedKeysFor, type NodeContext } from "./contexts.ts";
import type { ExcludedName } from "./exclusions.ts";
import type { OwnedByPath } from "./ownership.ts";
import { describeChange, type PathChange, type PathProblem } from "./plan.ts";
import type { ManagedState } from "./state.ts";
import { traverseAt, traverseBlocked, traverseTooMany, withTraverse } from "./traverse.ts";

export interface WalkInput {
  target: Target;
  desired: DesiredState;
  state: ManagedState;
  adoptions: AdoptionLog;
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
  /** What the operator should know about this path (what can be written still is). */
  warnings?: PathProblem[];
  /** Keys of the traverse entries this decision gives the directory (ours there once written). */
  traverse?: string[];
}

export function decide(node: TargetNode, ctx: NodeContext, input: WalkInput): Decision {
  const located = desiredEntriesFor(ctx, node.type, input.skipPrincipals);
  let managed = withOwned(managedKeysFor(ctx, node.type), input.owned?.get(node.path));
  const ownedTraverse = node.type === "dir" ? input.state.traverse?.[node.path] : undefined;
  if (ownedTraverse) managed = withOwned(managed, new Set(ownedTraverse));
  const traverse = traverseAt(node, input.desired.traverse, input.skipPrincipals);
  const traverseOnly =
    !ctx.desired && !ctx.managed && (traverse.add.length > 0 || ownedTraverse !== undefined);
  let decision = decideFor(node, ctx, input, withTraverse(located, traverse.add), managed);
  // A directory above every location carries only traverse entries: name it so in the plan.
  if (traverseOnly) decision = relabel(decision, "(traverse)");
  // Only a directory with traverse entries, wanted or remembered, has keys to settle in the state.
  if (traverse.add.length > 0 || (input.state.traverse && Object.hasOwn(input.state.traverse, node.path)))
    decision.traverse = traverse.add.map(entryKey);
  if (decision.problem?.code === "GS_ACL_TOO_MANY" && traverse.add.length > 0) {
    const without = decideFor(node, ctx, input, located, managed);
    if (!without.problem) {
      decision = { ...without, traverse: [] };
      const principals = traverse.add.map((e) => `${e.type}:${e.name}`);
      decision.warnings = [...(decision.warnings ?? []), traverseTooMany(node.path, principals)];
    }
  }
  if (traverse.blocked.length > 0)
    decision.warnings = [...(decision.warnings ?? []), traverseBlocked(node.path, traverse.blocked)];
  return decision;
}

function decideFor(
  node: TargetNode,
  ctx: NodeContext,
  input: WalkInput,
  desired: readonly AclEntry[],
  managed: ReadonlySet<string>,
): Decision {
  const adopted = input.adoptions.get(node.path);
  const { merge, managedPresent } = mergeFor(node.acl, desired, managed, adopted);
  const object = objectLabel(ctx);
  const decision: Decision = { node, object, merge, managedPresent };
  if (!merge.changed) return decision;
  decision.change = describeChange(node.path, node.type, object, node.acl, merge.next);
  if (merge.exposed.length > 0) decision.warnings = [exposes(node.path, merge.exposed)];
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
const merges = memo2((current: Acl, desired: readonly AclEntry[]) =>
  memo((managed: ReadonlySet<string>): Merged => {
    const merged = computeMerge(current, desired, managed, NO_ADOPTIONS);
    // Shared by every path with this ACL: nothing downstream may change it.
    Object.freeze(merged.merge.next);
    Object.freeze(merged.merge.released);
    return merged;
  }),
);
const NO_ADOPTIONS: ReadonlyMap<string, Perm> = new Map();

function mergeFor(
  current: Acl,
  desired: readonly AclEntry[],
  managed: ReadonlySet<string>,
  adopted: ReadonlyMap<string, Perm>,
): Merged {
  if (adopted.size > 0) return computeMerge(current, desired, managed, adopted);
  // Siblings share all three: the last triple answers most paths without a memo lookup.
  if (lastMerged && current === lastCurrent && desired === lastDesired && managed === lastManaged)
    return lastMerged;
  lastMerged = merges(current, desired)(managed);
  lastCurrent = current;
  lastDesired = desired;
  lastManaged = managed;
  return lastMerged;
}

let lastCurrent: Acl | undefined;
let lastDesired: readonly AclEntry[] | undefined;
let lastManaged: ReadonlySet<string> | undefined;
let lastMerged: Merged | undefined;

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
  if (owner === lastLabel.owner) return lastLabel.label;
  let label = labels.get(owner);
  if (label === undefined) {
    label = ctx.desired
      ? ctx.desired.objects.join("+")
      : `${ctx.managed!.objects.join("+") || ctx.managedPath} (no longer in the catalog)`;
    labels.set(owner, label);
  }
  lastLabel = { owner, label };
  return label;
}

let lastLabel: { owner?: object; label: string } = { label: "" };

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

function relabel(d: Decision, object: string): Decision {
  return { ...d, object, ...(d.change ? { change: { ...d.change, object } } : {}) };
}
