// Roots reached through a directory a user can rearrange: nested roots where the owner of a
// database directory swaps `ext` for a symlink to a root-only directory, and a lone root whose
// parent another user may write. Nothing outside the roots is written; the refusal is reported.

import assert from "node:assert/strict";
import { chmodSync, chownSync, mkdirSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Plan } from "../../src/reconcile/plan.ts";
import { grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeScratch, type Scratch, stateOf } from "../helpers/hardening.ts";
import { posixConfig } from "../helpers/warehouse.ts";

const NOBODY = 65534;

describe("roots reached through symlinks or directories others can write", { timeout: 60_000 }, () => {
  let wh: Scratch;
  let secret: string;
  let secretBefore: string;

  before(() => {
    wh = makeScratch({
      policy: "[groups]\nstaff = reader\n[roles]\nreader = server=server1->db=u->action=select\n",
      locations: "[databases]\nu = @ROOT@/u.db\n[tables]\nu.ext = @ROOT@/u.db/ext/data\n",
      dirs: ["u.db/ext/data"],
    });
    writeFileSync(wh.p("u.db/ext/data/part-0"), "x");
    // A user owns the database directory, as table and database owners do in a warehouse.
    chownSync(wh.p("u.db"), NOBODY, NOBODY);
    secret = join(wh.dir, "secret");
    mkdirSync(join(secret, "data"), { recursive: true, mode: 0o700 });
    chmodSync(secret, 0o700);
    writeFileSync(join(secret, "data/part-0"), "root only", { mode: 0o600 });
    // The swap: `ext` becomes a symlink to the root-only directory.
    renameSync(wh.p("u.db/ext"), wh.p("u.db/ext.old"));
    symlinkSync(secret, wh.p("u.db/ext"));
    secretBefore = stateOf(secret);
  });
  after(() => wh.cleanup());

  it("nested roots: the inner root is reached from the outer root's fd and the symlink refused", () => {
    wh.write("config", posixConfig(`${wh.root}, ${wh.p("u.db/ext/data")}`, "policy.ini"));
    const plan = grantsyncJson<Plan>(["plan", "-c", wh.config]);
    assert.equal(plan.code, 0, plan.stderr);
    assert.ok(
      plan.json.skipped.some((s) => s.path.startsWith(wh.p("u.db/ext")) && s.reason === "symlink"),
      JSON.stringify(plan.json.skipped),
    );
    // The inner root stays out of line, so apply says so and exits 1 (a cron job must learn it).
    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /Apply incomplete: 1 path failed\n[^\n]*u\.db\/ext: GS_PATH_UNSAFE/);
    assert.equal(stateOf(secret), secretBefore, "nothing outside the roots was written");
  });

  it("a lone root below a directory another user may write is refused, swapped or not", () => {
    renameSync(wh.p("u.db/ext"), wh.p("u.db/ext.link"));
    renameSync(wh.p("u.db/ext.old"), wh.p("u.db/ext"));
    wh.write("config", posixConfig(wh.p("u.db/ext/data"), "policy.ini"));
    const plan = grantsyncJson<Plan>(["plan", "-c", wh.config]);
    assert.ok(
      plan.json.skipped.some((s) => s.path === wh.p("u.db/ext/data") && s.reason === "unsafe-path"),
      JSON.stringify(plan.json.skipped),
    );
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    assert.equal(stateOf(secret), secretBefore, "nothing outside the roots was written");
  });
});
