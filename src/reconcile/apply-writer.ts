// The writing half of an apply: each changed path is journaled (in batches, before it is touched),
// written, and counted; at the end the state settles on what was written and the journal is closed.

import type { Acl, Perm } from "../acl/entry.ts";
import { toGsError } from "../errors.ts";
import { leaseLost, type RunWriter, type WriterLease } from "../state/store.ts";
import { type Decision, recordedBy, type WalkHandlers, type WalkOutcome } from "./engine.ts";
import { type PathChange, PlanBuilder } from "./plan.ts";
import type { PreparedWalk } from "./prepare.ts";
import { progressReporter } from "./progress.ts";
import type { ApplyOptions, ApplyResult, Session } from "./run.ts";
import { stopsRun } from "./run-stop.ts";
import { finalState } from "./state-transitions.ts";

const NO_ADOPTIONS: ReadonlyMap<string, Perm> = new Map();

/** One journal batch's paths that write at once, in parallel arrays (no object per path). */
interface WriteGroup {
  /** The batch's promise: every path staged in it got this one from intend(). */
  journaled: Promise<void>;
  /** Settles once every path is written or failed; rejects only when the run must stop. */
  done: Promise<void>;
  decisions: Decision[];
  befores: Acl[];
  failed: (() => void)[];
}

export class ApplyWriter {
  private readonly builder: PlanBuilder;
  private readonly expect: Map<string, PathChange> | undefined;
  /** Opened by the first path to write (visits overlap, so their intents share a batch). */
  private opening: Promise<RunWriter> | undefined;
  private journal: RunWriter | undefined;
  private failed = 0;
  /** The paths of the journal batch being staged whose nodes write at once: written together. */
  private group: WriteGroup | undefined;
  /** Traverse keys per directory this run left in place (a failed write keeps the old ones). */
  private readonly traverse = new Map<string, string[]>();

  constructor(
    private readonly session: Session,
    private readonly opts: ApplyOptions,
    private readonly lease: WriterLease,
    private readonly prepared: PreparedWalk,
    readonly run: string,
  ) {
    // Per-path changes are kept only when someone reads them (JSON, a saved plan's check): a large
    // apply otherwise holds every path's texts until it ends.
    this.builder = new PlanBuilder((opts.keepChanges ?? true) || opts.saved !== undefined);
    for (const p of prepared.skips.problems) this.builder.problem(p);
    this.expect = opts.saved ? new Map(opts.saved.changes.map((c) => [c.path, c])) : undefined;
  }

  handlers(): WalkHandlers {
    const builder = this.builder;
    const progress = progressReporter(this.session.onProgress, "applying");
    const { adoptions } = this.prepared;
    return {
      decided: (d, failedLater) => {
        builder.scanned(d.managedPresent);
        progress.scanned(builder.summary.scanned);
        if (!d.problem && d.warnings) for (const w of d.warnings) builder.warn(w);
        if (d.change && !d.problem) return this.write(d, failedLater);
        if (d.traverse && !d.problem) this.traverse.set(d.node.path, d.traverse);
        // Someone else's entry already grants what we would: nothing to write, but from now on we
        // manage that key here, so remember whose it was, or a revocation would take it away.
        if (d.merge.newlyAdopted.size > 0) adoptions.record(d.node.path, d.merge.newlyAdopted, []);
        return true;
      },
      ...recordedBy(builder, progress.locations),
    };
  }

  /** false when the path was left as it was (a stale saved plan), or the promise of its write. */
  private write(d: Decision, failedLater: () => void): boolean | Promise<unknown> {
    const change = d.change!;
    if (this.expect && !this.asPlanned(change)) return false;
    if (this.journal) return this.journalThenWrite(this.journal, d, failedLater);
    this.opening ??= this.session.store.openRun({
      run: this.run,
      kind: "apply",
      target: this.session.targetId,
      trigger: this.session.trigger ?? "cli",
    });
    return this.opening.then((journal) => {
      this.journal = journal;
      return this.journalThenWrite(journal, d, failedLater);
    });
  }

  private asPlanned(change: PathChange): boolean {
    const planned = this.expect!.get(change.path);
    if (planned && planned.before === change.before && planned.after === change.after) return true;
    this.builder.problem({
      path: change.path,
      code: "GS_PLAN_STALE",
      message: "the ACL changed since the plan was made",
    });
    return false;
  }

  /**
   * Journals the path, then writes it once its batch is durable. Paths whose node writes at once
   * (POSIX) join the batch's group: one reaction writes them all, and they share its promise.
   */
  private journalThenWrite(journal: RunWriter, d: Decision, failedLater: () => void): Promise<unknown> {
    const change = d.change!;
    // The node takes on `next` once written: its ACL before is read now.
    const before = d.node.acl;
    if (d.merge.newlyAdopted.size > 0) this.prepared.adoptions.record(change.path, d.merge.newlyAdopted, []);
    const journaled = journal.intend(change.path, change.type, before, d.merge.next);
    if (d.node.writeNow) {
      let group = this.group;
      if (group === undefined || group.journaled !== journaled) {
        const g: WriteGroup = { journaled, done: undefined!, decisions: [], befores: [], failed: [] };
        g.done = journaled.then(() => this.writeGroup(journal, g));
        this.group = group = g;
      }
      group.decisions.push(d);
      group.befores.push(before);
      group.failed.push(failedLater);
      return group.done;
    }
    return journaled.then(() => {
      // A lease lost while this path's batch was committed: its intent is journaled, the write not done.
      if (this.lease.lost) throw leaseLost(this.session.store.where);
      return d.node.write(d.merge.next).then(
        () => this.written(journal, d, before),
        (err: unknown) => this.writeFailed(journal, change, err, failedLater),
      );
    });
  }

  /**
   * A durable batch's paths, written in the order journaled (all at once where the target writes
   * many together). One that must stop the run (none of the POSIX target's own failures do) leaves
   * the rest unwritten, or with writeMany unrecorded: intents without outcomes, which the next run
   * converges and undo re-checks.
   */
  private writeGroup(journal: RunWriter, g: WriteGroup): void | Promise<void> {
    if (this.group === g) this.group = undefined;
    if (this.lease.lost) throw leaseLost(this.session.store.where);
    const { decisions, befores, failed } = g;
    const target = this.session.target;
    if (target.writeMany) {
      const nodes = decisions.map((d) => d.node);
      const nexts = decisions.map((d) => d.merge.next);
      return target.writeMany(nodes, nexts).then((errors) => {
        let stop: unknown;
        for (let i = 0; i < decisions.length; i++) {
          const d = decisions[i]!;
          if (errors[i] === undefined) this.written(journal, d, befores[i]!);
          else {
            try {
              this.writeFailed(journal, d.change!, errors[i], failed[i]!);
            } catch (err) {
              stop ??= err;
            }
          }
        }
        if (stop !== undefined) throw stop;
      });
    }
    for (let i = 0; i < decisions.length; i++) {
      const d = decisions[i]!;
      try {
        d.node.writeNow!(d.merge.next);
      } catch (err) {
        this.writeFailed(journal, d.change!, err, failed[i]!);
        continue;
      }
      this.written(journal, d, befores[i]!);
    }
  }

  private written(journal: RunWriter, d: Decision, before: Acl): void {
    const change = d.change!;
    journal.outcome(change.path, true);
    if (d.merge.released.length > 0)
      this.prepared.adoptions.record(change.path, NO_ADOPTIONS, d.merge.released);
    this.builder.change(change, before, d.merge.next);
    if (d.traverse) this.traverse.set(d.node.path, d.traverse);
    this.session.onWrite?.(change.path, change.added, change.removed);
  }

  private writeFailed(journal: RunWriter, change: PathChange, err: unknown, failedLater: () => void): void {
    const e = toGsError(err, "GS_TARGET_IO", { location: change.path });
    journal.outcome(change.path, false, { code: e.code, message: e.message });
    this.builder.problem({ path: change.path, code: e.code, message: e.message });
    this.failed++;
    failedLater();
    if (stopsRun(e)) throw e;
  }

  /**
   * The run stopped (the target became unreachable, the lease was lost): what it wrote is journaled
   * and the intent state stays in force, so the next run converges. The journal is left without
   * an end record.
   */
  async abandon(): Promise<void> {
    await (await this.opening?.catch(() => undefined))?.close();
    await this.prepared.adoptions.flush().catch(() => {});
  }

  /** Settles the state on what was written, ends the journal and prunes old runs. */
  async finish(outcome: WalkOutcome): Promise<ApplyResult> {
    const { session, opts, builder, run } = this;
    const { store, desired, config } = session;
    const { state: oldState, skips, adoptions } = this.prepared;
    if (opts.saved) this.missedPlanned(opts.saved.changes);
    await adoptions.flush();
    const journaled = this.opening !== undefined;
    await store.saveManaged(
      finalState(oldState, desired, opts.scope, skips.keys, {
        run,
        journaled,
        cleanRoots: outcome.cleanRoots,
        allClean: outcome.cleanRoots.length === outcome.walkedRoots.length,
        traverse: this.traverse,
      }),
    );
    await adoptions.compact();
    const plan = builder.build(session.targetId);
    await (await this.opening)?.end({ ...plan.summary, failed: this.failed });
    if (journaled)
      await store.pruneRuns(
        config.state.keepRuns,
        new Set((await store.loadManaged(session.targetId)).pending?.runs),
      );
    return { run, journaled, plan, failed: this.failed };
  }

  /** A saved plan's paths the walk no longer found needing their change. */
  private missedPlanned(planned: readonly PathChange[]): void {
    const seen = new Set(this.builder.changes.map((c) => c.path));
    for (const c of planned) {
      if (!seen.has(c.path) && !this.builder.problems.some((p) => p.path === c.path)) {
        this.builder.problem({
          path: c.path,
          code: "GS_PLAN_STALE",
          message: "planned path no longer needs this change",
        });
      }
    }
  }
}
