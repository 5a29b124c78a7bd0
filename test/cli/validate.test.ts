// `grantsync validate` refuses what the other commands would fail on later, each problem at its
// FILE:LINE, and reports what compiling leaves out at its source with the role.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { grantsync } from "../helpers/cli.ts";
import { DEFAULT_POLICY, makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

describe("grantsync validate", () => {
  let wh: Warehouse;
  let good: string;
  before(() => {
    wh = makeWarehouse();
    good = readFileSync(wh.config, "utf8");
  });
  after(() => wh.cleanup());

  function validateWith(text: string, ...args: string[]) {
    const file = join(wh.dir, "edited.ini");
    writeFileSync(file, text);
    return { file, ...grantsync(["validate", "--config", file, ...args]) };
  }
  const lineOf = (text: string, needle: string) =>
    text.split("\n").findIndex((l) => l.startsWith(needle)) + 1;

  it("passes the config every other test uses", () => {
    const r = grantsync(["validate", "--config", wh.config]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
  });

  it("exits 1 on an unknown key, naming FILE:LINE and the key it resembles", () => {
    const text = good.replace("roots =", "rots =");
    const r = validateWith(text);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes(
        `${r.file}:${lineOf(text, "rots")}: GS_CONFIG_UNKNOWN unknown key "rots" in [target] (did you mean roots?)`,
      ),
      r.stdout,
    );
  });

  it("exits 1 on an unknown section, naming FILE:LINE", () => {
    const text = `${good}\n[polcy]\ntype = file\n`;
    const r = validateWith(text);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes(`${r.file}:${lineOf(text, "[polcy]")}: GS_CONFIG_UNKNOWN unknown section [polcy]`),
      r.stdout,
    );
  });

  it("exits 1 on a schedule node-cron refuses and on a bad listen address", () => {
    const text = `${good}\n[daemon]\nschedule = 99 * * * *\nlisten = nonsense\n`;
    const r = validateWith(text);
    assert.equal(r.code, 1);
    assert.ok(
      r.stdout.includes(`${r.file}:${lineOf(text, "schedule")}: GS_CONFIG_INVALID [daemon] schedule`),
      r.stdout,
    );
    assert.ok(
      r.stdout.includes(`${r.file}:${lineOf(text, "listen")}: GS_CONFIG_INVALID [daemon] listen`),
      r.stdout,
    );
  });

  it("exits 1 on a root that does not exist, and the daemon refuses it the same way", () => {
    const text = good.replace(/^roots = .*$/m, `roots = ${join(wh.dir, "nowhere")}`);
    const r = validateWith(text);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /GS_CONFIG_ENVIRONMENT \[target\] roots: .*nowhere does not exist/);
    const d = grantsync(["daemon", "--once", "--config", r.file]);
    assert.equal(d.code, 1);
    assert.match(d.stderr, /GS_CONFIG_ENVIRONMENT \[target\] roots: .*nowhere does not exist/);
  });

  it("warns about a grant on an object no catalog knows, at its policy line with the role; --strict fails on it", () => {
    wh.writePolicy(
      `${DEFAULT_POLICY}marketing_reader = server=server1->db=marketting->action=select\n`.replace(
        "staff = sales_reader",
        "staff = sales_reader, marketing_reader",
      ),
    );
    try {
      const r = grantsync(["validate", "--config", wh.config]);
      assert.equal(r.code, 0, r.stdout);
      assert.match(
        r.stdout,
        /sentry-provider\.ini:8: GS_OBJECT_UNLOCATED role marketing_reader → group:staff .*no location is known for marketting/,
      );
      const strict = grantsync(["validate", "--config", wh.config, "--strict"]);
      assert.equal(strict.code, 1);
      assert.match(strict.stdout, /GS_OBJECT_UNLOCATED/);
    } finally {
      wh.writePolicy(DEFAULT_POLICY);
    }
  });

  it("reports unknown principals as warnings, or as errors with unknown_principal = error", () => {
    wh.writePolicy(DEFAULT_POLICY.replace("users = orders_all", "no_such_group_gs = orders_all"));
    try {
      const skip = grantsync(["validate", "--config", wh.config]);
      assert.equal(skip.code, 0, skip.stdout);
      assert.match(
        skip.stdout,
        /warning: .*GS_PRINCIPAL_UNKNOWN group no_such_group_gs does not exist on this host \(role orders_all\)/,
      );
      const r = validateWith(good.replace(/^roots = (.*)$/m, "roots = $1\nunknown_principal = error"));
      assert.equal(r.code, 1);
      assert.match(r.stdout, /GS_PRINCIPAL_UNKNOWN group no_such_group_gs/);
    } finally {
      wh.writePolicy(DEFAULT_POLICY);
    }
  });
});
