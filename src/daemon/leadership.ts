// Active/standby over a database state: every daemon tries the writer lease each check interval;
// the one holding it leads and alone reconciles, the others load sources and wait to take over.

import { setTimeout as sleep } from "node:timers/promises";
import { toGsError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { StateStore, WriterLease } from "../state/store.ts";
import type { DaemonMetrics } from "./metrics.ts";

export type Role = "leader" | "standby";

export interface LeadershipOptions {
  store: StateStore;
  intervalMs: number;
  log: Logger;
  metrics: DaemonMetrics;
  /** Called once per term, after the grace period: the new leader's first (full) reconcile. */
  onElected: () => void;
}

export class Leadership {
  private readonly opts: LeadershipOptions;
  private lease: WriterLease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private trying = false;
  private stopped = false;
  private lastHolder: string | undefined;

  constructor(opts: LeadershipOptions) {
    this.opts = opts;
    opts.metrics.leader(false, false);
  }

  get role(): Role {
    return this.lease && !this.lease.lost ? "leader" : "standby";
  }

  /** The lease while leading and past the grace period; writes happen only under it. */
  get current(): WriterLease | undefined {
    return this.role === "leader" ? this.lease : undefined;
  }

  start(): void {
    void this.tryLead();
    this.timer = setInterval(() => void this.tryLead(), this.opts.intervalMs);
    this.timer.unref();
  }

  /** Gives the lease back, so a standby takes over at its next check rather than after a timeout. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const lease = this.lease;
    this.lease = undefined;
    if (lease && !lease.lost) {
      await lease.release();
      this.changed(false, "released the leadership (stopping)");
    }
  }

  private async tryLead(): Promise<void> {
    if (this.trying || this.stopped || this.role === "leader") return;
    this.trying = true;
    const { store, log, intervalMs } = this.opts;
    try {
      const got = await store.tryAcquireWriter("daemon");
      if (!("epoch" in got)) {
        if (got.holder !== this.lastHolder) log.info({ leader: got.holder }, "standby: another daemon leads");
        this.lastHolder = got.holder;
        return;
      }
      if (this.stopped) return void (await got.release());
      got.onLost((reason) => {
        if (this.lease !== got) return;
        this.lease = undefined;
        this.changed(false, `lost the leadership: ${reason}; standing by`);
      });
      // A previous leader that lost its session mid-batch may still finish writing that batch:
      // one check interval later it has stopped (it checks before each batch and each path).
      await sleep(intervalMs);
      if (got.lost || this.stopped) return;
      this.lease = got;
      this.lastHolder = undefined;
      this.changed(true, "became the leader; a full reconcile settles what the previous leader left");
      this.opts.onElected();
    } catch (err) {
      const e = toGsError(err, "GS_STATE");
      this.opts.metrics.error(e.code);
      log.warn({ code: e.code }, `leader election failed: ${e.format()}`);
    } finally {
      this.trying = false;
    }
  }

  private changed(leader: boolean, message: string): void {
    this.opts.metrics.leader(leader, true);
    const fields = { role: leader ? "leader" : "standby", epoch: this.lease?.epoch };
    if (leader) this.opts.log.info(fields, message);
    else this.opts.log.warn(fields, message);
  }
}
