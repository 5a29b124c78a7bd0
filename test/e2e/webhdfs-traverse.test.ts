// Traverse entries on HDFS: the NameNode checks x on every ancestor as POSIX does, so a grantee of
// one table in a 750 warehouse gets --x on the root and the database directory through WebHDFS,
// can reach its table (the emulator's permission checker), not list the database, and loses the
// entries again on revocation.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startEmulator } from "../../src/emulator/server.ts";
import { grantsyncAsync } from "../helpers/cli.ts";

const W = "/warehouse";
const ANN = { user: "ann", groups: new Set(["analysts"]), isSuper: false };
const grant = (table: string) =>
  `[groups]\nanalysts = reader\n[roles]\nreader = server=server1->db=sales->table=${table}->action=select\n`;

describe("traverse entries through WebHDFS", () => {
  it("lets a grantee reach its table through 750 directories, and takes the entries back", async (t) => {
    const emu = await startEmulator({ port: 0 });
    const dir = mkdtempSync(join(tmpdir(), "gs-hdfs-trav-"));
    t.after(async () => {
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    });
    for (const table of ["customers", "orders"]) {
      emu.fs.mkdirs(`${W}/sales.db/${table}`);
      emu.fs.create(`${W}/sales.db/${table}/part-0`, { data: "x" });
      emu.fs.setPermission(`${W}/sales.db/${table}`, 0o750);
    }
    emu.fs.setPermission(W, 0o750);
    emu.fs.setPermission(`${W}/sales.db`, 0o750);
    writeFileSync(join(dir, "policy.ini"), grant("customers"));
    writeFileSync(
      join(dir, "locations.ini"),
      `[databases]\nsales = ${W}/sales.db\n[tables]\nsales.customers = ${W}/sales.db/customers\nsales.orders = ${W}/sales.db/orders\n`,
    );
    const config = join(dir, "grantsync.ini");
    writeFileSync(
      config,
      `[policy]\nfile = policy.ini\nserver = server1\n[catalog]\nfile = locations.ini\n` +
        `[target]\ntype = webhdfs\nroots = ${W}\n[webhdfs]\nnamenodes = ${emu.url}\nuser = hdfs\n[state]\ndir = state\n`,
    );
    const reach = () => emu.fs.getFileStatus(`${W}/sales.db/customers/part-0`, ANN);
    assert.throws(reach, /Permission denied/, "denied before apply");

    const r = await grantsyncAsync(["apply", "-c", config, "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    const named = (p: string) => emu.fs.getAclStatus(p).entries.filter((e) => !e.startsWith("group::"));
    assert.deepEqual(named(W), ["group:analysts:--x"]);
    assert.deepEqual(named(`${W}/sales.db`), ["group:analysts:--x"]);
    reach();
    assert.throws(() => emu.fs.listStatus(`${W}/sales.db`, ANN), /Permission denied/);
    assert.throws(() => emu.fs.getFileStatus(`${W}/sales.db/orders/part-0`, ANN), /Permission denied/);
    assert.equal((await grantsyncAsync(["plan", "-c", config, "--detailed-exitcode"])).code, 0);

    writeFileSync(
      join(dir, "policy.ini"),
      "[groups]\nstaff = other\n[roles]\nother = server=server1->db=other->action=select\n",
    );
    const revoke = await grantsyncAsync(["apply", "-c", config, "--yes"]);
    assert.equal(revoke.code, 0, revoke.stderr);
    assert.deepEqual(named(W), []);
    assert.deepEqual(named(`${W}/sales.db`), []);
    assert.throws(reach, /Permission denied/, "denied again");
  });
});
