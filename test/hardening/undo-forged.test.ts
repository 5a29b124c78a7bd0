// A journal is state-dir input: undo checks every record before it writes anything. A record
// naming a path outside the roots, or one that is not intact, refuses the whole undo, and no
// path is restored, not even the ones whose records are fine.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { decodeLine, encodeLine, type JournalChange, lineOf } from "../../src/reconcile/journal-record.ts";
import { grantsync } from "../helpers/cli.ts";
import { applyOnce, salesScratch, stateOf } from "../helpers/hardening.ts";

function applied() {
  const wh = salesScratch();
  const run = applyOnce(wh);
  const journal = join(wh.state, "journal", `${run}.jsonl`);
  return { wh, run, journal, lines: readFileSync(journal, "utf8").trimEnd().split("\n") };
}

describe("undo of a forged journal", () => {
  // A forger who can write the journal can also compute its checksums: the records below are
  // intact as far as the checksum goes, so only undo's own checks stand in the way.
  const change = (lines: string[]) =>
    decodeLine(lines.find((l) => l.includes('"t":"change"'))!) as JournalChange;
  const forgeries: [string, (lines: string[]) => string, RegExp][] = [
    [
      "a path outside the roots",
      (lines) => encodeLine({ ...change(lines), path: "/etc/grantsync-forged" }).trimEnd(),
      /GS_PATH_OUTSIDE_ROOTS/,
    ],
    [
      "a path that leaves a root through ..",
      (lines) => encodeLine({ ...change(lines), path: `${change(lines).path}/../../../../etc` }).trimEnd(),
      /GS_PATH_OUTSIDE_ROOTS/,
    ],
    ["a record that is not JSON", () => '{"t":"change","path":', /GS_JOURNAL/],
    [
      "an ACL that is not an ACL",
      (lines) => lineOf(JSON.stringify({ ...change(lines), before: [["x", "user", "", 9]] })).trimEnd(),
      /GS_JOURNAL/,
    ],
  ];
  for (const [name, forge, code] of forgeries) {
    it(`refuses ${name} in the middle of the journal and restores nothing`, (t) => {
      const { wh, run, journal, lines } = applied();
      t.after(() => wh.cleanup());
      const at = Math.ceil(lines.length / 2);
      writeFileSync(journal, `${[...lines.slice(0, at), forge(lines), ...lines.slice(at)].join("\n")}\n`);
      const tree = stateOf(wh.root);
      const r = grantsync(["undo", run, "-c", wh.config]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, code);
      assert.equal(stateOf(wh.root), tree, "no path was restored");
    });
  }
});
