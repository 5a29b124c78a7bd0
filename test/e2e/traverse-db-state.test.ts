// With the state in a database, the `--x` traverse entries put on the directories above a location
// are remembered as ours, so they go when the grant goes, as they do with a state directory
// (schema version 1 kept no traverse map: a revoked grantee kept them for good).

import assert from "node:assert/strict";
import { chmodSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { getfacl, grantsync } from "../helpers/cli.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";
import { createDb, type TestDb } from "../sources/fixtures.ts";

const USER = "www-data";
const GRANT = `[groups]\n${USER} = reader\n[roles]\nreader = server=server1->db=sales->table=customers->action=select\n`;
const NO_GRANT = "[groups]\nstaff = reader\n[roles]\nreader = server=server1->db=other->action=select\n";

describe("traverse entries with the state in a database", () => {
  let db: TestDb;
  before(async () => {
    db = await createDb("postgres");
  });
  after(async () => {
    await db.drop();
  });

  it("are revoked with the grant", (t) => {
    const wh = makeWarehouse({ policy: GRANT, extraConfig: `url = ${db.url}\n` });
    t.after(() => wh.cleanup());
    for (const d of ["", "sales.db"]) chmodSync(wh.p(d), 0o750);

    const applied = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(applied.code, 0, applied.stderr);
    for (const d of [wh.root, wh.p("sales.db")])
      assert.ok(getfacl(d).includes(`group:${USER}:--x`), `${d}: ${getfacl(d).join(",")}`);
    assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 0, "nothing left to do");

    wh.writePolicy(NO_GRANT);
    const revoked = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(revoked.code, 0, revoked.stderr);
    for (const d of [wh.root, wh.p("sales.db")])
      assert.ok(!getfacl(d).some((l) => l.includes(USER)), `${d}: ${getfacl(d).join(",")}`);
  });
});
