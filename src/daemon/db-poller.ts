// Database and REST sources are not files to watch: this follows the metastore's notification log and
// a fingerprint of the grant source (Sentry store, Ranger Admin, Hive's grant tables) on an interval,
// and asks for an incremental run when either moved.

import { join } from "node:path";
import type { HmsFollower } from "../catalog/hms/follower.ts";
import type { CatalogLoadResult } from "../catalog/model.ts";
import type { Config } from "../config/types.ts";
import { toGsError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { SourceOverrides } from "../sources/load.ts";

export interface DbPollerOptions {
  config: Config;
  log: Logger;
  /** Called when a source changed (or became unreadable, so readiness is re-evaluated). */
  onChange: (reason: string) => void;
}

export class DbPoller {
  private readonly config: Config;
  private readonly log: Logger;
  private readonly onChange: DbPollerOptions["onChange"];
  private follower: HmsFollower | undefined;
  private fingerprint: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private busy = false;

  constructor(opts: DbPollerOptions) {
    this.config = opts.config;
    this.log = opts.log;
    this.onChange = opts.onChange;
  }

  /** Whether this config has any database source to poll. */
  static wanted(config: Config): boolean {
    const p = config.policy;
    return (
      config.catalog.type === "hms" ||
      p.type === "sentry-db" ||
      p.type === "hms-grants" ||
      (p.type === "ranger" && p.url !== undefined)
    );
  }

  /** The metastore catalog comes from the follower: events after the first snapshot, not a re-read. */
  async overrides(): Promise<SourceOverrides> {
    // The first reconcile may take minutes: the baseline is taken before its load, so a grant made
    // meanwhile shows as a change at the first poll instead of waiting for the schedule.
    if (this.fingerprint === undefined)
      this.fingerprint = (await this.policyFingerprint().catch(() => undefined))?.next;
    const c = this.config.catalog;
    if (c.type !== "hms") return {};
    if (!this.follower) {
      const { HmsFollower } = await import("../catalog/hms/follower.ts");
      this.follower = new HmsFollower(c, join(this.config.state.dir, "hms-follower.json"));
    }
    const follower = this.follower;
    return {
      catalog: async (): Promise<CatalogLoadResult> => {
        const r = await follower.poll();
        return { catalog: r.catalog, errors: [], warnings: [], sources: r.catalog.sources };
      },
    };
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.config.daemon.pollIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const reasons = [...(await this.catalogMoved()), ...(await this.policyMoved())];
      if (this.failing) {
        this.log.info("polled sources readable again");
        reasons.push("polled sources readable again");
      }
      this.failing = false;
      if (reasons.length > 0) this.onChange(reasons.join(", "));
    } catch (err) {
      const e = toGsError(err, "GS_DB_CONNECT");
      if (!this.failing) {
        this.log.error(
          { code: e.code },
          `polled source unreadable; the last good model stays in force: ${e.format()}`,
        );
        this.onChange("polled source unreadable");
      }
      this.failing = true;
    } finally {
      this.busy = false;
    }
  }

  private async catalogMoved(): Promise<string[]> {
    if (!this.follower) return [];
    const r = await this.follower.poll();
    if (r.full) return [`metastore snapshot (${r.reason ?? "full"})`];
    return r.touched.size > 0 ? [`metastore events: ${[...r.touched].slice(0, 5).join(", ")}`] : [];
  }

  private async policyFingerprint(): Promise<{ next: string; what: string } | undefined> {
    const p = this.config.policy;
    if (p.type === "sentry-db") {
      const { sentryDbFingerprint } = await import("../policy/sentry-db/source.ts");
      return { next: await sentryDbFingerprint(p), what: "sentry store changed" };
    }
    if (p.type === "hms-grants") {
      const { hmsGrantsFingerprint } = await import("../policy/hms-grants/source.ts");
      return { next: await hmsGrantsFingerprint(p), what: "hive grants changed" };
    }
    if (p.type === "ranger" && p.url !== undefined) {
      const { rangerRestFingerprint } = await import("../policy/ranger/source.ts");
      return { next: await rangerRestFingerprint(p), what: "ranger policies changed" };
    }
    return undefined;
  }

  private async policyMoved(): Promise<string[]> {
    const f = await this.policyFingerprint();
    if (!f) return [];
    const changed = this.fingerprint !== undefined && f.next !== this.fingerprint;
    this.fingerprint = f.next;
    return changed ? [f.what] : [];
  }
}
