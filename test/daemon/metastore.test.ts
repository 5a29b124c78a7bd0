// The daemon with database sources: a table created in the Hive Metastore (a NOTIFICATION_LOG
// event) reaches the disk without a restart; an unreachable database keeps the last good model and
// turns /readyz not ready; the database coming back recovers.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { getfacl } from "../helpers/cli.ts";
import { type DaemonProcess, startDaemon, waitFor, waitReady } from "../helpers/daemon.ts";
import { createDb, loadMetastore, METASTORE_TREE, type TestDb } from "../helpers/metastore.ts";
import { addEvent, insertSd, insertTable } from "../sources/fixtures.ts";
import { msg } from "../sources/thrift-json.ts";

describe("grantsync daemon following the Hive Metastore and the Sentry store", () => {
  let db: TestDb;
  let t: string;
  let d: DaemonProcess;
  const dbName = () => new URL(db.url).pathname.slice(1);
  /** As the admin, from another database: a database cannot close its own doors. */
  async function admin(sql: string): Promise<void> {
    const c = new pg.Client({ connectionString: "postgres://postgres@127.0.0.1:5432/test" });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  }

  before(async () => {
    t = mkdtempSync(join(tmpdir(), "gs-daemon-hms-"));
    for (const f of [...METASTORE_TREE, "ext/fresh/part-0"]) {
      mkdirSync(join(t, f, ".."), { recursive: true });
      writeFileSync(join(t, f), "x\n", { mode: 0o640 });
    }
    db = await createDb("postgres");
    await loadMetastore(db, t);
    const config = join(t, "grantsync.ini");
    writeFileSync(
      config,
      `[policy]\ntype = sentry-db\nurl = ${db.url}\nserver = server1\n[catalog]\ntype = hms\nurl = ${db.url}\n` +
        `[target]\ntype = posix\nroots = ${t}\n[state]\ndir = state\n` +
        `[daemon]\nlisten = 127.0.0.1:0\nschedule = 0 0 1 1 *\npoll_interval = 200ms\ndebounce = 100ms\n[log]\nlevel = debug\n`,
    );
    d = startDaemon(config);
    await waitReady(d);
  });

  after(async () => {
    await d?.stop();
    await admin(`ALTER DATABASE ${dbName()} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await db.drop();
    rmSync(t, { recursive: true, force: true });
  });

  it("applies the grants from the databases at start", () => {
    assert.ok(getfacl(join(t, "ext/customers/part-0")).includes("user:nobody:-w-"));
  });

  it("applies a table created in the metastore, from its notification event", async () => {
    const location = join(t, "ext/fresh");
    assert.ok(!getfacl(location).includes("group:staff:r-x"));
    await insertSd(db, 6, location);
    await insertTable(db, { id: 4, dbId: 1, sd: 6, name: "fresh", type: "MANAGED_TABLE" });
    await addEvent(db, "3.1", {
      id: 1,
      type: "CREATE_TABLE",
      db: "sales",
      table: "fresh",
      message: msg.createTable({ db: "sales", name: "fresh", location, type: "MANAGED_TABLE" }),
    });
    await waitFor(() => getfacl(location).includes("group:staff:r-x"), 5000, "the new table's ACL");
    assert.ok(getfacl(join(location, "part-0")).includes("group:staff:r--"));
    const run = await waitFor(
      () =>
        d.logs.find(
          (l) =>
            String(l.msg).startsWith("reconcile") &&
            String((l.reasons as string[])?.[0]).includes("metastore"),
        ),
      5000,
      "the log line of a run triggered by metastore events",
    );
    assert.notEqual(run.scope, "full", "only the objects the event touched are reconciled");
  });

  it("keeps the last good model and reports not ready while the database is unreachable", async () => {
    const before = getfacl(join(t, "wh/sales.db/orders"));
    await admin(`ALTER DATABASE ${dbName()} ALLOW_CONNECTIONS false`);
    const body = await waitReady(d, 503, 10_000);
    assert.match(body, /GS_DB_CONNECT|GS_CATALOG_READ|GS_POLICY_READ/);
    assert.deepEqual(getfacl(join(t, "wh/sales.db/orders")), before);
    await admin(`ALTER DATABASE ${dbName()} ALLOW_CONNECTIONS true`);
    await waitReady(d, 200, 10_000);
    assert.deepEqual(getfacl(join(t, "wh/sales.db/orders")), before);
  });
});
