// The daemon's lifecycle: the lifetime lock (or, with ha, the leader election), the health server,
// the schedule, the file watcher and signals feed one run queue; SIGTERM drains it and exits.

import type { Config } from "../config/types.ts";
import { toGsError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { acquireLock, type StateLock } from "../reconcile/lock.ts";
import { StateStore as StateDir } from "../reconcile/state.ts";
import { requireEnvironment } from "../session/build.ts";
import { openStateStore } from "../session/store.ts";
import type { StateStore } from "../state/store.ts";
import { DbPoller } from "./db-poller.ts";
import { type HealthServer, isLoopback, startHealthServer } from "./health.ts";
import { type Job, mergeJobs } from "./job.ts";
import { Leadership } from "./leadership.ts";
import { DaemonMetrics } from "./metrics.ts";
import { Reconciler } from "./reconciler.ts";
import { RunQueue } from "./run-queue.ts";
import { type Schedule, startSchedule } from "./schedule.ts";
import { installSignals } from "./signals.ts";
import { SourceWatcher } from "./watch.ts";

export interface DaemonOptions {
  config: Config;
  log: Logger;
  /** One full reconcile, then stop: exit code 0 when it succeeded. */
  once?: boolean;
}

/** Runs until stopped by a signal; resolves with the process exit code. */
export async function runDaemon(opts: DaemonOptions): Promise<number> {
  const { config, log } = opts;
  requireEnvironment(config);
  // A database state has no directory to lock: apply runs (or, with ha, leadership) take its lease.
  let lock: StateLock | undefined;
  if (!config.state.db) {
    new StateDir(config.state.dir).ensure();
    lock = acquireLock(config.state.dir, "daemon", "daemon.lock");
  }
  try {
    const store = await openStateStore(config);
    const daemon = new Daemon(config, log, store, lock, opts.once !== true && config.daemon.ha);
    try {
      return await (opts.once ? daemon.once() : daemon.serve());
    } finally {
      await store.close();
    }
  } finally {
    lock?.release();
  }
}

class Daemon {
  private readonly log: Logger;
  private readonly lock: StateLock | undefined;
  private readonly leadership: Leadership | undefined;
  private readonly metrics = new DaemonMetrics();
  private readonly abort = new AbortController();
  private readonly reconciler: Reconciler;
  private readonly queue: RunQueue<Job>;
  private config: Config;
  private files: string[] = [];
  private schedule: Schedule | undefined;
  private watcher: SourceWatcher | undefined;
  private health: HealthServer | undefined;
  private readonly poller: DbPoller | undefined;
  private draining = false;
  private stopped: ((code: number) => void) | undefined;

  constructor(config: Config, log: Logger, store: StateStore, lock: StateLock | undefined, ha: boolean) {
    this.config = config;
    this.log = log;
    this.lock = lock;
    if (ha) {
      this.leadership = new Leadership({
        store,
        intervalMs: config.daemon.haCheckIntervalMs,
        log,
        metrics: this.metrics,
        onElected: () => this.queue.trigger({ full: true, reasons: ["elected leader"] }),
      });
    } else this.metrics.leader(true, false);
    const leadership = this.leadership;
    if (DbPoller.wanted(config)) {
      this.poller = new DbPoller({
        config,
        log,
        onChange: (reason) => this.queue.trigger({ full: false, reasons: [reason] }),
      });
    }
    const poller = this.poller;
    this.reconciler = new Reconciler({
      config,
      log,
      metrics: this.metrics,
      store,
      ...(leadership
        ? { leadership: () => ({ leader: leadership.role === "leader", lease: leadership.current }) }
        : {}),
      onInputs: (c, files) => this.inputsChanged(c, files),
      ...(poller ? { overrides: () => poller.overrides() } : {}),
    });
    this.queue = new RunQueue<Job>({
      run: async (job) => {
        await this.reconciler.run(job, this.abort.signal);
      },
      merge: mergeJobs,
      onError: (err) => this.log.error({ err: toGsError(err) }, "reconcile crashed"),
      onPending: (n) => this.metrics.pendingTriggers(n),
    });
  }

  async once(): Promise<number> {
    const uninstall = installSignals({ stop: () => this.abort.abort(), reload: () => undefined });
    try {
      const ok = await this.reconciler.run({ full: true, reasons: ["once"] }, this.abort.signal);
      return ok ? 0 : 1;
    } finally {
      uninstall();
      await this.reconciler.close();
    }
  }

  async serve(): Promise<number> {
    const exit = new Promise<number>((resolve) => {
      this.stopped = resolve;
    });
    const uninstall = installSignals({
      stop: (signal) => void this.shutdown(signal),
      reload: () => {
        this.log.info("SIGHUP: reloading the config and sources");
        this.queue.trigger({ full: true, reasons: ["sighup"] });
      },
    });
    try {
      this.health = await startHealthServer({
        listen: this.config.daemon.listen,
        registry: this.metrics.registry,
        report: () => this.reconciler.report(),
        readiness: () => ({
          ...(this.draining ? { ready: false, reason: "shutting down" } : this.reconciler.readiness()),
          role: this.leadership?.role ?? "leader",
        }),
      });
      const { address, port } = this.health.address;
      this.leadership?.start();
      this.log.info(
        { address, port, ...(this.lock ? { lock: this.lock.file } : {}), ha: this.leadership !== undefined },
        `daemon started; health and metrics on ${address}:${port}`,
      );
      if (!isLoopback(address)) {
        this.log.warn(
          { address, port },
          `[daemon] listen ${address}:${port} is not a loopback address: /healthz, /readyz and /metrics answer anyone who can reach it, unauthenticated; see docs/SECURITY.md to restrict it`,
        );
      }
      // The first run reads the sources, which tells the watcher what to watch.
      this.queue.trigger({ full: true, reasons: ["start"] });
      await this.queue.idle();
      await this.startTriggers();
      return await exit;
    } catch (err) {
      await this.shutdown("error");
      throw err;
    } finally {
      uninstall();
    }
  }

  private async startTriggers(): Promise<void> {
    if (this.draining) return;
    const watcher = await SourceWatcher.open({
      files: this.files,
      debounceMs: this.config.daemon.debounceMs,
      onChange: () => this.queue.trigger({ full: false, reasons: ["watch"] }),
      log: this.log,
    });
    // A stop signal may have arrived while the watcher was starting.
    if (this.draining) return watcher.close();
    this.watcher = watcher;
    this.poller?.start();
    this.restartSchedule();
  }

  private inputsChanged(config: Config, files: string[]): void {
    // A run finishing during shutdown must not hand the closed watcher new files: they would keep
    // the process alive after the drain.
    if (this.draining) return;
    const scheduleChanged =
      config.daemon.schedule !== this.config.daemon.schedule ||
      config.daemon.timezone !== this.config.daemon.timezone;
    this.config = config;
    this.files = files;
    this.watcher?.setFiles(files, config.daemon.debounceMs);
    if (scheduleChanged && this.schedule) this.restartSchedule();
  }

  private restartSchedule(): void {
    void this.schedule?.stop();
    const { schedule, timezone } = this.config.daemon;
    this.schedule = startSchedule(
      schedule,
      timezone,
      () => this.queue.trigger({ full: true, reasons: ["schedule"] }),
      this.log,
    );
  }

  /** Stops triggers, lets the in-flight run finish its current write, closes everything. */
  private async shutdown(reason: string): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    const timeoutMs = this.config.daemon.shutdownTimeoutMs;
    this.log.info({ reason, busy: this.queue.busy, timeoutMs }, "stopping");
    const hard = setTimeout(() => {
      this.log.error({ timeoutMs }, "shutdown timed out; exiting without finishing the run");
      process.exit(1);
    }, timeoutMs);
    try {
      // Walks check the signal between paths: a write in progress completes and is journaled.
      this.abort.abort();
      this.poller?.stop();
      await this.schedule?.stop();
      await this.watcher?.close();
      await this.queue.stop();
      await this.leadership?.stop();
      await this.reconciler.close();
      await this.health?.close();
    } finally {
      clearTimeout(hard);
    }
    this.log.info("stopped");
    this.stopped?.(0);
  }
}
