// A write that fails during a revocation must not make grantsync forget the entry it left behind:
// the next run still owns it and removes it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GsError } from "../../src/errors.ts";
import { applyChanges } from "../../src/reconcile/run.ts";
import { getfacl } from "../helpers/cli.ts";
import { withFailingWrites } from "../helpers/failing-target.ts";
import { openSessionFor } from "../helpers/hardening.ts";
import { DEFAULT_POLICY, makeWarehouse } from "../helpers/warehouse.ts";

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

      const next = await openSessionFor(wh.config);
      const r = await applyChanges(next);
      await next.target.close();
      assert.equal(r.failed, 0);
      assert.ok(!getfacl(file).includes("group:staff:r--"), "the next run removes the entry it still owns");
    } finally {
      wh.cleanup();
    }
  });
});
