// A table granted to more groups than HDFS allows in one ACL scope (32 entries, HDFS-7582): apply
// cannot bring it in line, so it says so and exits 1, and a cron job learns the table is unsynced.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import { grantsyncAsync } from "../helpers/cli.ts";

const TABLE = "/w/sales.db/orders";
const GROUPS = Array.from({ length: 40 }, (_, i) => `g${String(i).padStart(2, "0")}`);

describe("apply on a WebHDFS table granted to more groups than one ACL holds", () => {
  let emu: Emulator;
  let dir: string;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    emu.fs.mkdirs(TABLE);
    emu.fs.create(`${TABLE}/part-0`, { data: "x" });
    dir = mkdtempSync(join(tmpdir(), "gs-entry-limit-"));
    writeFileSync(
      join(dir, "policy.ini"),
      `[groups]\n${GROUPS.map((g) => `${g} = reader`).join("\n")}\n` +
        "[roles]\nreader = server=server1->db=sales->table=orders->action=select\n",
    );
    writeFileSync(
      join(dir, "locations.ini"),
      `[databases]\nsales = /w/sales.db\n[tables]\nsales.orders = ${TABLE}\n`,
    );
    writeFileSync(
      join(dir, "grantsync.ini"),
      "[policy]\nfile = policy.ini\nserver = server1\n[catalog]\nfile = locations.ini\n" +
        `[target]\ntype = webhdfs\nroots = /w\n[webhdfs]\nnamenodes = ${emu.url}\nuser = hdfs\n` +
        "[state]\ndir = state\n",
    );
  });

  after(async () => {
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exits 1 with Apply incomplete naming the entry limit, never No changes, and writes no partial ACL", async () => {
    const r = await grantsyncAsync(["apply", "--yes", "-c", join(dir, "grantsync.ini")]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /Apply incomplete: \d+ paths? failed/);
    assert.match(r.stderr, /GS_ACL_TOO_MANY/);
    assert.match(r.stderr, /Reduce the principals granted/);
    assert.doesNotMatch(r.stdout + r.stderr, /No changes/);
    assert.deepEqual(emu.fs.getAclStatus(TABLE).entries, []);
  });

  it("reports the refused paths in the one JSON document --json prints, and exits 1", async () => {
    const r = await grantsyncAsync(["apply", "--yes", "--json", "-c", join(dir, "grantsync.ini")]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const doc = JSON.parse(r.stdout) as { failed: number; problems: { path: string; code: string }[] };
    assert.ok(doc.failed >= 1, r.stdout);
    assert.ok(
      doc.problems.some((p) => p.path === TABLE && p.code === "GS_ACL_TOO_MANY"),
      r.stdout,
    );
  });
});
