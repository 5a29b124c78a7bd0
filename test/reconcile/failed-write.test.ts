// A write that fails during a revocation must not make grantsync forget the entry it left behind:
// the next run still owns it and removes it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GsError } from "../../src/errors.ts";
import { applyChanges } from "../../src/reconcile/run.ts";
import type { Target, TargetNode } from "../../src/targets/target.ts";
import { getfacl } from "../helpers/cli.ts";
import { openSessionFor } from "../helpers/hardening.ts";
import { DEFAULT_POLICY, makeWarehouse } from "../helpers/warehouse.ts";

/** The real target, except that writing `failPath` fails as a concurrent change would make it. */
function failingOn(target: Target, failPath: string): Target {
  const wrap = (node: TargetNode): TargetNode =>
    node.path !== failPath
      ? node
      : {
          path: node.path,
          type: node.type,
          acl: node.acl,
          write: () =>
            Promise.reject(new GsError("GS_ACL_CHANGED", "changed under us", { location: failPath })),
        };
  return {
    kind: target.kind,
    fileExecuteDefault: target.fileExecuteDefault,
    walk: (root, opts) => target.walk(root, { ...opts, visit: (n) => opts.visit(wrap(n)) }),
    node: async (p) => {
      const n = await target.node(p);
      return n && wrap(n);
    },
    unknownPrincipals: (ps) => target.unknownPrincipals(ps),
    close: () => target.close(),
  };
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
      const failed = await applyChanges({ ...revoking, target: failingOn(revoking.target, file) });
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
