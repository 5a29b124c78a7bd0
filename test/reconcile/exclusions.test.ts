// [target] exclude: staging directories of Hive, Spark, Impala and MapReduce jobs are neither walked
// nor written, are counted in the plan, and patterns match one path component.

import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { describe, it } from "node:test";
import { parseConfig } from "../../src/config/load.ts";
import { excludedBelowRoot, excludedNames } from "../../src/reconcile/exclusions.ts";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

const defaults = excludedNames(
  parseConfig("[policy]\nfile = p\nserver = s\n[catalog]\nfile = l\n[target]\nroots = /w\n", "/etc/gs.ini")
    .target.exclude,
);

describe("excludedNames", () => {
  it("matches the engines' staging names by default", () => {
    for (const name of [
      ".hive-staging_hive_2024-01-01_10-00-00_1",
      "_temporary",
      ".spark-staging-5f3c",
      "_impala_insert_staging",
    ])
      assert.equal(defaults(name), true, name);
    for (const name of ["dt=2024-01-01", "temporary", "_temporary2", "x.hive-staging", "part-0.csv"])
      assert.equal(defaults(name), false, name);
  });

  it("reads * and ? as globs and everything else literally", () => {
    const m = excludedNames(["a?c", "tmp.*", "[x]"]);
    assert.equal(m("abc"), true);
    assert.equal(m("abbc"), false);
    assert.equal(m("tmp.1"), true);
    assert.equal(m("tmpx1"), false, ". is literal");
    assert.equal(m("[x]"), true);
    assert.equal(m("x"), false);
    assert.equal(excludedNames([])("_temporary"), false, "an empty list excludes nothing");
  });

  it("looks at the components below the root only", () => {
    assert.equal(excludedBelowRoot("/w/_temporary/db/t", ["/w"], defaults), true);
    assert.equal(excludedBelowRoot("/_temporary/w/db/t", ["/_temporary/w"], defaults), false);
  });

  it("refuses a pattern with a slash", () => {
    assert.throws(
      () =>
        parseConfig(
          "[policy]\nfile = p\nserver = s\n[catalog]\nfile = l\n[target]\nroots = /w\nexclude = a/b\n",
          "/etc/gs.ini",
        ),
      /\[target\] exclude: "a\/b" is matched against one path component/,
    );
  });
});

describe("exclusions on a real tree", () => {
  it("does not write a .hive-staging_hive_1 directory under a table, and counts it in the plan", (t) => {
    const wh = makeWarehouse();
    t.after(() => wh.cleanup());
    const staging = wh.p("sales.db/orders/.hive-staging_hive_1");
    mkdirSync(`${staging}/-ext-10000`, { recursive: true });
    writeFileSync(`${staging}/-ext-10000/000000_0`, "x\n");
    const before = [getfacl(staging), getfacl(`${staging}/-ext-10000/000000_0`)];

    const plan = grantsyncJson<{ summary: { excluded: number }; excluded: string[] }>([
      "plan",
      "-c",
      wh.config,
    ]);
    assert.equal(plan.json.summary.excluded, 1);
    assert.deepEqual(plan.json.excluded, [staging]);
    const text = grantsync(["plan", "-c", wh.config]);
    assert.match(text.stdout, /Excluded: 1 directory \(\[target\] exclude\), not walked/);

    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(getfacl(wh.p("sales.db/orders")).includes("group:users:rwx"), "the table was applied");
    assert.deepEqual([getfacl(staging), getfacl(`${staging}/-ext-10000/000000_0`)], before);
    assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 0);
  });
});
