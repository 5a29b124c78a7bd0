// The daemon with Hive's own grants: Hive logs no event for GRANT or REVOKE, so a fingerprint poll
// picks a new grant up without a restart, and only the object it changes is reconciled.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { getfacl } from "../helpers/cli.ts";
import { type DaemonProcess, startDaemon, waitFor, waitReady } from "../helpers/daemon.ts";
import { createDb, loadMetastore, METASTORE_TREE, type TestDb } from "../helpers/metastore.ts";
import { grantPrivilege, hiveGrantsDdl, insertRoles } from "../sources/hive-grants-fixtures.ts";

describe("grantsync daemon polling Hive's grant tables", () => {
  let db: TestDb;
  let t: string;
  let d: DaemonProcess;

  before(async () => {
    t = mkdtempSync(join(tmpdir(), "gs-daemon-hmsgrants-"));
    for (const f of METASTORE_TREE) {
      mkdirSync(join(t, f, ".."), { recursive: true });
      writeFileSync(join(t, f), "x\n", { mode: 0o640 });
    }
    db = await createDb("postgres");
    await loadMetastore(db, t);
    for (const sql of hiveGrantsDdl("postgres", "3.1")) await db.exec(sql);
    await insertRoles(db, []);
    await grantPrivilege(db, "3.1", "table", {
      id: 1,
      object: 1,
      priv: "SELECT",
      principal: "nobody",
      type: "USER",
    });
    const config = join(t, "grantsync.ini");
    writeFileSync(
      config,
      `[policy]\ntype = hms-grants\nurl = ${db.url}\n[catalog]\ntype = hms\nurl = ${db.url}\n` +
        `[target]\ntype = posix\nroots = ${t}\n[state]\ndir = state\n` +
        `[daemon]\nlisten = 127.0.0.1:0\nschedule = 0 0 1 1 *\npoll_interval = 200ms\ndebounce = 100ms\n`,
    );
    d = startDaemon(config);
    await waitReady(d);
  });

  after(async () => {
    await d?.stop();
    await db?.drop();
    rmSync(t, { recursive: true, force: true });
  });

  it("applies a GRANT made after start, whenever the first poll comes, reconciling only its table", async () => {
    assert.ok(getfacl(join(t, "wh/sales.db/orders/dt=1/part-0")).includes("user:nobody:r--"));
    const customers = join(t, "ext/customers/part-0");
    assert.ok(!getfacl(customers).includes("user:nobody:-w-"));
    await grantPrivilege(db, "3.1", "table", {
      id: 2,
      object: 2,
      priv: "INSERT",
      principal: "nobody",
      type: "USER",
    });
    await waitFor(() => getfacl(customers).includes("user:nobody:-w-"), 5000, "the new grant on disk");
    const run = await waitFor(
      () =>
        d.logs.find(
          (l) =>
            String(l.msg).startsWith("reconcile") &&
            String(l.reasons).includes("hive grants changed") &&
            l.scope !== "full",
        ),
      5000,
      "the run the poll triggered",
    );
    assert.equal(run.scope, 1, "only sales.customers is reconciled");
  });
});
