import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { migrate, SCHEMA_VERSION } from "../../../src/state/db/schema.ts";
import { openSql, type SqlConn } from "../../../src/state/db/sql.ts";
import { DbStateStore } from "../../../src/state/db/store.ts";
import type { ManagedState } from "../../../src/state/model.ts";
import { createDb, type Dialect, type TestDb } from "../../sources/fixtures.ts";

const OPTS = { checkIntervalMs: 200 };
const LONG = `/wh/${"long/".repeat(300)}t`;

for (const dialect of ["postgres", "mysql"] as Dialect[]) {
  describe(`state database schema migration on ${dialect}`, () => {
    let db: TestDb;
    let conn: SqlConn;
    const open: DbStateStore[] = [];
    before(async () => {
      db = await createDb(dialect);
      conn = await openSql({ url: db.url }, OPTS.checkIntervalMs);
    });
    after(async () => {
      for (const s of open) await s.close();
      await conn.close();
      await db.drop();
    });

    it("brings a version 1 state to the current version, keeping it, and then keeps traverse entries", async () => {
      // A state as grantsync with schema version 1 left it: no place for traverse entries.
      await migrate(conn, 1);
      const hash = (p: string) => (dialect === "mysql" ? [createHash("sha256").update(p).digest("hex")] : []);
      await conn.run("INSERT INTO gs_state (id, target, pending, epoch) VALUES (1, 'posix', ?, 0)", [
        JSON.stringify(["20261129T120000Z-abcdef"]),
      ]);
      await conn.run(
        `INSERT INTO gs_location (${dialect === "mysql" ? "path_hash, " : ""}path, objects, dir, file)
          VALUES (${dialect === "mysql" ? "?, " : ""}?, ?, ?, ?)`,
        [...hash(LONG), LONG, '["table:sales.t"]', '["user:éva"]', "[]"],
      );
      const v1: ManagedState = {
        version: 1,
        target: "posix",
        locations: { [LONG]: { objects: ["table:sales.t"], dir: ["user:éva"], file: [] } },
        pending: { runs: ["20261129T120000Z-abcdef"] },
      };

      const s = await DbStateStore.open({ url: db.url }, OPTS);
      open.push(s);
      const [row] = await conn.query("SELECT version FROM gs_schema WHERE id = 1");
      assert.equal(Number(row?.version), SCHEMA_VERSION);
      assert.ok(SCHEMA_VERSION >= 2);
      assert.deepEqual(await s.loadManaged("posix"), v1);

      const lease = await s.tryAcquireWriter("apply");
      assert.ok("epoch" in lease);
      const withTraverse: ManagedState = {
        ...v1,
        traverse: { "/wh": ["group:analysts", "user:éva"], [LONG.slice(0, -2)]: ["user:éva"] },
      };
      await s.saveManaged(withTraverse);
      assert.deepEqual(await s.loadManaged("posix"), withTraverse);
      await s.saveManaged(v1);
      assert.deepEqual(await s.loadManaged("posix"), v1, "traverse entries given up are gone");
      await lease.release();
    });
  });
}
