import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Plan } from "../../src/reconcile/plan.ts";
import { makeStyle, num } from "../../src/report/style.ts";
import { renderPlan } from "../../src/report/text.ts";

const plain = makeStyle(false);

function plan(objects: Plan["objects"], changed: number): Plan {
  return {
    kind: "grantsync-plan",
    formatVersion: 1,
    createdAt: "",
    target: "posix",
    changes: [],
    objects,
    summary: {
      scanned: 10,
      changed,
      unchanged: 10 - changed,
      entriesAdded: 4,
      entriesRemoved: 1,
      entriesChanged: 0,
      managedEntries: 3,
      skipped: 0,
      excluded: 0,
      warnings: 0,
      problems: 0,
    },
    skipped: [],
    excluded: [],
    warnings: [],
    problems: [],
  };
}

describe("renderPlan", () => {
  it("shows one item per principal, with directory and file permissions, default twins folded in", () => {
    const text = renderPlan(
      plan(
        [
          {
            object: "sales.customer",
            paths: 3,
            added: { "group:analysts:r-x": 1, "default:group:analysts:r-x": 1, "group:analysts:r--": 2 },
            removed: { "group:interns:r--": 2 },
            changed: {},
          },
        ],
        3,
      ),
      plain,
    );
    assert.match(
      text,
      /^sales\.customer: 3 paths {2}\+group:analysts:r-x\/r-- {2}-group:interns:r-- \(2\)$/m,
    );
    assert.match(text, /default: entries too/);
    assert.match(text, /^Plan: 3 paths to change \(4 entries added, 1 removed, 0 changed\), 7 unchanged\.$/m);
  });

  it("keeps a default entry that has no access twin", () => {
    const text = renderPlan(
      plan([{ object: "t", paths: 1, added: { "default:user:bob:rwx": 1 }, removed: {}, changed: {} }], 1),
      plain,
    );
    assert.match(text, /^t: 1 path {2}\+default:user:bob:rwx$/m);
  });

  it("says so when nothing would change", () => {
    assert.match(renderPlan(plan([], 0), plain), /No changes/);
  });
});

describe("num", () => {
  it("groups thousands without locale data", () => {
    assert.deepEqual([0, 999, 1000, 1234567, -1234, 12.5].map(num), [
      "0",
      "999",
      "1,000",
      "1,234,567",
      "-1,234",
      "12.5",
    ]);
  });
});
