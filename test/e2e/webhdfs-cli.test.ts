// The WebHDFS target end to end through the real CLI against the emulator, read back with
// GETACLSTATUS: db and table grants, a partition outside the table dir, someone else's entry,
// revocation, undo, HA with a standby NameNode, and locations on another cluster left alone.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import type { Plan } from "../../src/reconcile/plan.ts";
import { type CliResult, grantsyncAsync } from "../helpers/cli.ts";
import { DEFAULT_POLICY } from "../helpers/warehouse.ts";

const W = "/warehouse";
const FILES = [
  "sales.db/customers/part-0",
  "sales.db/orders/dt=2024-01-01/part-0",
  "archive/orders/dt=2023-12-31/part-0",
  "sales.db/_tmp/notes",
];

describe("grantsync on HDFS through WebHDFS", () => {
  let standby: Emulator;
  let active: Emulator;
  let dir: string;
  let config: string;
  let policy: string;
  const acl = (p: string) => active.fs.getAclStatus(`${W}/${p}`).entries;
  const run = async (args: string[]): Promise<CliResult & { json?: unknown }> => {
    const r = await grantsyncAsync([...args, "-c", config]);
    return args.includes("--json") ? { ...r, json: JSON.parse(r.stdout) } : r;
  };

  before(async () => {
    standby = await startEmulator({ port: 0, standby: true });
    active = await startEmulator({ port: 0 });
    for (const f of FILES) {
      active.fs.mkdirs(`${W}/${f}/..`.replace(/\/[^/]+\/\.\.$/, ""));
      active.fs.create(`${W}/${f}`, { data: "x" });
    }
    active.fs.modifyAclEntries(`${W}/sales.db/customers/part-0`, "user:bob:r--");
    dir = mkdtempSync(join(tmpdir(), "gs-webhdfs-"));
    policy = join(dir, "sentry-provider.ini");
    writeFileSync(policy, DEFAULT_POLICY);
    writeFileSync(
      join(dir, "locations.ini"),
      `[databases]\nsales = hdfs://prod${W}/sales.db\n[tables]\nsales.customers = hdfs://prod${W}/sales.db/customers\n` +
        `sales.orders = ${W}/sales.db/orders\nsales.elsewhere = hdfs://other-cluster${W}/x\n` +
        `[partitions]\nsales.orders = hdfs://prod${W}/sales.db/orders/dt=2024-01-01, hdfs://prod${W}/archive/orders/dt=2023-12-31\n`,
    );
    config = join(dir, "grantsync.ini");
    writeFileSync(
      config,
      `[policy]\nfile = sentry-provider.ini\nserver = server1\n[catalog]\nfile = locations.ini\n` +
        `[target]\ntype = webhdfs\nroots = ${W}\n[webhdfs]\nnamenodes = ${standby.url}, ${active.url}\nnameservice = prod\nuser = hdfs\nretries = 2\n` +
        `[safety]\nmax_removals_percent = 90\n[state]\ndir = state\n`,
    );
  });

  after(async () => {
    await standby.close();
    await active.close();
    rmSync(dir, { recursive: true, force: true });
  });

  let firstRun = "";

  it("plans against the active NameNode and leaves another cluster's location alone", async () => {
    const r = await run(["plan", "--detailed-exitcode"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /sales\.elsewhere at hdfs:\/\/other-cluster\/warehouse\/x: cluster "other-cluster" is not \[webhdfs\] nameservice "prod"/,
    );
    assert.deepEqual(acl("sales.db/orders"), []);
  });

  it("applies Sentry's r-x/-wx/rwx mapping, with default entries on directories", async () => {
    const r = await run(["apply", "--yes", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    firstRun = (r.json as { run: string }).run;
    const orders = [
      "group::r-x",
      "group:staff:r-x",
      "group:users:rwx",
      "default:user::rwx",
      "default:group::r-x",
      "default:group:staff:r-x",
      "default:group:users:rwx",
      "default:mask::rwx",
      "default:other::r-x",
    ];
    assert.deepEqual(acl("sales.db/orders"), orders);
    assert.deepEqual(acl("archive/orders/dt=2023-12-31"), orders, "partition outside the table directory");
    assert.deepEqual(acl("archive/orders/dt=2023-12-31/part-0"), [
      "group::r--",
      "group:staff:r-x",
      "group:users:rwx",
    ]);
    assert.equal(active.fs.getAclStatus(`${W}/archive/orders/dt=2023-12-31/part-0`).permission, "674");
    assert.deepEqual(acl("sales.db/_tmp/notes"), ["group::r--", "group:staff:r-x"]);
    assert.deepEqual(acl("archive"), [], "a directory outside every location is not touched");
  });

  it("keeps someone else's entry and finds nothing left to do", async () => {
    assert.deepEqual(acl("sales.db/customers/part-0"), ["user:bob:r--", "group::r--", "group:staff:r-x"]);
    assert.equal((await run(["plan", "--detailed-exitcode"])).code, 0);
  });

  it("removes exactly our entries on revocation", async () => {
    writeFileSync(policy, DEFAULT_POLICY.replace("staff = sales_reader\n", ""));
    const r = await run(["apply", "--yes"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(acl("sales.db/customers/part-0"), ["user:bob:r--", "group::r--"]);
    assert.deepEqual(acl("sales.db/customers"), []);
    assert.deepEqual(acl("sales.db/orders/dt=2024-01-01/part-0"), ["group::r--", "group:users:rwx"]);
    const plan = await run(["plan", "--json"]);
    assert.equal((plan.json as Plan).summary.changed, 0);
  });

  it("undo restores what a run changed and reports what changed since", async () => {
    const runs = await run(["runs", "--json"]);
    const [, second] = runs.json as { run: string }[];
    const r = await run(["undo", second!.run]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(acl("sales.db/customers/part-0"), ["user:bob:r--", "group::r--", "group:staff:r-x"]);
    assert.notEqual(firstRun, second!.run);
  });
});
