// Which config a command reads: --config, else $GRANTSYNC_CONFIG, else /etc/grantsync/grantsync.ini;
// a missing one names the file looked for, and every command the CLI suggests runs as printed.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { grantsync } from "../helpers/cli.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

describe("the config file a command reads", () => {
  let wh: Warehouse;
  before(() => {
    wh = makeWarehouse();
  });
  after(() => wh.cleanup());

  it("reads $GRANTSYNC_CONFIG when --config is not given", () => {
    const r = grantsync(["validate"], { GRANTSYNC_CONFIG: wh.config });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^valid: /m);
  });

  it("prefers --config over $GRANTSYNC_CONFIG", () => {
    const r = grantsync(["validate", "--config", wh.config], { GRANTSYNC_CONFIG: join(wh.dir, "nope.ini") });
    assert.equal(r.code, 0, r.stderr);
  });

  it("names the file it looked for when $GRANTSYNC_CONFIG points nowhere", () => {
    const missing = join(wh.dir, "missing.ini");
    const r = grantsync(["plan"], { GRANTSYNC_CONFIG: missing });
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`${missing}: GS_CONFIG_READ`), r.stderr);
    assert.match(r.stderr, /\$GRANTSYNC_CONFIG/);
  });

  it("falls back to /etc/grantsync/grantsync.ini and says so", {
    skip: existsSync("/etc/grantsync/grantsync.ini"),
  }, () => {
    const r = grantsync(["runs"], { GRANTSYNC_CONFIG: "" });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\/etc\/grantsync\/grantsync\.ini: GS_CONFIG_READ .*\(the default\)/);
  });

  it("prints the undo and saved-plan hints with the --config they need", () => {
    const out = join(wh.dir, "plan.json");
    const plan = grantsync(["plan", "--config", wh.config, "--out", out]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.ok(
      plan.stdout.includes(`apply it with: grantsync apply --config ${wh.config} --plan ${out}`),
      plan.stdout,
    );
    const apply = grantsync(["apply", "--config", wh.config, "--plan", out, "--yes"]);
    assert.equal(apply.code, 0, apply.stderr);
    const run = /undo with: (grantsync undo \S+ --config \S+)\)/.exec(apply.stdout);
    assert.ok(run, apply.stdout);
    const undo = grantsync(run[1]!.split(" ").slice(1));
    assert.equal(undo.code, 0, undo.stderr);
  });

  it("puts --config into the commands error hints suggest", () => {
    const r = grantsync(["undo", "20990101T000000Z-nope", "--config", wh.config]);
    assert.equal(r.code, 1);
    assert.ok(r.stderr.includes(`\`grantsync runs --config ${wh.config}\``), r.stderr);
  });
});
