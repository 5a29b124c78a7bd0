// A run reports its phase and how many of its locations are done, for the CLI's progress line.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Progress } from "../../src/reconcile/progress.ts";
import { applyChanges, computePlan } from "../../src/reconcile/run.ts";
import { openSessionFor } from "../helpers/hardening.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

describe("run progress", () => {
  it("counts locations from none done to all done, planning then applying", async () => {
    const wh = makeWarehouse();
    try {
      const session = await openSessionFor(wh.config);
      const seen: Progress[] = [];
      const listening = { ...session, onProgress: (p: Progress) => seen.push(p) };
      await computePlan(listening);
      await applyChanges(listening);
      await session.target.close();
      for (const phase of ["planning", "applying"] as const) {
        const of = seen.filter((p) => p.phase === phase);
        const total = of[0]!.locationsTotal;
        assert.ok(total > 0, JSON.stringify(of));
        assert.equal(of[0]!.locationsDone, 0);
        assert.deepEqual(
          of.map((p) => p.locationsDone),
          Array.from({ length: total + 1 }, (_, i) => i),
        );
        assert.ok(of.at(-1)!.scanned > 0, JSON.stringify(of));
      }
    } finally {
      wh.cleanup();
    }
  });
});
