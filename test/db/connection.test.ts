import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { loadHmsCatalog } from "../../src/catalog/hms/snapshot.ts";
import { openReadOnly, resolvePassword, withReadOnly } from "../../src/db/connection.ts";
import { isGsError } from "../../src/errors.ts";
import { createDb, loadWarehouse, type TestDb } from "../sources/fixtures.ts";

for (const dialect of ["postgres", "mysql"] as const) {
  describe(`read-only connections to ${dialect}`, () => {
    let db: TestDb;
    let dir: string;
    before(async () => {
      db = await createDb(dialect);
      await loadWarehouse(db, "3.1");
      dir = await mkdtemp(join(tmpdir(), "gs-db-"));
    });
    after(async () => {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    });

    it("quotes identifiers for the dialect and refuses writes", async () => {
      await withReadOnly({ url: db.url }, async (s) => {
        assert.equal(s.dialect, dialect);
        const rows = await s.query(`SELECT "NAME" FROM "DBS" WHERE "DB_ID" = ?`, [2]);
        assert.deepEqual(rows, [{ NAME: "Sales" }]);
        assert.equal(await s.hasColumn("DBS", "CTLG_NAME"), true);
        assert.equal(await s.hasTable("NO_SUCH_TABLE"), false);
        await assert.rejects(s.query(`UPDATE "DBS" SET "NAME" = 'x' WHERE "DB_ID" = 2`), (err) =>
          isGsError(err, "GS_DB_QUERY"),
        );
      });
    });

    it("reads the password from a file, trimmed", async () => {
      const file = join(dir, "pw");
      // MariaDB's root has an empty password here, so only a trimmed file lets the login succeed.
      await writeFile(file, dialect === "mysql" ? "  \n" : "  from-file\n");
      const conn = { url: db.url, passwordFile: file };
      const expected = dialect === "mysql" ? "" : "from-file";
      assert.equal(await resolvePassword(conn, new URL(db.url), "the test database"), expected);
      const s = await openReadOnly(conn);
      assert.deepEqual(await s.query("SELECT 1 AS one"), [{ one: "1" }]);
      await s.close();
    });

    it("reports a missing password file as GS_DB_CONNECT", async () => {
      await assert.rejects(openReadOnly({ url: db.url, passwordFile: join(dir, "nope") }), (err) =>
        isGsError(err, "GS_DB_CONNECT"),
      );
    });

    it("reports a wrong port as GS_DB_CONNECT with the URL but never the password", async () => {
      const url = db.url.replace(/:\d+\//, ":1/").replace("//", "//inline:url-S3cret@");
      let caught: unknown;
      try {
        await openReadOnly({ url, password: "cfg-S3cret" });
      } catch (err) {
        caught = err;
      }
      assert.ok(isGsError(caught, "GS_DB_CONNECT"), String(caught));
      const text = `${caught.message} ${caught.format()} ${JSON.stringify(caught)} ${caught.location}`;
      assert.ok(!text.includes("S3cret"), text);
      assert.ok(text.includes(":1/"));

      const r = await loadHmsCatalog({
        type: "hms",
        url,
        password: "cfg-S3cret",
        catalogName: "hive",
        pageSize: 10,
      });
      assert.equal(r.catalog, undefined);
      assert.equal(r.errors[0]?.code, "GS_DB_CONNECT");
      assert.ok(!JSON.stringify(r).includes("S3cret"));
    });
  });
}
