// Twenty groups on one table through the real CLI and the emulator, which follows Hadoop 3.3: the
// 32-entry limit holds per scope (HDFS-7582), so 20 named entries fit in access and in default; a
// full revocation leaves the table in line, next to a mask-only ACL that Hadoop 3 leaves behind.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import { grantsyncAsync } from "../helpers/cli.ts";

const TABLE = "/w/sales.db/orders";
const NOTES = "/w/sales.db/notes";
const GROUPS = Array.from({ length: 20 }, (_, i) => `g${String(i).padStart(2, "0")}`);
// Sentry ignores a policy without groups: after the revocation one group keeps a grant elsewhere.
const policyWith = (groups: readonly string[]) =>
  `[groups]\nauditors = auditor\n${groups.map((g) => `${g} = reader`).join("\n")}\n` +
  "[roles]\nreader = server=server1->db=sales->table=orders->action=select\n" +
  "auditor = server=server1->db=sales->table=archive->action=select\n";

describe("twenty groups granted SELECT on one HDFS table", () => {
  let emu: Emulator;
  let dir: string;
  const run = (args: string[]) => grantsyncAsync([...args, "-c", join(dir, "grantsync.ini")]);
  const entries = (p: string) => emu.fs.getAclStatus(p).entries;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    emu.fs.mkdirs(TABLE);
    emu.fs.create(`${TABLE}/part-0`, { data: "x" });
    // Someone revoked their own entry on this file earlier: Hadoop 3 kept the mask, narrowed by chmod.
    emu.fs.create(NOTES, { data: "x" });
    emu.fs.modifyAclEntries(NOTES, "user:bob:r--");
    emu.fs.removeAclEntries(NOTES, "user:bob:");
    emu.fs.setPermission(NOTES, 0o604);
    dir = mkdtempSync(join(tmpdir(), "gs-many-groups-"));
    writeFileSync(join(dir, "policy.ini"), policyWith(GROUPS));
    writeFileSync(
      join(dir, "locations.ini"),
      `[databases]\nsales = /w/sales.db\n[tables]\nsales.orders = ${TABLE}\n`,
    );
    writeFileSync(
      join(dir, "grantsync.ini"),
      "[policy]\nfile = policy.ini\nserver = server1\n[catalog]\nfile = locations.ini\n" +
        `[target]\ntype = webhdfs\nroots = /w\n[webhdfs]\nnamenodes = ${emu.url}\nuser = hdfs\n` +
        "[safety]\nmax_removals_percent = 100\n[state]\ndir = state\n",
    );
  });

  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts next to a mask-only ACL: group:: stored, the mask in the group digit, aclBit set", () => {
    assert.deepEqual(entries(NOTES), ["group::r--"]);
    assert.equal(emu.fs.getFileStatus(NOTES).permission, "604");
    assert.equal(emu.fs.getFileStatus(NOTES).aclBit, true);
  });

  it("applies 20 named entries in the access ACL and 20 in the default ACL of the table", async () => {
    const r = await run(["apply", "--yes"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const acl = entries(TABLE);
    const named = (prefix: string) => acl.filter((e) => new RegExp(`^${prefix}group:g\\d\\d:r-x$`).test(e));
    assert.equal(named("").length, 20);
    assert.equal(named("default:").length, 20);
    assert.ok(acl.includes("default:mask::r-x"));
    assert.equal(entries(`${TABLE}/part-0`).length, 21, "group:: and 20 named groups");
  });

  it("after revoking all of them the table is in line and a second plan exits 0", async () => {
    writeFileSync(join(dir, "policy.ini"), policyWith([]));
    const r = await run(["apply", "--yes"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(entries(TABLE), []);
    assert.deepEqual(entries(`${TABLE}/part-0`), []);
    assert.deepEqual(entries(NOTES), ["group::r--"], "someone else's mask-only ACL is left alone");
    const plan = await run(["plan", "--detailed-exitcode"]);
    assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  });
});
