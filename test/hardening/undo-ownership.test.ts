// Undo of a run that revoked entries puts them back, and they are grantsync's again: a later
// revocation must remove them, not leave them behind as if someone else had set them.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeScratch, type Scratch } from "../helpers/hardening.ts";

const policyFor = (reader: string) => `[groups]
${reader} = reader
[roles]
reader = server=server1->db=sales->action=select
`;

describe("undo and ownership", { timeout: 60_000 }, () => {
  let wh: Scratch;
  before(() => {
    wh = makeScratch({
      policy: policyFor("staff"),
      locations: "[databases]\nsales = @ROOT@/sales.db\n",
      extraConfig: "[safety]\nmax_removals_percent = 100\n",
      dirs: ["sales.db/t"],
    });
    writeFileSync(wh.p("sales.db/t/part-0"), "");
  });
  after(() => wh.cleanup());

  it("removes on revocation the entries an undo put back", () => {
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    wh.write("policy", policyFor("adm"));
    const swap = grantsyncJson<{ run: string }>(["apply", "-c", wh.config, "--yes"]);
    assert.equal(swap.code, 0, swap.stderr);
    const undo = grantsync(["undo", swap.json.run, "-c", wh.config]);
    assert.equal(undo.code, 0, undo.stdout + undo.stderr);
    assert.ok(getfacl(wh.p("sales.db/t/part-0")).includes("group:staff:r--"), "undo restored staff");

    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    for (const p of ["sales.db", "sales.db/t", "sales.db/t/part-0"]) {
      const acl = getfacl(wh.p(p));
      assert.ok(!acl.some((e) => e.includes("group:staff:")), `${p} kept staff: ${acl}`);
      assert.ok(
        acl.some((e) => e.startsWith("group:adm:")),
        `${p}: ${acl}`,
      );
    }
    assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 0);
  });
});
