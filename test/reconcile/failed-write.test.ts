// A write that fails during a revocation must not make grantsync forget the entry it left behind:
// the next run still owns it and removes it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { GsError } from "../../src/errors.ts";
import { applyChanges } from "../../src/reconcile/run.ts";
import { getfacl } from "../helpers/cli.ts";
import { withFailingWrites } from "../helpers/failing-target.ts";
import { openSessionFor } from "../helpers/hardening.ts";
import { DEFAULT_POLICY, makeWarehouse } from "../helpers/warehouse.ts";

/** The run after the failed one writes everything and takes away the entry the failed path kept. */
async function nextRunRemoves(config: string, file: string): Promise<void> {
  const next = await openSessionFor(config);
  const r = await applyChanges(next);
  await next.target.close();
  assert.equal(r.failed, 0);
  assert.ok(!getfacl(file).includes("group:staff:r--"), "the next run removes the entry it still owns");
}

describe("a failed write during a revocation", () => {
  it("is retried by the next run, which removes the entry grantsync left", async () => {
    const wh = makeWarehouse({ extraConfig: "[safety]\nmax_removals_percent = 100\n" });
    try {
      const file = wh.p("sales.db/customers/part-0.csv");
      const first = await openSessionFor(wh.config);
      await applyChanges(first);
      await first.target.close();
      assert.ok(getfacl(file).includes("group:staff:r--"));

      wh.writePolicy(DEFAULT_POLICY.replace("staff = sales_reader\n", ""));
      const revoking = await openSessionFor(wh.config);
      const failed = await applyChanges({
        ...revoking,
        target: withFailingWrites(revoking.target, (n) =>
          n.path === file ? new GsError("GS_ACL_CHANGED", "changed under us", { location: file }) : undefined,
        ),
      });
      await revoking.target.close();
      assert.equal(failed.failed, 1);
      assert.ok(getfacl(file).includes("group:staff:r--"), "the failed path still carries the entry");
      assert.ok(!getfacl(wh.p("sales.db/customers")).includes("group:staff:r-x"), "the rest was revoked");

      await nextRunRemoves(wh.config, file);
    } finally {
      wh.cleanup();
    }
  });

  // The POSIX target writes a journal batch's paths in one go (writeNow): a path of the batch that
  // fails there must leave its root unsettled just the same, while the rest of the batch is written.
  it("is retried on POSIX when one file of a journal batch refuses the write (chattr +i)", async (t) => {
    const wh = makeWarehouse({ extraConfig: "[safety]\nmax_removals_percent = 100\n" });
    const file = wh.p("sales.db/customers/part-0.csv");
    const sibling = wh.p("sales.db/customers/part-1.csv");
    writeFileSync(sibling, "y\n", { mode: 0o640 });
    const chattr = (flag: string) => spawnSync("chattr", [flag, file], { encoding: "utf8" });
    try {
      const first = await openSessionFor(wh.config);
      await applyChanges(first);
      await first.target.close();
      assert.ok(getfacl(file).includes("group:staff:r--"));
      const refused = chattr("+i");
      if (refused.status !== 0) return t.skip(`chattr +i not supported here: ${refused.stderr.trim()}`);

      wh.writePolicy(DEFAULT_POLICY.replace("staff = sales_reader\n", ""));
      const revoking = await openSessionFor(wh.config);
      const failed = await applyChanges(revoking);
      await revoking.target.close();
      assert.equal(failed.failed, 1);
      assert.ok(getfacl(file).includes("group:staff:r--"), "the immutable file still carries the entry");
      assert.ok(!getfacl(sibling).includes("group:staff"), "its batch was written");
      assert.ok(!getfacl(wh.p("sales.db/customers")).includes("group:staff:r-x"), "the rest was revoked");

      chattr("-i");
      await nextRunRemoves(wh.config, file);
    } finally {
      chattr("-i");
      wh.cleanup();
    }
  });
});
