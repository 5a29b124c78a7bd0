// In sync means effective access matches: a file written after a run inherits the default entries
// (an r-x masked to r--) and is not drift; a later write never makes it executable through the mask.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { describe, it } from "node:test";
import { getfacl, grantsync } from "../helpers/cli.ts";
import { DEFAULT_POLICY, makeWarehouse } from "../helpers/warehouse.ts";

describe("effective access on new files", () => {
  it("leaves a file written with umask 022 in line, and never gives it x through the mask", (t) => {
    const wh = makeWarehouse();
    t.after(() => wh.cleanup());
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    const file = wh.p("sales.db/customers/ingested.csv");
    const w = spawnSync("sh", ["-c", `umask 022 && echo row > '${file}'`]);
    assert.equal(w.status, 0);
    assert.ok(getfacl(file).includes("group:staff:r-x"), "the file inherited the default entry");
    assert.ok(getfacl(file).includes("mask::r--"), "masked to r-- by its create mode");

    const plan = grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]);
    assert.equal(plan.code, 0, plan.stdout);

    wh.writePolicy(
      `${DEFAULT_POLICY}\n[users]\nwww-data = www\n`.replace("[groups]\n", "[groups]\nwww = sales_reader\n"),
    );
    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    const acl = getfacl(file);
    assert.ok(acl.includes("user:www-data:r--"), acl.join(","));
    assert.ok(acl.includes("mask::r--"), acl.join(","));
    assert.equal(statSync(file).mode & 0o111, 0, "no execute bit anywhere on the file");
    assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 0);
  });
});
