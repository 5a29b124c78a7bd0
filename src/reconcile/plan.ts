// A plan is a value: every path that would change with its ACL before and after, grouped by object
// for people, complete for machines and for `apply --plan`, which executes exactly it.

import { type Acl, entryKey, isNamed, sortEntries } from "../acl/entry.ts";
import { formatAclSpec, formatEntry } from "../acl/spec.ts";
import type { ErrorCode } from "../errors.ts";
import { memo2 } from "../memo.ts";
import { compareTreeOrder } from "../paths.ts";
import type { NodeType, SkippedPath } from "../targets/target.ts";

export interface PathChange {
  path: string;
  type: NodeType;
  /** The object(s) the path belongs to, e.g. `sales.customer`, or `(no longer managed)`. */
  object: string;
  before: string;
  after: string;
  added: string[];
  removed: string[];
}

export interface ObjectSummary {
  object: string;
  paths: number;
  /**
   * Named entries added (a new principal), removed (gone), and changed (same principal, another
   * permission, as `type:name:old→new`), each with the number of paths; the plan's summary counts
   * are the sums of these.
   */
  added: Record<string, number>;
  removed: Record<string, number>;
  changed: Record<string, number>;
}

export interface PathProblem {
  path: string;
  code: ErrorCode;
  message: string;
  principals?: string[];
}

export interface PlanSummary {
  scanned: number;
  changed: number;
  unchanged: number;
  entriesAdded: number;
  entriesRemoved: number;
  /** Named entries kept with a wider or narrower permission. */
  entriesChanged: number;
  /** Named entries grantsync manages that were observed, for the percentage circuit breaker. */
  managedEntries: number;
  skipped: number;
  /** Directories left alone with everything below them ([target] exclude). */
  excluded: number;
  problems: number;
  /** Paths written with a side effect worth knowing (see Plan.warnings). */
  warnings: number;
}

export interface Plan {
  kind: "grantsync-plan";
  formatVersion: 1;
  createdAt: string;
  target: string;
  changes: PathChange[];
  objects: ObjectSummary[];
  summary: PlanSummary;
  skipped: SkippedPath[];
  /** The excluded directories (the first EXCLUDED_LISTED of them; summary.excluded counts all). */
  excluded: string[];
  problems: PathProblem[];
  /** Written anyway, but said: a mask our entries need that also widens someone else's (first WARNINGS_LISTED). */
  warnings: PathProblem[];
}

const EXCLUDED_LISTED = 100;
const WARNINGS_LISTED = 1000;

export function describeChange(
  path: string,
  type: NodeType,
  object: string,
  before: Acl,
  after: Acl,
): PathChange {
  const d = aclDiff(before, after);
  return { path, type, object, before: d.before, after: d.after, added: d.added, removed: d.removed };
}

/** What a change does to an ACL, independent of the path: texts, entries and named-entry counts. */
interface AclDiff {
  before: string;
  after: string;
  added: string[];
  removed: string[];
  addedNamed: readonly string[];
  removedNamed: readonly string[];
  changedNamed: readonly string[];
}

// A tree's paths share a handful of (before, after) pairs, and targets that cache decoded ACLs and
// the memoised merge hand out the same objects for them: one diff per pair, not per path.
const aclDiff = memo2((before: Acl, after: Acl): AclDiff => {
  const beforeMap = new Map(before.map((e) => [entryKey(e), e]));
  const afterMap = new Map(after.map((e) => [entryKey(e), e]));
  return {
    before: formatAclSpec(sortEntries(before)),
    after: formatAclSpec(sortEntries(after)),
    // Frozen: every PathChange with this pair shares them.
    added: Object.freeze(
      after.filter((e) => beforeMap.get(entryKey(e))?.perm !== e.perm).map(formatEntry),
    ) as string[],
    removed: Object.freeze(
      before.filter((e) => afterMap.get(entryKey(e))?.perm !== e.perm).map(formatEntry),
    ) as string[],
    ...namedDiff(before, after),
  };
});

function namedDiff(before: Acl, after: Acl): Pick<AclDiff, "addedNamed" | "removedNamed" | "changedNamed"> {
  const beforeMap = new Map(before.filter(isNamed).map((e) => [entryKey(e), e]));
  const afterKeys = new Set(after.filter(isNamed).map(entryKey));
  const addedNamed: string[] = [];
  const changedNamed: string[] = [];
  for (const e of after) {
    if (!isNamed(e)) continue;
    const was = beforeMap.get(entryKey(e));
    if (!was) addedNamed.push(formatEntry(e));
    else if (was.perm !== e.perm)
      changedNamed.push(`${formatEntry(was)}→${formatEntry(e).slice(formatEntry(e).lastIndexOf(":") + 1)}`);
  }
  const removedNamed = [...beforeMap.values()].filter((e) => !afterKeys.has(entryKey(e))).map(formatEntry);
  return { addedNamed, removedNamed, changedNamed };
}

export class PlanBuilder {
  readonly changes: PathChange[] = [];
  readonly skipped: SkippedPath[] = [];
  readonly problems: PathProblem[] = [];
  readonly summary: PlanSummary = {
    scanned: 0,
    changed: 0,
    unchanged: 0,
    entriesAdded: 0,
    entriesRemoved: 0,
    entriesChanged: 0,
    managedEntries: 0,
    skipped: 0,
    excluded: 0,
    problems: 0,
    warnings: 0,
  };
  private readonly warnings: PathProblem[] = [];
  private readonly excludedPaths: string[] = [];
  private readonly objects = new Map<string, ObjectSummary>();
  private readonly keepChanges: boolean;

  constructor(keepChanges = true) {
    this.keepChanges = keepChanges;
  }

  scanned(managedPresent: number): void {
    this.summary.scanned++;
    this.summary.managedEntries += managedPresent;
  }

  change(change: PathChange, before: Acl, after: Acl): void {
    this.summary.changed++;
    const d = aclDiff(before, after);
    this.summary.entriesAdded += d.addedNamed.length;
    this.summary.entriesRemoved += d.removedNamed.length;
    this.summary.entriesChanged += d.changedNamed.length;
    if (this.keepChanges) this.changes.push(change);
    let o = this.objects.get(change.object);
    if (!o) {
      o = { object: change.object, paths: 0, added: {}, removed: {}, changed: {} };
      this.objects.set(change.object, o);
    }
    o.paths++;
    for (const e of d.addedNamed) o.added[e] = (o.added[e] ?? 0) + 1;
    for (const e of d.removedNamed) o.removed[e] = (o.removed[e] ?? 0) + 1;
    for (const e of d.changedNamed) o.changed[e] = (o.changed[e] ?? 0) + 1;
  }

  skip(s: SkippedPath): void {
    this.summary.skipped++;
    this.skipped.push(s);
  }

  exclude(path: string): void {
    this.summary.excluded++;
    keepFirst(this.excludedPaths, path, EXCLUDED_LISTED, (p) => p);
  }

  warn(w: PathProblem): void {
    this.summary.warnings++;
    keepFirst(this.warnings, w, WARNINGS_LISTED, byPath);
  }

  problem(p: PathProblem): void {
    this.summary.problems++;
    this.problems.push(p);
  }

  /**
   * Lists come out in tree order whatever order the walk met them in: a target may walk several
   * directories (and roots) at once, and a plan must not depend on which answered first.
   */
  build(target: string): Plan {
    this.summary.unchanged = this.summary.scanned - this.summary.changed;
    inTreeOrder(this.changes, byPath);
    inTreeOrder(this.skipped, byPath);
    inTreeOrder(this.problems, byPath);
    keepFirst(this.excludedPaths, undefined, EXCLUDED_LISTED, (p) => p);
    keepFirst(this.warnings, undefined, WARNINGS_LISTED, byPath);
    return {
      kind: "grantsync-plan",
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      target,
      changes: this.changes,
      objects: [...this.objects.values()].sort((a, b) =>
        a.object < b.object ? -1 : a.object > b.object ? 1 : 0,
      ),
      summary: this.summary,
      skipped: this.skipped,
      excluded: this.excludedPaths,
      problems: this.problems,
      warnings: this.warnings,
    };
  }
}

const byPath = (x: { path: string }) => x.path;

/** Sorts `list` by the tree order of its paths (stable); a list already in order costs one pass. */
function inTreeOrder<T>(list: T[], path: (x: T) => string): void {
  for (let i = 1; i < list.length; i++) {
    if (compareTreeOrder(path(list[i - 1]!), path(list[i]!)) > 0) {
      list.sort((a, b) => compareTreeOrder(path(a), path(b)));
      return;
    }
  }
}

/**
 * Keeps the first `limit` of a listing cut short in tree order, whatever order the items came in:
 * items pile up to twice the limit, then the list is sorted and cut (`item` undefined: cut now).
 */
function keepFirst<T>(list: T[], item: T | undefined, limit: number, path: (x: T) => string): void {
  if (item !== undefined) list.push(item);
  if (item !== undefined && list.length <= 2 * limit) return;
  inTreeOrder(list, path);
  if (list.length > limit) list.length = limit;
}
