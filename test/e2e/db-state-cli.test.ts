// plan, apply, runs and undo with the state in PostgreSQL or MariaDB ([state] url): the same
// results as with a state directory, and nothing written to the directory.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";
import { createDb, type Dialect, type TestDb } from "../sources/fixtures.ts";

for (const dialect of ["postgres", "mysql"] as Dialect[]) {
  describe(`the CLI with its state in ${dialect}`, () => {
    let db: TestDb;
    let wh: Warehouse;
    before(async () => {
      db = await createDb(dialect);
      wh = makeWarehouse({ extraConfig: `url = ${db.url}\n` });
    });
    after(async () => {
      wh.cleanup();
      await db.drop();
    });

    it("applies, lists the run, undoes it exactly, and plans from the database", () => {
      const orders = wh.p("sales.db/orders");
      const original = getfacl(orders);
      assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 2);
      const applied = grantsyncJson<{ run: string; failed: number }>(["apply", "-c", wh.config, "--yes"]);
      assert.equal(applied.code, 0, applied.stderr);
      assert.ok(getfacl(orders).includes("group:users:rwx"));
      const plan = grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]);
      assert.equal(plan.code, 0, plan.stdout + plan.stderr);

      const runs = grantsyncJson<{ run: string; complete: boolean }[]>(["runs", "-c", wh.config]);
      assert.deepEqual(
        runs.json.map((r) => [r.run, r.complete]),
        [[applied.json.run, true]],
      );
      const undo = grantsync(["undo", "-c", wh.config, applied.json.run]);
      assert.equal(undo.code, 0, undo.stdout + undo.stderr);
      assert.deepEqual(getfacl(orders), original);
      assert.equal(grantsyncJson<unknown[]>(["runs", "-c", wh.config]).json.length, 2);
      const report = grantsyncJson<{ runs: { run: string; outcome: string }[] }>(["report", "-c", wh.config]);
      assert.deepEqual(
        report.json.runs.map((r) => [r.run, r.outcome]).at(-1),
        [applied.json.run, "completed"],
        "the report's runs come from the database",
      );
      assert.equal(existsSync(wh.state), false, "the state directory is not used");
    });
  });
}
