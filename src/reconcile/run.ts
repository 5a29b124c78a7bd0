// plan and apply: the same walk, once read-only and once writing. apply takes the writer lease,
// checks the circuit breaker, records intent, journals every path before writing it.

import type { DesiredState } from "../compile/model.ts";
import type { Config } from "../config/types.ts";
import { GsError } from "../errors.ts";
import type { StateStore, WriterLease } from "../state/store.ts";
import type { Target } from "../targets/target.ts";
import { ApplyWriter } from "./apply-writer.ts";
import { breakerError, checkBreaker } from "./breaker.ts";
import { recordedBy, walkManaged } from "./engine.ts";
import type { RunTrigger } from "./journal-record.ts";
import { newRunId } from "./journal-writer.ts";
import { withWriter } from "./lease.ts";
import { type Plan, PlanBuilder } from "./plan.ts";
import { type PreparedWalk, prepareWalk } from "./prepare.ts";
import { type ProgressListener, progressReporter } from "./progress.ts";
import { intentState, mayRemove } from "./state-transitions.ts";

export interface Session {
  config: Config;
  target: Target;
  /** Identity of the target for the state file (`posix`, `webhdfs:nameservice`). */
  targetId: string;
  desired: DesiredState;
  store: StateStore;
  /** The writer lease when the caller holds it already (a daemon that leads); else apply takes one. */
  lease?: WriterLease;
  /** Called with the phase, the locations done and the paths scanned so far (for a progress line). */
  onProgress?: ProgressListener;
  /** Called for every written path (for debug logs). */
  onWrite?: (path: string, added: string[], removed: string[]) => void;
  /** What started the run, for its journal (default: a command). */
  trigger?: RunTrigger;
}

export interface PlanOptions {
  scope?: ReadonlySet<string>;
  signal?: AbortSignal;
  /** false keeps only counts (a daemon's drift check over millions of paths). */
  keepChanges?: boolean;
}

export async function computePlan(session: Session, opts: PlanOptions = {}): Promise<Plan> {
  return planPrepared(session, await prepareWalk(session, opts), opts.keepChanges ?? true);
}

async function planPrepared(session: Session, prepared: PreparedWalk, keepChanges: boolean): Promise<Plan> {
  const builder = new PlanBuilder(keepChanges);
  for (const p of prepared.skips.problems) builder.problem(p);
  const progress = progressReporter(session.onProgress, "planning");
  await walkManaged(prepared.input, {
    decided: (d) => {
      builder.scanned(d.managedPresent);
      if (d.change && !d.problem) builder.change(d.change, d.node.acl, d.merge.next);
      if (!d.problem && d.warnings) for (const w of d.warnings) builder.warn(w);
      progress.scanned(builder.summary.scanned);
      return true;
    },
    ...recordedBy(builder, progress.locations),
  });
  return builder.build(session.targetId);
}

export interface ApplyOptions extends PlanOptions {
  force?: boolean;
  /** Apply exactly this saved plan; refuse when the tree no longer matches it. */
  saved?: Plan;
}

export interface ApplyResult {
  /** The run id; a journal exists for it only when something was written. */
  run: string;
  journaled: boolean;
  /** What was done: the changes written, problems met. */
  plan: Plan;
  failed: number;
}

export async function applyChanges(session: Session, opts: ApplyOptions = {}): Promise<ApplyResult> {
  return withWriter(session.store, "apply", session.lease, (lease) => applyLocked(session, opts, lease));
}

/** Prepare (read, check the breaker, record the intent), write (the walk), finish (settle the state). */
async function applyLocked(session: Session, opts: ApplyOptions, lease: WriterLease): Promise<ApplyResult> {
  const prepared = await prepareWalk(session, opts);
  await checkBeforeWriting(session, opts, prepared);
  const run = newRunId();
  await session.store.saveManaged(intentState(prepared.state, run));
  const writer = new ApplyWriter(session, opts, lease, prepared, run);
  const outcome = await walkManaged(prepared.input, writer.handlers()).catch(async (err: unknown) => {
    await writer.abandon();
    throw err;
  });
  return writer.finish(outcome);
}

/**
 * A saved plan must still be what the tree needs; an apply that may remove entries we manage (or
 * finishes an interrupted run) first plans, so the circuit breaker sees the removals before any write.
 */
async function checkBeforeWriting(
  session: Session,
  opts: ApplyOptions,
  prepared: PreparedWalk,
): Promise<void> {
  const { state } = prepared;
  if (!opts.saved && (opts.force || !(state.pending || mayRemove(state, session.desired, opts.scope))))
    return;
  const pre = await planPrepared(session, prepared, opts.saved !== undefined);
  if (opts.saved) verifySaved(pre, opts.saved);
  const verdict = checkBreaker(pre.summary, session.config.safety);
  if (verdict.tripped && !opts.force) throw breakerError(verdict);
}

function verifySaved(current: Plan, saved: Plan): void {
  const key = (c: { path: string; before: string; after: string }) => `${c.path}\n${c.before}\n${c.after}`;
  const want = new Set(saved.changes.map(key));
  const have = new Set(current.changes.map(key));
  const differ = [...want].filter((k) => !have.has(k)).concat([...have].filter((k) => !want.has(k)));
  if (differ.length === 0) return;
  const paths = [...new Set(differ.map((k) => k.split("\n")[0]!))];
  throw new GsError(
    "GS_PLAN_STALE",
    `${paths.length} path(s) differ from the saved plan, e.g. ${paths.slice(0, 3).join(", ")}`,
    {
      input: paths.slice(0, 20),
    },
  );
}
