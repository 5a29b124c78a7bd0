// A run that dies before reaching a path must not make the next run treat someone else's entry
// there as grantsync's, just because the dead run meant to grant the same principal.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GsError } from "../../src/errors.ts";
import { applyChanges } from "../../src/reconcile/run.ts";
import type { Target } from "../../src/targets/target.ts";
import { getfacl, setfacl } from "../helpers/cli.ts";
import { withFailingWrites } from "../helpers/failing-target.ts";
import { openSessionFor } from "../helpers/hardening.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

const V1 = "[groups]\nstaff = reader\n[roles]\nreader = server=server1->db=sales->action=select\n";
const V2 = `${V1.replace("staff = reader\n", "staff = reader\nusers = reader\n")}`;

describe("after a run that died midway", () => {
  it("someone else's entry for a principal the dead run meant to grant stays theirs", async () => {
    const wh = makeWarehouse({ policy: V1, extraConfig: "[safety]\nmax_removals_percent = 100\n" });
    const notes = wh.p("sales.db/_tmp/notes.txt");
    try {
      const apply = async (wrap?: (t: Target) => Target) => {
        const s = await openSessionFor(wh.config);
        try {
          return await applyChanges(wrap ? { ...s, target: wrap(s.target) } : s);
        } finally {
          await s.target.close();
        }
      };
      await apply();
      setfacl(["-m", "g:users:rw-", notes]);
      const theirs = getfacl(notes);

      wh.writePolicy(V2);
      await assert.rejects(
        apply((t) => withFailingWrites(t, () => new GsError("GS_WEBHDFS_UNAVAILABLE", "gone mid-run"))),
        (e) => e instanceof GsError && e.code === "GS_WEBHDFS_UNAVAILABLE",
      );
      await apply();
      assert.deepEqual(getfacl(notes), theirs, "their rw- is neither narrowed to our r-- nor taken over");
      assert.ok(
        getfacl(wh.p("sales.db/customers/part-0.csv")).includes("group:users:r--"),
        "the grant landed elsewhere",
      );

      wh.writePolicy(V1);
      await apply();
      assert.deepEqual(getfacl(notes), theirs, "revoking the grant leaves their entry");
      assert.ok(!getfacl(wh.p("sales.db/customers/part-0.csv")).includes("group:users:r--"));
    } finally {
      wh.cleanup();
    }
  });
});
