// One daemon run: re-read the config and sources (keeping the last good ones on any error),
// recompile, apply the whole tree or only the changed contexts, and record the outcome.

import { isAbsolute } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { DesiredState } from "../compile/model.ts";
import { desiredNotices } from "../compile/notices.ts";
import { loadConfig } from "../config/load.ts";
import type { Config } from "../config/types.ts";
import { type Diagnostic, formatDiagnostic, toGsError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { changedContexts } from "../reconcile/incremental.ts";
import { unsyncedPaths } from "../reconcile/outcome.ts";
import { type ApplyResult, applyChanges } from "../reconcile/run.ts";
import { StateStore as StateDir } from "../reconcile/state.ts";
import { collectReport } from "../report/collect.ts";
import { renderHtmlReport } from "../report/html.ts";
import { sessionOf } from "../session/build.ts";
import { compileFor } from "../session/compile.ts";
import { createTarget, targetId } from "../session/target.ts";
import { loadModel, type Model, type SourceOverrides } from "../sources/load.ts";
import type { StateStore, WriterLease } from "../state/store.ts";
import type { Target } from "../targets/target.ts";
import type { Readiness } from "./health.ts";
import { type Job, triggerOf } from "./job.ts";
import type { DaemonMetrics } from "./metrics.ts";
import { checkRestartOnly } from "./restart-only.ts";
import { codeAt, describeProblems, logProblems, logRun, outcomeOf, readinessOf } from "./run-report.ts";
import { yieldingTarget } from "./yielding-target.ts";

export interface ReconcilerOptions {
  config: Config;
  log: Logger;
  metrics: DaemonMetrics;
  store: StateStore;
  /**
   * With ha: whether this daemon leads now, and its lease. A standby loads and compiles its
   * sources (to take over at once) but writes nothing.
   */
  leadership?: () => { leader: boolean; lease?: WriterLease };
  /** Told after every load which files to watch and which config is in force. */
  onInputs: (config: Config, files: string[]) => void;
  /** Other ways to read sources (the metastore follower); default: read them in full. */
  overrides?: () => Promise<SourceOverrides>;
}

export class Reconciler {
  private config: Config;
  private readonly log: Logger;
  private readonly metrics: DaemonMetrics;
  private readonly onInputs: ReconcilerOptions["onInputs"];
  private readonly overrides: ReconcilerOptions["overrides"];
  private readonly store: StateStore;
  private readonly leadership: ReconcilerOptions["leadership"];
  private target: Target | undefined;
  private model: Model | undefined;
  private compiled: { model: Model; config: Config; desired: DesiredState } | undefined;
  /** What the last successful run put in force; incremental scopes are diffs against it. */
  private applied: DesiredState | undefined;
  private watched: string[] = [];
  private configError: string | undefined;
  private readonly lastNotices: Record<"sources" | "compile", string | undefined> = {
    sources: undefined,
    compile: undefined,
  };
  private sourceErrors: string[] = [];
  private lastRun: { ok: boolean; error?: string } | undefined;
  /** The circuit breaker's refusal while it holds the daemon; an apply --force releases it. */
  private breaker: string | undefined;

  constructor(opts: ReconcilerOptions) {
    this.config = opts.config;
    this.log = opts.log;
    this.metrics = opts.metrics;
    this.onInputs = opts.onInputs;
    this.overrides = opts.overrides;
    this.store = opts.store;
    this.leadership = opts.leadership;
  }

  readiness(): Readiness {
    const { configError, sourceErrors, breaker, lastRun } = this;
    // A standby is healthy with valid sources: the leader's runs are not its own.
    const standby = this.leadership?.().leader === false;
    return readinessOf({
      configError,
      sourceErrors,
      breaker,
      lastRun,
      standby,
      configFile: this.config.file,
    });
  }

  /** Returns whether the run succeeded (or had nothing to do). */
  async run(job: Job, signal: AbortSignal): Promise<boolean> {
    const configChanged = this.reloadConfig();
    await this.reloadSources();
    if (!this.model || signal.aborted) return false;
    let desired: DesiredState;
    try {
      desired = await this.compile(configChanged);
    } catch (err) {
      return this.failed(err, { reasons: job.reasons }, 0);
    }
    const role = this.leadership?.();
    if (role && !role.leader) {
      this.log.debug({ reasons: job.reasons }, "standby: sources loaded; the leader reconciles");
      return true;
    }
    const full = job.full || configChanged || !this.applied || this.lastRun?.ok === false;
    const scope = full ? undefined : changedContexts(this.applied, desired);
    if (scope?.size === 0) {
      this.log.info({ reasons: job.reasons }, "sources reloaded; no desired ACL changed");
      return true;
    }
    return this.apply(desired, scope, job, signal, role?.lease);
  }

  /** The HTML report of the model in force, read from the target now; undefined before the first compile. */
  async report(): Promise<string | undefined> {
    const { compiled, target } = this;
    if (!compiled || !target) return undefined;
    const data = await collectReport({
      target,
      targetName: targetId(compiled.config),
      desired: compiled.desired,
      state: this.store,
    });
    return renderHtmlReport(data);
  }

  async close(): Promise<void> {
    await this.target?.close();
    this.target = undefined;
  }

  /** A bad or unreadable config keeps the one in force; returns whether a new one took over. */
  private reloadConfig(): boolean {
    if (!this.config.file) return false;
    let next: Config;
    try {
      next = loadConfig(this.config.file);
      checkRestartOnly(next, this.config);
    } catch (err) {
      const e = toGsError(err, "GS_CONFIG_INVALID");
      this.configError = codeAt(e.code, e.location);
      this.metrics.error(e.code);
      this.log.error({ code: e.code }, e.format());
      return false;
    }
    this.configError = undefined;
    if (isDeepStrictEqual(next, this.config)) return false;
    if (next.daemon.listen !== this.config.daemon.listen)
      this.log.warn(
        { listen: next.daemon.listen },
        "[daemon] listen changes take effect at the next restart",
      );
    this.log.info({ file: next.file }, "config reloaded");
    this.log.level = next.log.level;
    this.config = next;
    return true;
  }

  /** Errors keep the last good model in force: a broken or missing file never revokes anything. */
  private async reloadSources(): Promise<void> {
    const load = await loadModel(this.config, (await this.overrides?.()) ?? {});
    this.logOnceChanged("sources", load.warnings);
    // While sources are broken, keep watching what the last good load read, so a fix is seen.
    // Database sources appear as names, not files: only absolute paths are watched.
    const read = load.model ? load.sources : [...this.watched, ...load.sources];
    this.watched = [...new Set([this.config.file, ...read])].filter(
      (f): f is string => typeof f === "string" && isAbsolute(f),
    );
    this.announceInputs();
    this.metrics.sourcesLoaded(load.model !== undefined, this.configError === undefined);
    if (!load.model) {
      this.sourceErrors = load.errors.map((d) =>
        codeAt(d.code, d.file && (d.line ? `${d.file}:${d.line}` : d.file)),
      );
      for (const d of load.errors) {
        this.metrics.error(d.code);
        this.log.error({ code: d.code }, formatDiagnostic(d));
      }
      this.log.error(
        { errors: load.errors.length },
        this.model
          ? "sources invalid; the last good model stays in force"
          : "sources invalid; nothing loaded yet",
      );
      return;
    }
    this.sourceErrors = [];
    this.model = load.model;
  }

  /**
   * While the breaker holds, the state file is watched too: the operator's `apply --force` rewrites
   * it, and the run that follows finds nothing left to refuse.
   */
  private announceInputs(): void {
    // A database state has no file to watch: the forced apply is seen at the next trigger.
    const state =
      this.breaker && !this.config.state.db ? [new StateDir(this.config.state.dir).stateFile] : [];
    this.onInputs(this.config, [...this.watched, ...state]);
  }

  private setBreaker(reason: string | undefined): void {
    if (reason === this.breaker) return;
    const changed = (reason === undefined) !== (this.breaker === undefined);
    this.breaker = reason;
    this.metrics.breakerTripped(reason !== undefined);
    if (changed) this.announceInputs();
  }

  /** Notices repeat on every load; they are logged again only when they change. */
  private logOnceChanged(kind: "sources" | "compile", notices: readonly Diagnostic[]): void {
    const text = notices.map(formatDiagnostic).join("\n");
    if (this.lastNotices[kind] === text) return;
    this.lastNotices[kind] = text;
    for (const d of notices) this.log.warn({ code: d.code }, formatDiagnostic(d));
  }

  /** The target is built once per config: its default file execute bit shapes the desired ACLs. */
  private async compile(configChanged: boolean): Promise<DesiredState> {
    if (configChanged || !this.target) {
      await this.close();
      this.target = yieldingTarget(await createTarget(this.config));
    }
    const c = this.compiled;
    if (c && c.model === this.model && c.config === this.config) return c.desired;
    const desired = compileFor(this.config, this.model!, this.target);
    this.compiled = { model: this.model!, config: this.config, desired };
    const notices = desiredNotices(desired);
    this.logOnceChanged("compile", [...notices.warnings, ...notices.notes]);
    return desired;
  }

  private async apply(
    desired: DesiredState,
    scope: Set<string> | undefined,
    job: Job,
    signal: AbortSignal,
    lease: WriterLease | undefined,
  ): Promise<boolean> {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    const base = { reasons: job.reasons, scope: scope ? scope.size : "full" };
    try {
      const session = sessionOf(
        { config: this.config, target: this.target!, desired, store: this.store },
        {
          ...(lease ? { lease } : {}),
          onWrite: (path, added, removed) => this.log.debug({ path, added, removed }, "path changed"),
          trigger: triggerOf(job.reasons),
        },
      );
      const result = await applyChanges(session, { ...(scope ? { scope } : {}), signal, keepChanges: false });
      return this.finished(result, desired, signal.aborted, base, seconds());
    } catch (err) {
      return this.failed(err, base, seconds());
    }
  }

  /** Counts and logs a run that completed or was interrupted; a success is what later runs diff against. */
  private finished(
    result: ApplyResult,
    desired: DesiredState,
    aborted: boolean,
    fields: Record<string, unknown>,
    seconds: number,
  ): boolean {
    const { outcome, problems } = outcomeOf(result, aborted);
    for (const p of problems) this.metrics.error(p.code);
    logProblems(this.log, result.run, problems);
    this.metrics.run(outcome, seconds, result.plan.summary, unsyncedPaths(result.plan).length);
    logRun(this.log, fields, result, outcome, seconds);
    if (outcome === "interrupted") return false;
    this.lastRun =
      outcome === "success" ? { ok: true } : { ok: false, error: describeProblems(result.failed, problems) };
    if (outcome === "success") this.applied = desired;
    this.setBreaker(undefined);
    return outcome === "success";
  }

  private failed(err: unknown, fields: Record<string, unknown>, seconds: number): false {
    const e = toGsError(err, "GS_INTERNAL");
    // Any other failure (the state lock taken by the operator's apply --force) keeps it as it was.
    if (e.code === "GS_CIRCUIT_BREAKER") this.setBreaker(e.message);
    this.metrics.error(e.code);
    this.metrics.run("error", seconds);
    this.lastRun = { ok: false, error: codeAt(e.code, e.location) };
    this.log.error({ ...fields, result: "error", code: e.code, err: e }, `reconcile error: ${e.format()}`);
    return false;
  }
}
