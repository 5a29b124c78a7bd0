// The daemon's metrics name the build, the paths out of line at the last run, and count the config
// in grantsync_policy_valid.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { DaemonMetrics } from "../../src/daemon/metrics.ts";
import type { PlanSummary } from "../../src/reconcile/plan.ts";

const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};
const summary: PlanSummary = {
  scanned: 10,
  changed: 3,
  unchanged: 7,
  entriesAdded: 2,
  entriesRemoved: 1,
  entriesChanged: 4,
  managedEntries: 5,
  skipped: 0,
  excluded: 0,
  problems: 1,
  warnings: 0,
};

describe("daemon metrics", () => {
  it("exports grantsync_build_info with the version and Node", async () => {
    const text = await new DaemonMetrics().registry.metrics();
    assert.ok(text.includes(`grantsync_build_info{version="${version}",node="${process.version}"} 1`), text);
  });

  it("sets grantsync_drift_paths to the paths changed plus those left out of line at the last run", async () => {
    const m = new DaemonMetrics();
    m.run("error", 1, summary, 2);
    const text = await m.registry.metrics();
    assert.match(text, /^grantsync_drift_paths 5$/m);
    assert.match(text, /^grantsync_entries_changed_total 4$/m);
  });

  it("reports grantsync_policy_valid 0 while the config is invalid, even with good sources", async () => {
    const m = new DaemonMetrics();
    m.sourcesLoaded(true, false);
    assert.match(await m.registry.metrics(), /^grantsync_policy_valid 0$/m);
    m.sourcesLoaded(true, true);
    assert.match(await m.registry.metrics(), /^grantsync_policy_valid 1$/m);
  });
});
