// undo: put back the "before" ACL of every path a run changed, newest first, but only where the
// path still carries exactly what that run wrote; anything changed since is reported, not touched.
// The whole journal is checked before anything is written: one refused record refuses the undo.

import { type Acl, entryKey, isNamed, sameAcl } from "../acl/entry.ts";
import { formatAclSpec } from "../acl/spec.ts";
import { GsError, toGsError } from "../errors.ts";
import { findRoot } from "../paths.ts";
import type { RunWriter, StateStore, WriterLease } from "../state/store.ts";
import type { Target, TargetNode } from "../targets/target.ts";
import type { JournalRecord } from "./journal.ts";
import { newRunId } from "./journal-writer.ts";
import { withWriter } from "./lease.ts";
import type { ManagedState } from "./state.ts";

export interface UndoOutcome {
  path: string;
  result: "restored" | "already" | "changed-since" | "missing" | "failed";
  message?: string;
}

export interface UndoResult {
  run: string;
  of: string;
  outcomes: UndoOutcome[];
  restored: number;
  conflicts: number;
  failed: number;
  /** Nothing was written: `restored` counts what would be. */
  dryRun: boolean;
}

export async function undoRun(
  target: Target,
  targetId: string,
  store: StateStore,
  of: string,
  roots: readonly string[],
  opts: { dryRun?: boolean; lease?: WriterLease } = {},
): Promise<UndoResult> {
  const dryRun = opts.dryRun ?? false;
  // A dry run writes nothing, so it needs no writer lease.
  if (dryRun) return undoLocked(target, targetId, store, of, roots, true);
  return withWriter(store, `undo ${of}`, opts.lease, () =>
    undoLocked(target, targetId, store, of, roots, false),
  );
}

async function undoLocked(
  target: Target,
  targetId: string,
  store: StateStore,
  of: string,
  roots: readonly string[],
  dryRun: boolean,
): Promise<UndoResult> {
  let writer: RunWriter | undefined;
  try {
    const nodes = await readRecords(target, targetId, store, of, roots);
    const regained = regainedKeys(nodes.map((n) => n.rec));
    if (regained.size > 0 && !dryRun)
      await store.saveManaged(withRegained(await store.loadManaged(targetId), regained));
    const run = newRunId();
    const { outcomes, restore } = sortOut(nodes);
    // A dry run reports what would be restored and writes nothing.
    const toWrite = dryRun ? [] : restore;
    if (toWrite.length > 0) {
      writer = await store.openRun({ run, kind: "undo", of, target: targetId });
      // Every intent first, in as few journal batches as the store makes of them, then the writes.
      const w = writer;
      await Promise.all(toWrite.map(({ rec, node }) => w.intend(rec.path, rec.type, node.acl, rec.before)));
      await restoreAll(toWrite, w, outcomes);
    }
    const count = (r: UndoOutcome["result"]) => outcomes.filter((o) => o.result === r).length;
    const result = {
      run,
      of,
      outcomes,
      restored: count("restored"),
      conflicts: count("changed-since"),
      failed: count("failed"),
      dryRun,
    };
    await writer?.end({ restored: result.restored, conflicts: result.conflicts, failed: result.failed });
    return result;
  } catch (err) {
    await writer?.close();
    throw err;
  }
}

interface Restore {
  rec: JournalRecord;
  node: TargetNode;
  /** Its outcome's index. */
  at: number;
}

/** The run's records, newest first, each checked and with its node read, before anything is written. */
async function readRecords(
  target: Target,
  targetId: string,
  store: StateStore,
  of: string,
  roots: readonly string[],
): Promise<{ rec: JournalRecord; node: TargetNode | null }[]> {
  const journal = await store.readRun(of);
  if (journal.start.target !== targetId) {
    throw new GsError("GS_RUN_UNKNOWN", `run ${of} was made on ${journal.start.target}, not ${targetId}`, {
      input: of,
    });
  }
  const records = journal.changes.filter((rec) => rec.status !== "fail").reverse();
  for (const rec of records) checkRecord(rec, roots, `${store.where} run ${of}`);
  // Every node is read before the first write, so a refusal here still leaves the tree untouched.
  const nodes = [];
  for (const rec of records) nodes.push({ rec, node: await target.node(rec.path) });
  return nodes;
}

/** Which paths still carry what the run wrote (to restore), and what became of the others. */
function sortOut(nodes: { rec: JournalRecord; node: TargetNode | null }[]): {
  outcomes: UndoOutcome[];
  restore: Restore[];
} {
  const outcomes: UndoOutcome[] = [];
  const restore: Restore[] = [];
  for (const { rec, node } of nodes) {
    if (!node) outcomes.push({ path: rec.path, result: "missing" });
    else if (sameAcl(node.acl, rec.before)) outcomes.push({ path: rec.path, result: "already" });
    else if (node.type !== rec.type || !(sameAcl(node.acl, rec.after) || halfWritten(node.acl, rec)))
      outcomes.push({ path: rec.path, result: "changed-since", message: `now ${formatAclSpec(node.acl)}` });
    else {
      restore.push({ rec, node, at: outcomes.length });
      outcomes.push({ path: rec.path, result: "restored" });
    }
  }
  return { outcomes, restore };
}

/**
 * A directory's access and default ACLs are two writes (two xattrs on POSIX): a run killed between
 * them leaves each scope as it was before or as the run meant it. Only that is ours to restore.
 */
function halfWritten(acl: Acl, rec: JournalRecord): boolean {
  return (["access", "default"] as const).every((scope) => {
    const now = acl.filter((e) => e.scope === scope);
    return (
      sameAcl(
        now,
        rec.before.filter((e) => e.scope === scope),
      ) ||
      sameAcl(
        now,
        rec.after.filter((e) => e.scope === scope),
      )
    );
  });
}

async function restoreAll(toWrite: Restore[], writer: RunWriter, outcomes: UndoOutcome[]): Promise<void> {
  for (const { rec, node, at } of toWrite) {
    try {
      await node.write(rec.before);
      writer.outcome(rec.path, true);
    } catch (err) {
      const e = toGsError(err, "GS_TARGET_IO", { location: rec.path });
      writer.outcome(rec.path, false, { code: e.code, message: e.message });
      outcomes[at] = { path: rec.path, result: "failed", message: e.format() };
    }
  }
}

/** A journal is state-dir input: a record naming a path outside the roots refuses the whole undo. */
function checkRecord(rec: JournalRecord, roots: readonly string[], file: string): void {
  const normal =
    rec.path.startsWith("/") && !rec.path.includes("\0") && !/(^|\/)\.{0,2}(\/|$)/.test(rec.path.slice(1));
  if (!normal || findRoot(rec.path, roots) === undefined) {
    throw new GsError(
      "GS_PATH_OUTSIDE_ROOTS",
      "the journal names a path outside [target] roots; nothing was restored",
      {
        location: file,
        input: rec.path,
      },
    );
  }
}

/**
 * Named entries the undone run removed: a run removes only entries grantsync managed, so once undo
 * puts them back they are grantsync's again, and the state must say so (before they are written)
 * or a later revocation would leave them behind as if someone else had set them.
 */
function regainedKeys(
  records: readonly JournalRecord[],
): Map<string, { type: "dir" | "file"; keys: string[] }> {
  const out = new Map<string, { type: "dir" | "file"; keys: string[] }>();
  for (const rec of records) {
    if (rec.status === "fail") continue;
    const after = new Set(rec.after.map(entryKey));
    const keys = rec.before.filter((e) => isNamed(e) && !after.has(entryKey(e))).map(entryKey);
    if (keys.length > 0) out.set(rec.path, { type: rec.type, keys });
  }
  return out;
}

/** Adds regained keys to the deepest remembered location at or above each path (or the path itself). */
function withRegained(
  state: ManagedState,
  regained: ReadonlyMap<string, { type: "dir" | "file"; keys: string[] }>,
): ManagedState {
  const locations = { ...state.locations };
  for (const [path, { type, keys }] of regained) {
    let at = path;
    while (!Object.hasOwn(locations, at) && at !== "/" && at !== "")
      at = at.slice(0, Math.max(1, at.lastIndexOf("/")));
    if (!Object.hasOwn(locations, at)) at = path;
    const loc = locations[at] ?? { objects: [], dir: [], file: [] };
    locations[at] = { ...loc, [type]: [...new Set([...loc[type], ...keys])].sort() };
  }
  return { ...state, locations };
}
