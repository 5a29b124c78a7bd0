// The circuit breaker: the absolute limit always holds; the percentage rule waits for min_removals,
// so a small site moving one grant is not held, while a mass revocation on a large one is.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkBreaker } from "../../src/reconcile/breaker.ts";
import type { PlanSummary } from "../../src/reconcile/plan.ts";

const safety = { maxRemovals: 10_000, maxRemovalsPercent: 50, minRemovals: 100 };

function summary(entriesRemoved: number, managedEntries: number): PlanSummary {
  return {
    scanned: managedEntries,
    changed: entriesRemoved,
    unchanged: 0,
    entriesAdded: 0,
    entriesRemoved,
    entriesChanged: 0,
    managedEntries,
    skipped: 0,
    excluded: 0,
    warnings: 0,
    problems: 0,
  };
}

describe("checkBreaker", () => {
  it("lets a small site remove all 3 of its managed entries (below min_removals)", () => {
    assert.equal(checkBreaker(summary(3, 3), safety).tripped, false);
    assert.equal(checkBreaker(summary(99, 99), safety).tripped, false);
  });

  it("applies the percentage rule from min_removals on", () => {
    const v = checkBreaker(summary(100, 150), safety);
    assert.equal(v.tripped, true);
    assert.match(v.reason!, /100 entries to remove = 66\.7% of the 150 managed > max_removals_percent 50%/);
    assert.equal(checkBreaker(summary(100, 200), safety).tripped, false, "50% is not more than 50%");
  });

  it("keeps the absolute max_removals whatever min_removals says", () => {
    const v = checkBreaker(summary(11, 1000), { ...safety, maxRemovals: 10 });
    assert.equal(v.tripped, true);
    assert.match(v.reason!, /11 entries to remove > max_removals 10/);
  });

  it("with min_removals = 0 counts the percentage for any removal", () => {
    assert.equal(checkBreaker(summary(2, 3), { ...safety, minRemovals: 0 }).tripped, true);
    assert.equal(checkBreaker(summary(0, 0), { ...safety, minRemovals: 0 }).tripped, false);
  });
});
