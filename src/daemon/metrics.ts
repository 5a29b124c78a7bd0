// The daemon's Prometheus metrics in a private registry (so tests and embedders never share the
// global one): runs by result, durations, work done, errors by code, and the sources' freshness.

import { readFileSync } from "node:fs";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { PlanSummary } from "../reconcile/plan.ts";

const VERSION = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }
).version;

export type RunResult = "success" | "error" | "interrupted";

export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly runs: Counter<"result">;
  private readonly errors: Counter<"code">;
  private readonly duration: Histogram;
  private readonly scanned: Counter;
  private readonly added: Counter;
  private readonly removed: Counter;
  private readonly changed: Counter;
  private readonly drift: Gauge;
  private readonly lastSuccess: Gauge;
  private readonly policyValid: Gauge;
  private readonly pending: Gauge;
  private readonly breaker: Gauge;
  private readonly leading: Gauge;
  private readonly leaderChanges: Counter;
  private policyLoadedAt: number | undefined;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.runs = new Counter({
      name: "grantsync_reconcile_total",
      help: "Reconcile runs by result.",
      labelNames: ["result"],
      registers,
    });
    for (const result of ["success", "error", "interrupted"] satisfies RunResult[])
      this.runs.inc({ result }, 0);
    this.errors = new Counter({
      name: "grantsync_reconcile_errors_total",
      help: "Errors met by reconcile runs and source loads, by error code.",
      labelNames: ["code"],
      registers,
    });
    this.duration = new Histogram({
      name: "grantsync_reconcile_duration_seconds",
      help: "Duration of reconcile runs.",
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900],
      registers,
    });
    this.scanned = counter("grantsync_paths_scanned_total", "Paths observed by reconcile runs.", registers);
    this.added = counter("grantsync_entries_added_total", "Named ACL entries added.", registers);
    this.removed = counter("grantsync_entries_removed_total", "Named ACL entries removed.", registers);
    this.changed = counter(
      "grantsync_entries_changed_total",
      "Named ACL entries kept with a wider or narrower permission.",
      registers,
    );
    this.drift = gauge(
      "grantsync_drift_paths",
      "Paths out of line with the grants at the last run (changed by it, or left out of line).",
      registers,
    );
    new Gauge({
      name: "grantsync_build_info",
      help: "Always 1; the labels name the grantsync and Node versions.",
      labelNames: ["version", "node"],
      registers,
    }).set({ version: VERSION, node: process.version }, 1);
    this.lastSuccess = gauge(
      "grantsync_last_success_timestamp_seconds",
      "Unix time of the last successful reconcile.",
      registers,
    );
    this.policyValid = gauge(
      "grantsync_policy_valid",
      "1 when the config and the last load of the policy and locations had no error.",
      registers,
    );
    this.pending = gauge(
      "grantsync_pending_triggers",
      "Triggers queued behind the running reconcile.",
      registers,
    );
    this.breaker = gauge(
      "grantsync_breaker_tripped",
      "1 while the circuit breaker refuses the daemon's plan (released by grantsync apply --force).",
      registers,
    );
    this.leading = gauge(
      "grantsync_leader",
      "1 while this daemon may write (the leader, or the only daemon without ha).",
      registers,
    );
    this.leaderChanges = counter(
      "grantsync_leader_changes_total",
      "Times this daemon became the leader or stopped being it.",
      registers,
    );
    const self = this;
    new Gauge({
      name: "grantsync_policy_load_age_seconds",
      help: "Seconds since the policy and locations were last loaded without error.",
      registers,
      collect() {
        // NaN until the first good load: "never" must not read as "just now".
        this.set(self.policyLoadedAt === undefined ? Number.NaN : (Date.now() - self.policyLoadedAt) / 1000);
      },
    });
  }

  /** `unsynced`: paths the run could not bring in line. */
  run(result: RunResult, seconds: number, summary?: PlanSummary, unsynced = 0): void {
    this.runs.inc({ result });
    this.duration.observe(seconds);
    if (summary) {
      this.scanned.inc(summary.scanned);
      this.added.inc(summary.entriesAdded);
      this.removed.inc(summary.entriesRemoved);
      this.changed.inc(summary.entriesChanged);
      if (result !== "interrupted") this.drift.set(summary.changed + unsynced);
    }
    if (result === "success") this.lastSuccess.set(Date.now() / 1000);
  }

  error(code: string, count = 1): void {
    this.errors.inc({ code }, count);
  }

  sourcesLoaded(valid: boolean, configValid = true): void {
    this.policyValid.set(valid && configValid ? 1 : 0);
    if (valid) this.policyLoadedAt = Date.now();
  }

  leader(isLeader: boolean, changed: boolean): void {
    this.leading.set(isLeader ? 1 : 0);
    if (changed) this.leaderChanges.inc();
  }

  pendingTriggers(n: number): void {
    this.pending.set(n);
  }

  breakerTripped(held: boolean): void {
    this.breaker.set(held ? 1 : 0);
  }
}

function counter(name: string, help: string, registers: Registry[]): Counter {
  return new Counter({ name, help, registers });
}

function gauge(name: string, help: string, registers: Registry[]): Gauge {
  return new Gauge({ name, help, registers });
}
