// Hive's own grants and locations from one metastore database, on real PostgreSQL and MariaDB,
// applied to a POSIX tree and checked as a real user: a database privilege stays on the database.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Explanation } from "../../src/compile/explain.ts";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { createDb, loadMetastore, METASTORE_TREE, type TestDb } from "../helpers/metastore.ts";
import { grantPrivilege, grantRole, hiveGrantsDdl, insertRoles } from "../sources/hive-grants-fixtures.ts";

const WWW = 33;

function readsAs(uid: number, file: string): boolean {
  return (
    spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "cat", file]).status === 0
  );
}

for (const dialect of ["postgres", "mysql"] as const) {
  describe(`Hive grants and the Hive Metastore on ${dialect}, end to end`, () => {
    let db: TestDb;
    let t: string;
    let cfg: string;
    before(async () => {
      t = mkdtempSync(join(tmpdir(), "gs-hmsgrants-"));
      chmodSync(t, 0o755);
      for (const f of METASTORE_TREE) {
        mkdirSync(join(t, f, ".."), { recursive: true });
        writeFileSync(join(t, f), "x\n", { mode: 0o640 });
      }
      db = await createDb(dialect);
      await loadMetastore(db, t);
      for (const sql of hiveGrantsDdl(dialect, "3.1")) await db.exec(sql);
      const roles = await insertRoles(db, ["readers"]);
      await grantRole(db, 1, roles.get("readers")!, "www-data", "USER");
      // orders (TBL_ID 1): SELECT to role readers, INSERT to user nobody; customers (2): nothing;
      // database sales (DB_ID 1): SELECT to user nobody, which Hive does not extend to its tables.
      await grantPrivilege(db, "3.1", "table", {
        id: 1,
        object: 1,
        priv: "SELECT",
        principal: "readers",
        type: "ROLE",
      });
      await grantPrivilege(db, "3.1", "table", {
        id: 2,
        object: 1,
        priv: "INSERT",
        principal: "nobody",
        type: "USER",
      });
      await grantPrivilege(db, "3.1", "database", {
        id: 1,
        object: 1,
        priv: "SELECT",
        principal: "nobody",
        type: "USER",
      });
      cfg = join(t, "grantsync.ini");
      writeFileSync(
        cfg,
        `[policy]\ntype = hms-grants\nurl = ${db.url}\n[catalog]\ntype = hms\nurl = ${db.url}\n` +
          `[target]\ntype = posix\nroots = ${t}\n[state]\ndir = state\n`,
      );
    });
    after(async () => {
      await db?.drop();
      rmSync(t, { recursive: true, force: true });
    });

    it("applies table grants to the table's files and partitions, database grants to the database only", () => {
      const r = grantsync(["apply", "-c", cfg, "--yes"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      for (const f of ["wh/sales.db/orders/dt=1/part-0", "archive/orders/dt=0/part-0"])
        assert.deepEqual(getfacl(join(t, f)), [
          "user::rw-",
          "user:www-data:r--",
          "user:nobody:-w-",
          "group::r--",
          "mask::rw-",
          "other::---",
        ]);
      const dbDir = getfacl(join(t, "wh/sales.db"));
      assert.ok(
        dbDir.includes("user:nobody:r-x") && dbDir.includes("default:user:nobody:r-x"),
        dbDir.join("\n"),
      );
      assert.deepEqual(getfacl(join(t, "ext/customers/part-0")), ["user::rw-", "group::r--", "other::---"]);
      assert.equal(readsAs(WWW, join(t, "wh/sales.db/orders/dt=1/part-0")), true);
      assert.equal(readsAs(WWW, join(t, "ext/customers/part-0")), false);
      assert.equal(grantsync(["plan", "-c", cfg, "--detailed-exitcode"]).code, 0);
    });

    it("explain names the privilege row and the role membership row", () => {
      const x = grantsyncJson<Explanation>(["explain", "-c", cfg, join(t, "wh/sales.db/orders/dt=1/part-0")]);
      assert.equal(x.code, 0, x.stderr);
      const www = x.json.entries.find((e) => e.principal === "user:www-data");
      assert.equal(www?.grants[0]?.source, "TBL_PRIVS[TBL_GRANT_ID=1]");
      assert.equal(www?.grants[0]?.via, "ROLE_MAP[ROLE_GRANT_ID=1]");
      assert.equal(www?.grants[0]?.role, "readers");
    });
  });
}
