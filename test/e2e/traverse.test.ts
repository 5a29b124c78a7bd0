// Granted means usable: on a tree whose root and database directory are 750 and root-owned, a real
// unprivileged user granted SELECT on one table can read it after apply (through `--x` traverse
// entries), cannot list the database or read another table, and loses the traverse entries again
// when the grant goes.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync } from "node:fs";
import { describe, it } from "node:test";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

// An unprivileged system user Debian always has, with a group of its own name.
const USER = "www-data";
const GRANT = `[groups]\n${USER} = reader\n[roles]\nreader = server=server1->db=sales->table=customers->action=select\n`;
const NO_GRANT = "[groups]\nstaff = reader\n[roles]\nreader = server=server1->db=other->action=select\n";

/** Runs `argv` as USER with its own groups only. */
function asUser(argv: string[]): number {
  const r = spawnSync("setpriv", ["--reuid", USER, "--regid", USER, "--init-groups", ...argv], {
    stdio: "ignore",
  });
  return r.status ?? -1;
}

function lockedWarehouse(policy: string, extraConfig = "") {
  const wh = makeWarehouse({ policy, extraConfig });
  // The temp dir above the root must let the user through; everything from the root down is 750.
  chmodSync(wh.dir, 0o711);
  for (const d of ["", "sales.db", "sales.db/customers", "sales.db/orders", "sales.db/orders/dt=2024-01-01"])
    chmodSync(wh.p(d), 0o750);
  return wh;
}

describe("traverse entries", () => {
  it("lets a granted user read its table through 750 root-owned directories, and nothing else", (t) => {
    const wh = lockedWarehouse(GRANT);
    t.after(() => wh.cleanup());
    const table = wh.p("sales.db/customers/part-0.csv");
    assert.notEqual(asUser(["cat", table]), 0, "denied before apply");

    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(getfacl(wh.root).includes(`group:${USER}:--x`), getfacl(wh.root).join(","));
    assert.ok(getfacl(wh.p("sales.db")).includes(`group:${USER}:--x`));
    assert.ok(
      !getfacl(wh.root).some((l) => l.startsWith("default:")),
      "traverse entries have no default: twin",
    );
    assert.equal(asUser(["cat", table]), 0, "the granted table is readable");
    assert.notEqual(asUser(["ls", wh.p("sales.db")]), 0, "the database directory cannot be listed");
    assert.notEqual(asUser(["cat", wh.p("sales.db/orders/dt=2024-01-01/part-0.csv")]), 0, "another table");
    assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 0);

    wh.writePolicy(NO_GRANT);
    const revoke = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(revoke.code, 0, revoke.stderr);
    for (const d of [wh.root, wh.p("sales.db")])
      assert.ok(!getfacl(d).some((l) => l.includes(USER)), `${d}: ${getfacl(d).join(",")}`);
    assert.notEqual(asUser(["cat", table]), 0, "denied again");
  });

  it("writes none where the directory already lets everyone through", (t) => {
    const wh = lockedWarehouse(GRANT);
    t.after(() => wh.cleanup());
    chmodSync(wh.root, 0o751);
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    assert.ok(!getfacl(wh.root).some((l) => l.includes(USER)), getfacl(wh.root).join(","));
    assert.ok(getfacl(wh.p("sales.db")).includes(`group:${USER}:--x`));
    assert.equal(asUser(["cat", wh.p("sales.db/customers/part-0.csv")]), 0);
  });

  it("with traverse = false writes none and warns about each directory in the way", (t) => {
    const wh = lockedWarehouse(GRANT, "[compile]\ntraverse = false\n");
    t.after(() => wh.cleanup());
    const plan = grantsyncJson<{ warnings: { path: string; code: string; principals: string[] }[] }>([
      "plan",
      "-c",
      wh.config,
    ]);
    const blocked = plan.json.warnings.filter((w) => w.code === "GS_TRAVERSE_MISSING");
    assert.deepEqual(blocked.map((w) => [w.path, w.principals]).sort(), [
      [wh.root, [`group:${USER}`]],
      [wh.p("sales.db"), [`group:${USER}`]],
    ]);
    assert.match(grantsync(["plan", "-c", wh.config]).stdout, /GS_TRAVERSE_MISSING/);
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    assert.ok(!getfacl(wh.root).some((l) => l.includes(USER)));
  });

  it("warns when a directory above the root stops a grantee, and writes nothing there", (t) => {
    const wh = lockedWarehouse(GRANT);
    t.after(() => wh.cleanup());
    chmodSync(wh.dir, 0o700);
    const plan = grantsyncJson<{ warnings: { path: string; code: string; principals: string[] }[] }>([
      "plan",
      "-c",
      wh.config,
    ]);
    const above = plan.json.warnings.filter((w) => w.code === "GS_TRAVERSE_ABOVE_ROOT");
    assert.deepEqual(
      above.map((w) => [w.path, w.principals]),
      [[wh.dir, [`group:${USER}`]]],
    );
    // validate and explain say it too, before anything is applied.
    const valid = grantsyncJson<{
      valid: boolean;
      warnings: { code: string; file: string; message: string }[];
    }>(["validate", "-c", wh.config]);
    assert.equal(valid.json.valid, true);
    const fromValidate = valid.json.warnings.filter((w) => w.code === "GS_TRAVERSE_ABOVE_ROOT");
    assert.deepEqual(
      fromValidate.map((w) => w.file),
      [wh.dir],
    );
    assert.ok(fromValidate[0]!.message.includes(`group:${USER}`));
    const explained = grantsync(["explain", wh.p("sales.db/customers/part-0.csv"), "-c", wh.config]);
    assert.equal(explained.code, 0, explained.stderr);
    assert.ok(explained.stderr.includes(`warning: ${wh.dir}: GS_TRAVERSE_ABOVE_ROOT`), explained.stderr);
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    assert.ok(!getfacl(wh.dir).some((l) => l.includes(USER)), "nothing above the root is written");
  });
});
