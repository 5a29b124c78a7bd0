// `grantsync undo RUN --dry-run` shows what would be restored and writes nothing; undo warns that
// the grants in force will write the run's changes again.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

describe("grantsync undo", () => {
  let wh: Warehouse;
  let run = "";
  let applied: string[] = [];
  before(() => {
    wh = makeWarehouse();
    const r = grantsyncJson<{ run: string }>(["apply", "--config", wh.config, "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    run = r.json.run;
    applied = getfacl(wh.p("sales.db/orders"));
  });
  after(() => wh.cleanup());

  it("--dry-run lists the paths it would restore and changes nothing", () => {
    const r = grantsync(["undo", run, "--dry-run", "--config", wh.config]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Undo of ${run} would restore \\d+ paths`));
    assert.ok(r.stdout.includes(`~ ${wh.p("sales.db/orders")}`), r.stdout);
    assert.deepEqual(getfacl(wh.p("sales.db/orders")), applied);
    const json = grantsyncJson<{ dryRun: boolean; restored: number }>([
      "undo",
      run,
      "--dry-run",
      "--config",
      wh.config,
    ]);
    assert.equal(json.json.dryRun, true);
    assert.ok(json.json.restored > 0);
  });

  it("restores and warns that the next apply writes the changes again", () => {
    const r = grantsync(["undo", run, "--yes", "--config", wh.config]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /restored/);
    assert.match(
      r.stderr,
      /warning: unless the grants changed since run .*the next `grantsync apply --config \S+` will write its changes again/,
    );
    assert.notDeepEqual(getfacl(wh.p("sales.db/orders")), applied);
  });
});
