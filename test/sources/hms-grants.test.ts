// Hive's SQL-standard grants read from real PostgreSQL and MariaDB metastores (Hive 2.3 and 3.1
// schemas): users, nested roles, database privileges that stay on the database, and what is ignored.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { HmsGrantsPolicySource } from "../../src/config/types.ts";
import { hmsGrantsFingerprint, loadHmsGrantsPolicy } from "../../src/policy/hms-grants/source.ts";
import { createDb, type Dialect, type HiveVersion, loadWarehouse, type TestDb } from "./fixtures.ts";
import { grantPrivilege, grantRole, hiveGrantsDdl, insertRoles } from "./hive-grants-fixtures.ts";

async function loadGrants(db: TestDb, version: HiveVersion): Promise<void> {
  for (const sql of hiveGrantsDdl(db.dialect, version)) await db.exec(sql);
  const roles = await insertRoles(db, ["etl", "analyst"]);
  // bob ∈ analyst ∈ etl; a cycle back from etl to analyst must not loop; group staff holds etl.
  await grantRole(db, 1, roles.get("etl")!, "analyst", "ROLE");
  await grantRole(db, 2, roles.get("analyst")!, "bob", "USER");
  await grantRole(db, 3, roles.get("analyst")!, "etl", "ROLE");
  await grantRole(db, 4, roles.get("etl")!, "staff", "GROUP");
  const table = (
    id: number,
    object: number,
    priv: string,
    principal: string,
    type: "USER" | "GROUP" | "ROLE",
  ) => grantPrivilege(db, version, "table", { id, object, priv, principal, type });
  await table(1, 1, "SELECT", "etl", "ROLE");
  // The owner's automatic grants at CREATE TABLE.
  for (const [i, priv] of ["INSERT", "SELECT", "UPDATE", "DELETE"].entries())
    await table(2 + i, 1, priv, "alice", "USER");
  await table(6, 3, "SELECT", "public", "ROLE");
  await table(7, 1, "SELECT", "carol", "GROUP");
  await grantPrivilege(db, version, "database", {
    id: 1,
    object: 2,
    priv: "SELECT",
    principal: "frank",
    type: "USER",
  });
  if (version === "3.1") {
    await grantPrivilege(db, version, "table", {
      id: 8,
      object: 1,
      priv: "SELECT",
      principal: "dave",
      type: "USER",
      authorizer: "RangerHivePolicyProvider",
      grantor: "ranger",
    });
    await table(9, 4, "SELECT", "erin", "USER");
    await grantPrivilege(db, version, "table", {
      id: 10,
      object: 2,
      priv: "INSERT",
      principal: "gina",
      type: "USER",
      authorizer: null,
    });
  }
}

for (const dialect of ["postgres", "mysql"] as Dialect[]) {
  for (const version of ["2.3", "3.1"] as HiveVersion[]) {
    describe(`Hive grants from the metastore on ${dialect}, Hive ${version}`, () => {
      let db: TestDb;
      let cfg: HmsGrantsPolicySource;
      before(async () => {
        db = await createDb(dialect);
        await loadWarehouse(db, version);
        await loadGrants(db, version);
        cfg = { type: "hms-grants", url: db.url, catalogName: "hive" };
      });
      after(async () => db?.drop());

      it("reads user and role grants, nested roles resolved, each with its row", async () => {
        const r = await loadHmsGrantsPolicy(cfg);
        assert.deepEqual(r.errors, []);
        const lines = r.policy!.grants.map(
          (g) =>
            `${g.principal.kind}:${g.principal.name} ${g.privilege.action} ${g.privilege.db}${g.privilege.table ? `.${g.privilege.table}` : " (database only)"}` +
            ` ${g.role || "-"} ${g.privilege.source.file}[${g.privilege.source.row}] via ${g.via.file}[${g.via.row}]`,
        );
        const expected = [
          "user:frank select sales (database only) - DB_PRIVS[DB_GRANT_ID=1] via DB_PRIVS[DB_GRANT_ID=1]",
          "user:bob select sales.orders etl>analyst TBL_PRIVS[TBL_GRANT_ID=1] via ROLE_MAP[ROLE_GRANT_ID=2]",
          "user:alice insert sales.orders - TBL_PRIVS[TBL_GRANT_ID=2] via TBL_PRIVS[TBL_GRANT_ID=2]",
          "user:alice select sales.orders - TBL_PRIVS[TBL_GRANT_ID=3] via TBL_PRIVS[TBL_GRANT_ID=3]",
          "user:alice insert sales.orders - TBL_PRIVS[TBL_GRANT_ID=4] via TBL_PRIVS[TBL_GRANT_ID=4]",
          "user:alice insert sales.orders - TBL_PRIVS[TBL_GRANT_ID=5] via TBL_PRIVS[TBL_GRANT_ID=5]",
          ...(version === "3.1"
            ? ["user:gina insert sales.clicks - TBL_PRIVS[TBL_GRANT_ID=10] via TBL_PRIVS[TBL_GRANT_ID=10]"]
            : []),
        ];
        assert.deepEqual(lines, expected);
      });

      it("reports what Hive's SQL-standard authorization would not honour", async () => {
        const r = await loadHmsGrantsPolicy(cfg);
        const w = r.warnings.map((d) => `${d.file}: ${d.message}`);
        assert.ok(
          w.some((m) => /^TBL_PRIVS\[TBL_GRANT_ID=6\]: .*role public/.test(m)),
          w.join("\n"),
        );
        assert.ok(
          w.some((m) =>
            /^TBL_PRIVS\[TBL_GRANT_ID=7\]: .*group carol.*does not honour grants to groups/.test(m),
          ),
        );
        assert.ok(w.some((m) => /^ROLE_MAP\[ROLE_GRANT_ID=4\]: role etl granted to group staff/.test(m)));
        assert.equal(
          w.some((m) => /1 row\(s\) written by RangerHivePolicyProvider/.test(m)),
          version === "3.1",
        );
      });

      it("has a fingerprint that moves with a revoke and stays while nothing changes", async () => {
        const a = await hmsGrantsFingerprint(cfg);
        assert.equal(await hmsGrantsFingerprint(cfg), a);
        await db.exec(`DELETE FROM "TBL_PRIVS" WHERE "TBL_GRANT_ID" = 3`);
        const b = await hmsGrantsFingerprint(cfg);
        assert.notEqual(b, a);
        await db.exec(`DELETE FROM "ROLE_MAP" WHERE "ROLE_GRANT_ID" = 2`);
        assert.notEqual(await hmsGrantsFingerprint(cfg), b);
      });
    });
  }
}
