// Grants from a Sentry database store and locations from a Hive Metastore database, on the real
// PostgreSQL and MariaDB, planned and applied against a POSIX tree and against the WebHDFS emulator.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Explanation } from "../../src/compile/explain.ts";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import type { Plan } from "../../src/reconcile/plan.ts";
import { getfacl, grantsync, grantsyncAsync, grantsyncJson } from "../helpers/cli.ts";
import { createDb, loadMetastore, METASTORE_TREE, type TestDb } from "../helpers/metastore.ts";

const TREE = METASTORE_TREE;

function config(t: string, db: TestDb, target: "posix" | "webhdfs", extra = ""): string {
  const file = join(t, `grantsync-${target}.ini`);
  writeFileSync(
    file,
    `[policy]\ntype = sentry-db\nurl = ${db.url}\nserver = server1\n[catalog]\ntype = hms\nurl = ${db.url}\n` +
      `[target]\ntype = ${target}\nroots = ${t}\n[state]\ndir = state-${Math.random().toString(16).slice(2)}\n${extra}`,
  );
  return file;
}

for (const dialect of ["postgres", "mysql"] as const) {
  describe(`Sentry DB + Hive Metastore on ${dialect}`, () => {
    let db: TestDb;
    let t: string;
    let emulator: Emulator;
    before(async () => {
      t = mkdtempSync(join(tmpdir(), "gs-dbsrc-"));
      for (const f of TREE) {
        mkdirSync(join(t, f, ".."), { recursive: true });
        writeFileSync(join(t, f), "x\n", { mode: 0o640 });
      }
      db = await createDb(dialect);
      await loadMetastore(db, t);
      emulator = await startEmulator({ port: 0 });
      for (const f of TREE) {
        emulator.fs.mkdirs(join(t, f, ".."));
        emulator.fs.create(join(t, f), { data: "x\n" });
      }
    });
    after(async () => {
      await emulator.close();
      await db.drop();
      rmSync(t, { recursive: true, force: true });
    });

    it("applies the expected entries to a POSIX tree", () => {
      const cfg = config(t, db, "posix");
      const plan = grantsyncJson<Plan>(["plan", "-c", cfg]);
      assert.equal(plan.code, 0, plan.stderr);
      assert.deepEqual(
        plan.json.objects.map((o) => o.object),
        // The root is a mode-700 temp dir: the grantees need --x on it to reach their tables.
        ["(traverse)", "sales", "sales.customers", "sales.orders"],
      );
      assert.equal(grantsync(["apply", "-c", cfg, "--yes"]).code, 0);
      assert.deepEqual(getfacl(join(t, "archive/orders/dt=0/part-0")), [
        "user::rw-",
        "group::r--",
        "group:staff:r--",
        "group:users:rw-",
        "mask::rw-",
        "other::---",
      ]);
      assert.deepEqual(getfacl(join(t, "ext/customers/part-0")), [
        "user::rw-",
        "user:nobody:-w-",
        "group::r--",
        "group:staff:r--",
        "mask::rw-",
        "other::---",
      ]);
      assert.ok(getfacl(join(t, "wh/sales.db")).includes("default:group:staff:r-x"));
      const x = grantsyncJson<Explanation>(["explain", "-c", cfg, join(t, "wh/sales.db")]);
      assert.match(x.json.entries[0]!.grants[0]!.source, /SENTRY_DB_PRIVILEGE.*DB_PRIVILEGE_ID=1/);
      assert.match(x.json.context!.locations[0]!.source, /DB_ID=1/);
    });

    it("applies the expected entries through WebHDFS, read back with GETACLSTATUS", async () => {
      const cfg = config(t, db, "webhdfs", `[webhdfs]\nnamenodes = ${emulator.url}\nuser = hdfs\n`);
      const r = await grantsyncAsync(["apply", "-c", cfg, "--yes"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const file = emulator.fs.getAclStatus(join(t, "ext/customers/part-0"));
      assert.deepEqual(file.entries, ["user:nobody:-wx", "group::r--", "group:staff:r-x"]);
      const dir = emulator.fs.getAclStatus(join(t, "wh/sales.db/orders"));
      assert.ok(dir.entries.includes("group:users:rwx"));
      assert.ok(dir.entries.includes("default:group:staff:r-x"));
      assert.equal((await grantsyncAsync(["plan", "-c", cfg, "--detailed-exitcode"])).code, 0);
    });
  });
}
