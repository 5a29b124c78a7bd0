// `grantsync state export DIR` and `state import DIR` move a whole state between a PostgreSQL
// database and a state directory: what undo and the next plan need survives both ways.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";
import { createDb, type TestDb } from "../sources/fixtures.ts";

describe("grantsync state export and import", () => {
  let db: TestDb;
  let other: TestDb;
  let wh: Warehouse;
  let dir: string;
  before(async () => {
    [db, other] = await Promise.all([createDb("postgres"), createDb("postgres")]);
    wh = makeWarehouse({ extraConfig: `url = ${db.url}\n` });
    dir = join(mkdtempSync(join(tmpdir(), "gs-export-")), "state");
  });
  after(async () => {
    wh.cleanup();
    rmSync(join(dir, ".."), { recursive: true, force: true });
    await db.drop();
    await other.drop();
  });

  it("exports to a directory and imports into another database, runs and managed entries intact", () => {
    const original = getfacl(wh.p("sales.db/orders"));
    const applied = grantsyncJson<{ run: string }>(["apply", "-c", wh.config, "--yes"]);
    assert.equal(applied.code, 0, applied.stderr);
    const exported = grantsyncJson<{ runs: number; locations: number }>([
      "state",
      "export",
      dir,
      "-c",
      wh.config,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(exported.json.runs, 1);
    assert.ok(exported.json.locations > 0);
    const again = grantsync(["state", "export", dir, "-c", wh.config]);
    assert.equal(again.code, 1, "a state is never merged into another");
    assert.match(again.stderr, /GS_STATE the destination already holds a state/);

    const config2 = join(wh.dir, "grantsync2.ini");
    writeFileSync(config2, readFileSync(wh.config, "utf8").replace(db.url, other.url));
    const imported = grantsyncJson<{ runs: number }>(["state", "import", dir, "-c", config2]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.equal(imported.json.runs, 1);
    assert.equal(grantsync(["plan", "-c", config2, "--detailed-exitcode"]).code, 0, "nothing left to do");
    const runs = grantsyncJson<{ run: string; complete: boolean }[]>(["runs", "-c", config2]);
    assert.deepEqual(
      runs.json.map((r) => [r.run, r.complete]),
      [[applied.json.run, true]],
    );
    assert.equal(grantsync(["undo", "-c", config2, applied.json.run]).code, 0);
    assert.deepEqual(getfacl(wh.p("sales.db/orders")), original);
  });
});
