// Files the POSIX walk reads by their ACL alone (no statx: link count and device unknown): an
// in-sync one is no skip, since nothing is written to it; one that needs a change is refused by
// plan and apply alike, as the walk refused it before it was read (TargetNode.writeRefusal).

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { linkSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { applyChanges, computePlan } from "../../src/reconcile/run.ts";
import { applyOnce, openSessionFor, type Scratch, salesScratch, stateOf } from "../helpers/hardening.ts";

const byName = process.env.GRANTSYNC_POSIX_XATTRAT !== "0" && process.geteuid?.() === 0;

function sh(cmd: string, ...args: string[]): void {
  execFileSync(cmd, args, { stdio: ["pipe", "ignore", "pipe"] });
}

describe("hard links and files of another filesystem below a root", { timeout: 60_000 }, () => {
  let wh: Scratch;
  let outside: string;
  let other: string;
  const mounts: string[] = [];
  const table = (name: string) => wh.p(`sales.db/a/${name}`);

  before(() => {
    wh = salesScratch();
    outside = join(wh.dir, "outside");
    other = join(wh.dir, "other-fs");
    mkdirSync(outside);
    mkdirSync(other);
    for (const f of ["hard-in-sync", "hard-stale", "mounted-in-sync", "mounted-stale"])
      writeFileSync(table(f), "");
    applyOnce(wh);
    // In sync with the policy, then linked from outside; the stale one lost its grant.
    linkSync(table("hard-in-sync"), join(outside, "hard-in-sync"));
    linkSync(table("hard-stale"), join(outside, "hard-stale"));
    sh("setfacl", "-x", "g:staff", "-m", "u:nobody:r", table("hard-stale"));
  });
  after(() => {
    for (const m of mounts.reverse()) sh("umount", m);
    wh.cleanup();
  });

  /** Bind-mounts files of a tmpfs over two table files: one with the table's ACL, one without the grant. */
  function mountOtherFilesystem(): boolean {
    try {
      sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", other);
    } catch {
      return false;
    }
    mounts.push(other);
    const acl = execFileSync("getfacl", ["-p", table("hard-in-sync")]);
    const inSync = join(other, "mounted-in-sync");
    const stale = join(other, "mounted-stale");
    for (const f of [inSync, stale]) writeFileSync(f, "");
    execFileSync("setfacl", ["--set-file=-", inSync], { input: acl });
    sh("setfacl", "-m", "u:nobody:r", stale);
    for (const f of [inSync, stale]) {
      const over = table(f.slice(other.length + 1));
      sh("mount", "--bind", f, over);
      mounts.push(over);
    }
    return true;
  }

  it("skips only those a write is due to, in plan and apply alike, and writes nothing to them", async (t) => {
    if (!mountOtherFilesystem()) t.diagnostic("cannot mount tmpfs here: hard links only");
    const mounted = mounts.length > 0;
    const expected = [
      ...(byName ? [] : ["hard-in-sync hardlink"]),
      "hard-stale hardlink",
      ...(mounted
        ? [...(byName ? [] : ["mounted-in-sync other-filesystem"]), "mounted-stale other-filesystem"]
        : []),
    ];
    const skips = (p: { skipped: { path: string; reason: string }[] }) =>
      p.skipped.map((s) => `${s.path.slice(table("").length)} ${s.reason}`).sort();
    const untouched = () => `${stateOf(outside)}\n${mounted ? stateOf(other) : ""}`;
    const before = untouched();

    const session = await openSessionFor(wh.config);
    try {
      const plan = await computePlan(session);
      assert.deepEqual(skips(plan), expected);
      assert.deepEqual(plan.changes, [], "a refused file is no change");
      assert.equal(plan.problems.length, 0, JSON.stringify(plan.problems));

      const applied = await applyChanges(session, { force: true });
      assert.deepEqual(skips(applied.plan), expected);
      assert.deepEqual(applied.plan.changes, []);
      assert.equal(applied.failed, 0, JSON.stringify(applied.plan.problems));
    } finally {
      await session.target.close();
    }
    assert.equal(untouched(), before, "nothing outside the root, or on the other filesystem, changed");
  });
});
