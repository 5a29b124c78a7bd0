// A plan is a value: every path that would change with its ACL before and after, grouped by object
// for people, complete for machines and for `apply --plan`, which executes exactly it.

import { type Acl, entryKey, isNamed, sortEntries } from "../acl/entry.ts";
import { formatAclSpec, formatEntry } from "../acl/spec.ts";
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
  /** Named entries added / removed, with the number of paths each applies to. */
  added: Record<string, number>;
  removed: Record<string, number>;
}

export interface PathProblem {
  path: string;
  code: string;
  message: string;
  principals?: string[];
}

export interface PlanSummary {
  scanned: number;
  changed: number;
  unchanged: number;
  entriesAdded: number;
  entriesRemoved: number;
  /** Named entries grantsync manages that were observed, for the percentage circuit breaker. */
  managedEntries: number;
  skipped: number;
  problems: number;
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
  problems: PathProblem[];
}

export function describeChange(
  path: string,
  type: NodeType,
  object: string,
  before: Acl,
  after: Acl,
): PathChange {
  const beforeMap = new Map(before.map((e) => [entryKey(e), e]));
  const afterMap = new Map(after.map((e) => [entryKey(e), e]));
  const added = after.filter((e) => beforeMap.get(entryKey(e))?.perm !== e.perm).map(formatEntry);
  const removed = before.filter((e) => afterMap.get(entryKey(e))?.perm !== e.perm).map(formatEntry);
  return {
    path,
    type,
    object,
    before: formatAclSpec(sortEntries(before)),
    after: formatAclSpec(sortEntries(after)),
    added,
    removed,
  };
}

/** Named entries whose key disappears: what the circuit breaker counts. */
export function countRemovedNamed(before: Acl, after: Acl): number {
  const keys = new Set(after.map(entryKey));
  return before.filter((e) => isNamed(e) && !keys.has(entryKey(e))).length;
}

export function countAddedNamed(before: Acl, after: Acl): number {
  const keys = new Set(before.map(entryKey));
  return after.filter((e) => isNamed(e) && !keys.has(entryKey(e))).length;
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
    managedEntries: 0,
    skipped: 0,
    problems: 0,
  };
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
    this.summary.entriesAdded += countAddedNamed(before, after);
    this.summary.entriesRemoved += countRemovedNamed(before, after);
    if (this.keepChanges) this.changes.push(change);
    let o = this.objects.get(change.object);
    if (!o) {
      o = { object: change.object, paths: 0, added: {}, removed: {} };
      this.objects.set(change.object, o);
    }
    o.paths++;
    for (const e of change.added) if (isNamedText(e)) o.added[e] = (o.added[e] ?? 0) + 1;
    for (const e of change.removed) if (isNamedText(e)) o.removed[e] = (o.removed[e] ?? 0) + 1;
  }

  skip(s: SkippedPath): void {
    this.summary.skipped++;
    this.skipped.push(s);
  }

  problem(p: PathProblem): void {
    this.summary.problems++;
    this.problems.push(p);
  }

  build(target: string): Plan {
    this.summary.unchanged = this.summary.scanned - this.summary.changed;
    return {
      kind: "grantsync-plan",
      formatVersion: 1,
      createdAt: new Date().toISOString(),
      target,
      changes: this.changes,
      objects: [...this.objects.values()].sort((a, b) => a.object.localeCompare(b.object)),
      summary: this.summary,
      skipped: this.skipped,
      problems: this.problems,
    };
  }
}

function isNamedText(e: string): boolean {
  const body = e.startsWith("default:") ? e.slice(8) : e;
  return /^(user|group):[^:]+:/.test(body);
}
