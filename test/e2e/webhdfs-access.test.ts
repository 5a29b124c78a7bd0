// `grantsync access` on HDFS: the chain from `/` read with GETFILESTATUS/GETACLSTATUS from the
// emulator, groups given with --groups (WebHDFS does not expose the NameNode's group mapping).

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import type { AccessReport } from "../../src/report/access.ts";
import { grantsyncAsync } from "../helpers/cli.ts";

const W = "/warehouse";

describe("grantsync access on HDFS", () => {
  let nn: Emulator;
  let dir: string;
  let config: string;
  const access = async (...args: string[]) => {
    const r = await grantsyncAsync(["access", "-c", config, "--json", ...args]);
    return { code: r.code, json: JSON.parse(r.stdout) as AccessReport & { error?: { code: string } } };
  };

  before(async () => {
    nn = await startEmulator({ port: 0 });
    for (const d of [W, `${W}/sales.db`, `${W}/sales.db/customers`, `${W}/sales.db/orders`]) {
      nn.fs.mkdirs(d);
      nn.fs.setPermission(d, 0o711);
    }
    for (const f of [`${W}/sales.db/customers/part-0`, `${W}/sales.db/orders/part-0`]) {
      nn.fs.create(f, { data: "x" });
      nn.fs.setPermission(f, 0o640);
    }
    dir = mkdtempSync(join(tmpdir(), "gs-hdfs-access-"));
    writeFileSync(
      join(dir, "policy.ini"),
      "[groups]\nanalysts = t1\n[roles]\nt1 = server=server1->db=sales->table=customers->action=select\n",
    );
    writeFileSync(
      join(dir, "locations.ini"),
      `[databases]\nsales = ${W}/sales.db\n[tables]\nsales.customers = ${W}/sales.db/customers\nsales.orders = ${W}/sales.db/orders\n`,
    );
    config = join(dir, "grantsync.ini");
    writeFileSync(
      config,
      `[policy]\nfile = policy.ini\nserver = server1\n[catalog]\nfile = locations.ini\n[target]\ntype = webhdfs\n` +
        `roots = ${W}\n[webhdfs]\nnamenodes = ${nn.url}\nuser = hdfs\nretries = 0\n[state]\ndir = state\n`,
    );
    assert.equal((await grantsyncAsync(["apply", "-c", config, "--yes"])).code, 0);
  });

  after(async () => {
    await nn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads a granted table's file through the group, and not another table's", async () => {
    const t1 = await access(`${W}/sales.db/customers/part-0`, "--user", "alice", "--groups", "analysts");
    assert.equal(t1.code, 0);
    assert.deepEqual([t1.json.read, t1.json.write, t1.json.traverse], [true, false, true]);
    assert.deepEqual(t1.json.decidedBy.entries, ["group:analysts:r-x"]);
    assert.equal(t1.json.grants[0]?.role, "t1");
    const t2 = await access(`${W}/sales.db/orders/part-0`, "--user", "alice", "--groups", "analysts");
    assert.deepEqual([t2.code, t2.json.read, t2.json.decidedBy.class], [0, false, "other"]);
  });

  it("asks for the groups, and treats the supergroup as superuser", async () => {
    const none = await access(`${W}/sales.db/orders/part-0`, "--user", "alice");
    assert.deepEqual([none.code, none.json.error?.code], [1, "GS_USAGE"]);
    const su = await access(`${W}/sales.db/orders/part-0`, "--user", "ops", "--groups", "supergroup");
    assert.deepEqual(
      [su.json.superuser, su.json.read, su.json.write, su.json.execute],
      [true, true, true, true],
    );
  });
});
