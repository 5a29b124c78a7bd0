// plan and apply: the same walk, once read-only and once writing. apply takes the writer lease,
// checks the circuit breaker, records intent, journals every path before writing it.

import type { DesiredState } from "../compile/model.ts";
import { desiredPrincipals } from "../compile/principals.ts";
import type { Config } from "../config/types.ts";
import { GsError, toGsError } from "../errors.ts";
import { leaseLost, type RunWriter, type StateStore, type WriterLease } from "../state/store.ts";
import type { Target } from "../targets/target.ts";
import { breakerError, checkBreaker } from "./breaker.ts";
import { type Decision, stopsRun, walkManaged } from "./engine.ts";
import { excludedNames } from "./exclusions.ts";
import type { RunTrigger } from "./journal-record.ts";
import { newRunId } from "./journal-writer.ts";
import { withWriter } from "./lease.ts";
import { ownedByPendingRuns } from "./ownership.ts";
import { type PathProblem, type Plan, PlanBuilder } from "./plan.ts";
import { type ProgressListener, progressReporter } from "./progress.ts";
import { finalState, intentState, mayRemove } from "./state-transitions.ts";

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
  const skips = await principalSkips(session);
  const state = await session.store.loadManaged(session.targetId);
  const adoptions = await session.store.loadAdoptions();
  const owned = await ownedByPendingRuns(session.store, state.pending?.runs);
  const builder = new PlanBuilder(opts.keepChanges ?? true);
  for (const p of skips.problems) builder.problem(p);
  const progress = progressReporter(session.onProgress, "planning");
  await walkManaged(
    {
      target: session.target,
      desired: session.desired,
      state,
      adoptions,
      ...(owned ? { owned } : {}),
      roots: session.config.target.roots,
      excluded: excludedNames(session.config.target.exclude),
      skipPrincipals: skips.keys,
      ...(opts.scope ? { scope: opts.scope } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    {
      decided: (d) => {
        builder.scanned(d.managedPresent);
        if (d.change && !d.problem) builder.change(d.change, d.node.acl, d.merge.next);
        if (!d.problem) for (const w of d.warnings ?? []) builder.warn(w);
        progress.scanned(builder.summary.scanned);
        return true;
      },
      skipped: (s) => builder.skip(s),
      excluded: (path) => builder.exclude(path),
      warning: (w) => builder.warn(w),
      problem: (p) => builder.problem(p),
      locations: progress.locations,
    },
  );
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

async function applyLocked(session: Session, opts: ApplyOptions, lease: WriterLease): Promise<ApplyResult> {
  const { store, desired, config } = session;
  const oldState = await store.loadManaged(session.targetId);
  const scope = opts.scope;
  if (opts.saved || (!opts.force && (oldState.pending || mayRemove(oldState, desired, scope)))) {
    const pre = await computePlan(session, { ...opts, keepChanges: opts.saved !== undefined });
    if (opts.saved) verifySaved(pre, opts.saved);
    const verdict = checkBreaker(pre.summary, config.safety);
    if (verdict.tripped && !opts.force) throw breakerError(verdict);
  }
  const skips = await principalSkips(session);
  const adoptions = await store.loadAdoptions();
  const owned = await ownedByPendingRuns(store, oldState.pending?.runs);
  const run = newRunId();
  await store.saveManaged(intentState(oldState, run));
  let opening: Promise<RunWriter> | undefined;
  // Per-path changes are kept only when someone reads them (JSON, a saved plan's check): a large
  // apply otherwise holds every path's texts until it ends.
  const builder = new PlanBuilder((opts.keepChanges ?? true) || opts.saved !== undefined);
  for (const p of skips.problems) builder.problem(p);
  const expect = opts.saved ? new Map(opts.saved.changes.map((c) => [c.path, c])) : undefined;
  let failed = 0;
  const progress = progressReporter(session.onProgress, "applying");
  /** Traverse keys per directory this run left in place (a failed write keeps the old ones). */
  const traverse = new Map<string, string[]>();

  /** false when the path was left as it was: a failed or refused write. */
  const write = async (d: Decision): Promise<boolean> => {
    const change = d.change!;
    const before = d.node.acl;
    if (expect) {
      const planned = expect.get(change.path);
      if (!planned || planned.before !== change.before || planned.after !== change.after) {
        builder.problem({
          path: change.path,
          code: "GS_PLAN_STALE",
          message: "the ACL changed since the plan was made",
        });
        return false;
      }
    }
    // Visits overlap (so their intents share a batch): the first one opens the run for all.
    opening ??= store.openRun({
      run,
      kind: "apply",
      target: session.targetId,
      trigger: session.trigger ?? "cli",
    });
    const journal = await opening;
    adoptions.record(change.path, d.merge.newlyAdopted, []);
    await journal.intend(change.path, change.type, before, d.merge.next);
    // A lease lost while this path's batch was committed: its intent is journaled, the write not done.
    if (lease.lost) throw leaseLost(store.where);
    try {
      await d.node.write(d.merge.next);
    } catch (err) {
      const e = toGsError(err, "GS_TARGET_IO", { location: change.path });
      journal.outcome(change.path, false, { code: e.code, message: e.message });
      builder.problem({ path: change.path, code: e.code, message: e.message });
      failed++;
      if (stopsRun(e)) throw e;
      return false;
    }
    journal.outcome(change.path, true);
    adoptions.record(change.path, new Map(), d.merge.released);
    builder.change(change, before, d.merge.next);
    session.onWrite?.(change.path, change.added, change.removed);
    return true;
  };

  const outcome = await walkManaged(
    {
      target: session.target,
      desired,
      state: oldState,
      adoptions,
      ...(owned ? { owned } : {}),
      roots: config.target.roots,
      excluded: excludedNames(config.target.exclude),
      skipPrincipals: skips.keys,
      ...(scope ? { scope } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
    {
      decided: async (d) => {
        builder.scanned(d.managedPresent);
        progress.scanned(builder.summary.scanned);
        if (!d.problem) for (const w of d.warnings ?? []) builder.warn(w);
        if (d.change && !d.problem) {
          const written = await write(d);
          if (written && d.traverse) traverse.set(d.node.path, d.traverse);
          return written;
        }
        if (d.traverse && !d.problem) traverse.set(d.node.path, d.traverse);
        // Someone else's entry already grants what we would: nothing to write, but from now on we
        // manage that key here, so remember whose it was, or a revocation would take it away.
        if (d.merge.newlyAdopted.size > 0) adoptions.record(d.node.path, d.merge.newlyAdopted, []);
        return true;
      },
      skipped: (s) => builder.skip(s),
      excluded: (path) => builder.exclude(path),
      warning: (w) => builder.warn(w),
      problem: (p) => builder.problem(p),
      locations: progress.locations,
    },
  ).catch(async (err: unknown) => {
    // The run stopped (the target became unreachable, the lease was lost): what it wrote is
    // journaled and the intent state stays in force, so the next run converges. The journal is
    // left without an end record.
    await (await opening?.catch(() => undefined))?.close();
    await adoptions.flush().catch(() => {});
    throw err;
  });
  if (expect) {
    const seen = new Set(builder.changes.map((c) => c.path));
    for (const c of opts.saved!.changes) {
      if (!seen.has(c.path) && !builder.problems.some((p) => p.path === c.path)) {
        builder.problem({
          path: c.path,
          code: "GS_PLAN_STALE",
          message: "planned path no longer needs this change",
        });
      }
    }
  }
  await adoptions.flush();
  await store.saveManaged(
    finalState(oldState, desired, scope, skips.keys, {
      run,
      journaled: opening !== undefined,
      cleanRoots: outcome.cleanRoots,
      allClean: outcome.cleanRoots.length === outcome.walkedRoots.length,
      traverse,
    }),
  );
  await adoptions.compact();
  const plan = builder.build(session.targetId);
  const journaled = opening !== undefined;
  await (await opening)?.end({ ...plan.summary, failed });
  if (journaled)
    await store.pruneRuns(
      config.state.keepRuns,
      new Set((await store.loadManaged(session.targetId)).pending?.runs),
    );
  return { run, journaled, plan, failed };
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

interface PrincipalSkips {
  keys: Set<string>;
  problems: Required<PathProblem>[];
}

async function principalSkips(session: Session): Promise<PrincipalSkips> {
  const unknown = await session.target.unknownPrincipals(desiredPrincipals(session.desired));
  const keys = new Set(unknown.map((p) => `${p.kind}:${p.name}`));
  if (keys.size > 0 && session.config.target.unknownPrincipal === "error") {
    throw new GsError("GS_PRINCIPAL_UNKNOWN", `unknown on this host: ${[...keys].join(", ")}`, {
      input: [...keys],
    });
  }
  const problems = [...keys].map((k) => ({
    path: "",
    code: "GS_PRINCIPAL_UNKNOWN" as const,
    message: `${k} does not exist on the target; its entries are skipped`,
    principals: [k],
  }));
  return { keys, problems };
}
