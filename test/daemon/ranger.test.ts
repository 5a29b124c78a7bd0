// The daemon polling Ranger Admin's REST API: a new deny reaches the disk without a restart and only
// its object is reconciled; a refused login keeps the last good model and turns /readyz not ready.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getfacl } from "../helpers/cli.ts";
import { type DaemonProcess, startDaemon, waitFor, waitReady } from "../helpers/daemon.ts";
import { type RangerAdmin, startRangerAdmin } from "../helpers/ranger-admin.ts";
import { type PolicySpec, rangerPolicy } from "../policy/ranger/fixtures.ts";

const READERS: PolicySpec = {
  id: 1,
  name: "readers",
  resources: { database: ["sales"], table: ["*"], column: ["*"] },
  allow: [{ accesses: ["select"], groups: ["staff"] }],
};
const DENY: PolicySpec = {
  id: 2,
  name: "no orders for nobody",
  resources: { database: ["sales"], table: ["orders"] },
  deny: [{ accesses: ["select"], users: ["nobody"] }],
};

describe("grantsync daemon polling Ranger Admin", () => {
  let t: string;
  let admin: RangerAdmin;
  let d: DaemonProcess;
  const p = (rel: string) => join(t, "wh", rel);

  before(async () => {
    t = mkdtempSync(join(tmpdir(), "gs-daemon-ranger-"));
    for (const table of ["orders", "customers"]) {
      mkdirSync(p(`sales.db/${table}`), { recursive: true });
      writeFileSync(p(`sales.db/${table}/part-0`), "x\n", { mode: 0o640 });
    }
    writeFileSync(
      join(t, "locations.ini"),
      `[databases]\nsales = ${p("sales.db")}\n[tables]\nsales.orders = ${p("sales.db/orders")}\nsales.customers = ${p("sales.db/customers")}\n`,
    );
    writeFileSync(join(t, "ranger.password"), "s3cret\n");
    admin = await startRangerAdmin("admin", "s3cret");
    admin.serve([rangerPolicy(READERS)]);
    const config = join(t, "grantsync.ini");
    writeFileSync(
      config,
      `[policy]\ntype = ranger\nurl = ${admin.url}\nservice = cm_hive\nusername = admin\npassword_file = ranger.password\n` +
        `[catalog]\ntype = file\nfile = locations.ini\n[target]\ntype = posix\nroots = ${join(t, "wh")}\n[state]\ndir = state\n` +
        `[daemon]\nlisten = 127.0.0.1:0\nschedule = 0 0 1 1 *\npoll_interval = 200ms\ndebounce = 100ms\n`,
    );
    d = startDaemon(config);
    await waitReady(d);
  });

  after(async () => {
    await d?.stop();
    await admin.close();
    rmSync(t, { recursive: true, force: true });
  });

  it("applies the policies at start", () => {
    assert.ok(getfacl(p("sales.db/orders/part-0")).includes("group:staff:r--"));
  });

  it("applies a new deny from the next poll, reconciling only the object it changes", async () => {
    admin.serve([rangerPolicy(READERS), rangerPolicy(DENY)]);
    await waitFor(
      () => getfacl(p("sales.db/orders/part-0")).includes("user:nobody:---"),
      5000,
      "the deny entry",
    );
    const run = await waitFor(
      () =>
        d.logs.find(
          (l) =>
            String(l.msg).startsWith("reconcile") &&
            String(l.reasons).includes("ranger policies changed") &&
            l.scope !== "full",
        ),
      5000,
      "the run the poll triggered",
    );
    assert.equal(run.scope, 1, "only sales.orders is reconciled");
    assert.ok(!getfacl(p("sales.db/customers/part-0")).includes("user:nobody:---"));
  });

  it("keeps the last good model and reports not ready while Ranger refuses the login", async () => {
    const before = getfacl(p("sales.db/orders/part-0"));
    admin.login("admin", "rotated");
    admin.serve([rangerPolicy(READERS)]);
    const body = await waitReady(d, 503, 10_000);
    assert.match(body, /GS_RANGER_AUTH/);
    assert.deepEqual(getfacl(p("sales.db/orders/part-0")), before);
    admin.login("admin", "s3cret");
    await waitReady(d, 200, 10_000);
    await waitFor(
      () => !getfacl(p("sales.db/orders/part-0")).includes("user:nobody:---"),
      5000,
      "the deny to go",
    );
  });
});
