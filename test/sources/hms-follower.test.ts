import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { HmsFollower } from "../../src/catalog/hms/follower.ts";
import { loadHmsCatalog } from "../../src/catalog/hms/snapshot.ts";
import type { Catalog } from "../../src/catalog/model.ts";
import type { HmsCatalogSource } from "../../src/config/types.ts";
import {
  addEvent,
  createDb,
  type Dialect,
  EXPECTED,
  flat,
  type HiveVersion,
  insertPartition,
  insertSd,
  insertTable,
  loadWarehouse,
  type TestDb,
  WH,
} from "./fixtures.ts";
import { gzipped, msg, type T } from "./thrift-json.ts";

const S = `${WH}/sales.db`;
const orders: T = { db: "sales", name: "orders", location: `${S}/orders`, keys: ["dt"], cat: "hive" };
const clicks: T = {
  db: "sales",
  name: "clicks",
  location: "s3a://clicks-bucket/raw/clicks",
  type: "EXTERNAL_TABLE",
};
const newT: T = { db: "sales", name: "New_T", location: `${S}/new_t`, cat: "hive" };

const names = (s: Set<string>) => [...s].sort();

const cases: [Dialect, HiveVersion][] = [
  ["postgres", "3.1"],
  ["mysql", "3.1"],
  ["postgres", "2.3"],
  ["mysql", "2.3"],
];

for (const [dialect, version] of cases) {
  describe(`HmsFollower on ${dialect}, Hive ${version} schema`, () => {
    let db: TestDb;
    let dir: string;
    let cfg: HmsCatalogSource;
    let follower: HmsFollower;
    let next = 1;
    const event = (e: Omit<Parameters<typeof addEvent>[2], "id">) =>
      addEvent(db, version, { id: next++, ...e });
    const state = () => join(dir, "hms-state.json");
    /** URIs only: event-applied locations name NOTIFICATION_LOG rows where a snapshot names SDS rows. */
    const sameAsSnapshot = async (c: Catalog) => {
      const snap = await loadHmsCatalog(cfg);
      assert.deepEqual(flat(c), flat(snap.catalog!));
    };

    before(async () => {
      db = await createDb(dialect);
      await loadWarehouse(db, version);
      dir = await mkdtemp(join(tmpdir(), "gs-hms-"));
      cfg = { type: "hms", url: db.url, catalogName: "hive", pageSize: 2 };
      follower = new HmsFollower(cfg, state());
      // Two old events: the first poll must start after them, not replay them.
      await event({ type: "CREATE_DATABASE", db: "default", message: msg.createDatabase("default", WH) });
      await event({ type: "OPEN_TXN", message: "not even json" });
    });
    after(async () => {
      await db.drop();
      await rm(dir, { recursive: true, force: true });
    });

    it("starts with a full snapshot at the current event id and persists that id", async () => {
      const r = await follower.poll();
      assert.equal(r.full, true);
      assert.equal(r.lastEventId, 2);
      assert.deepEqual(flat(r.catalog), EXPECTED);
      assert.equal(JSON.parse(await readFile(state(), "utf8")).lastEventId, 2);
      const again = await follower.poll();
      assert.equal(again.full, false);
      assert.deepEqual(names(again.touched), []);
    });

    it("adds a created table", async () => {
      await insertSd(db, 10, `${S}/new_t`);
      await insertTable(db, { id: 10, dbId: 2, sd: 10, name: "new_t", type: "MANAGED_TABLE" });
      await event({ type: "CREATE_TABLE", db: "sales", table: "new_t", message: msg.createTable(newT) });
      const r = await follower.poll();
      assert.equal(r.full, false);
      assert.deepEqual(names(r.touched), ["sales.new_t"]);
      assert.ok(flat(r.catalog).includes(`table sales.new_t table=${S}/new_t`));
      const t = r.catalog.tables.find((x) => x.name === "new_t");
      assert.deepEqual(t?.locations[0]?.source, { file: "HMS NOTIFICATION_LOG", row: "EVENT_ID=3" });
      await sameAsSnapshot(r.catalog);
    });

    it("follows SET LOCATION sent gzip+base64, and a rename that moves the partitions under the table", async () => {
      const moved = { ...clicks, location: "s3a://clicks-bucket/v2/clicks" };
      await db.exec(`UPDATE "SDS" SET "LOCATION" = ? WHERE "SD_ID" = 2`, [moved.location]);
      await event({
        type: "ALTER_TABLE",
        db: "sales",
        table: "clicks",
        message: gzipped(msg.alterTable(clicks, moved)),
        format: "gzip(json-2.0)",
      });
      const renamed = { ...orders, name: "orders_v2", location: `${S}/orders_v2` };
      await db.exec(`UPDATE "TBLS" SET "TBL_NAME" = 'orders_v2' WHERE "TBL_ID" = 1`);
      await db.exec(`UPDATE "SDS" SET "LOCATION" = ? WHERE "SD_ID" = 1`, [`${S}/orders_v2`]);
      await db.exec(`UPDATE "SDS" SET "LOCATION" = ? WHERE "SD_ID" = 4`, [`${S}/orders_v2/dt=2024-01-01`]);
      await event({
        type: "ALTER_TABLE",
        db: "sales",
        table: "orders",
        message: msg.alterTable(orders, renamed),
      });
      // Not ours: a table in another catalog (3.x), an event type we do not follow, with a junk message.
      if (version === "3.1") {
        const other = { ...newT, name: "spark_t", cat: "spark" };
        await event({
          type: "CREATE_TABLE",
          db: "sales",
          table: "spark_t",
          cat: "spark",
          message: msg.createTable(other),
        });
      }
      await event({ type: "COMMIT_TXN", message: "H4sI-not-gzip", format: "gzip(json-2.0)" });

      const r = await follower.poll();
      assert.equal(r.full, false, r.reason);
      assert.deepEqual(names(r.touched), ["sales.clicks", "sales.orders", "sales.orders_v2"]);
      const lines = flat(r.catalog);
      assert.ok(lines.includes("table sales.clicks table=s3a://clicks-bucket/v2/clicks"), lines.join("\n"));
      assert.ok(
        lines.includes(
          `table sales.orders_v2 table=${S}/orders_v2 partition:dt=2024-01-01=${S}/orders_v2/dt=2024-01-01 partition:dt=2024-01-02=s3a://archive-bucket/orders/2024-01-02`,
        ),
        lines.join("\n"),
      );
      assert.ok(!lines.some((l) => l.startsWith("table sales.orders ")));
      await sameAsSnapshot(r.catalog);
    });

    it("adds, moves and drops partitions, drops a table, and creates, moves and drops a database", async () => {
      const t = { ...orders, name: "orders_v2", location: `${S}/orders_v2` };
      await insertSd(db, 11, `${S}/orders_v2/dt=2024-01-03`);
      await insertPartition(db, 11, 1, 11, "dt=2024-01-03");
      await event({
        type: "ADD_PARTITION",
        db: "sales",
        table: "orders_v2",
        message: msg.addPartition(t, [{ values: ["2024-01-03"], location: `${S}/orders_v2/dt=2024-01-03` }]),
      });
      await db.exec(
        `UPDATE "SDS" SET "LOCATION" = 's3a://archive-bucket/orders/2024-01-03' WHERE "SD_ID" = 11`,
      );
      await event({
        type: "ALTER_PARTITION",
        db: "sales",
        table: "orders_v2",
        message: msg.alterPartition(
          t,
          ["2024-01-03"],
          `${S}/orders_v2/dt=2024-01-03`,
          "s3a://archive-bucket/orders/2024-01-03",
        ),
      });
      await db.exec(`DELETE FROM "PARTITIONS" WHERE "PART_ID" = 1`);
      await event({
        type: "DROP_PARTITION",
        db: "sales",
        table: "orders_v2",
        message: msg.dropPartition(t, [["2024-01-01"]]),
      });
      await db.exec(`DELETE FROM "TBLS" WHERE "TBL_ID" = 10`);
      await event({ type: "DROP_TABLE", db: "sales", table: "new_t", message: msg.dropTable(newT) });
      await db.exec(
        version === "3.1"
          ? `INSERT INTO "DBS" ("DB_ID", "DB_LOCATION_URI", "NAME", "CTLG_NAME") VALUES (20, '/srv/wh/hr.db', 'hr', 'hive')`
          : `INSERT INTO "DBS" ("DB_ID", "DB_LOCATION_URI", "NAME") VALUES (20, '/srv/wh/hr.db', 'hr')`,
      );
      await event({
        type: "CREATE_DATABASE",
        db: "hr",
        message: msg.createDatabase("hr", "/srv/wh/hr.db", "hive"),
      });
      await db.exec(`UPDATE "DBS" SET "DB_LOCATION_URI" = '/srv/wh2/hr.db' WHERE "DB_ID" = 20`);
      await event({
        type: "ALTER_DATABASE",
        db: "hr",
        message: msg.alterDatabase("hr", "/srv/wh/hr.db", "/srv/wh2/hr.db"),
      });

      const r = await follower.poll();
      assert.equal(r.full, false, r.reason);
      assert.deepEqual(names(r.touched), ["hr", "sales.new_t", "sales.orders_v2"]);
      const lines = flat(r.catalog);
      assert.ok(lines.includes("db hr /srv/wh2/hr.db"));
      assert.ok(!lines.some((l) => l.startsWith("table sales.new_t")));
      assert.ok(
        lines.includes(
          `table sales.orders_v2 table=${S}/orders_v2 partition:dt=2024-01-02=s3a://archive-bucket/orders/2024-01-02 partition:dt=2024-01-03=s3a://archive-bucket/orders/2024-01-03`,
        ),
        lines.join("\n"),
      );
      await sameAsSnapshot(r.catalog);

      await db.exec(`DELETE FROM "DBS" WHERE "DB_ID" = 20`);
      await event({ type: "DROP_DATABASE", db: "hr", message: msg.dropDatabase("hr") });
      const d = await follower.poll();
      assert.deepEqual(names(d.touched), ["hr"]);
      await sameAsSnapshot(d.catalog);
    });

    it("resumes from the persisted event id with the caller's last catalog", async () => {
      const last = await follower.poll();
      const resumed = new HmsFollower(cfg, state(), last.catalog);
      const r = await resumed.poll();
      assert.equal(r.full, false);
      assert.equal(r.lastEventId, last.lastEventId);
      assert.deepEqual(r.catalog, last.catalog);
      // Without a catalog to resume from there is nothing to apply events to.
      assert.equal((await new HmsFollower(cfg, state()).poll()).full, true);
    });

    it("takes a full snapshot when event ids skip (the cleaner removed events we never saw)", async () => {
      const before = await follower.poll();
      next += 3;
      await db.exec(`UPDATE "SDS" SET "LOCATION" = 's3a://clicks-bucket/v3/clicks' WHERE "SD_ID" = 2`);
      const moved = { ...clicks, location: "s3a://clicks-bucket/v3/clicks" };
      await event({
        type: "ALTER_TABLE",
        db: "sales",
        table: "clicks",
        message: msg.alterTable(clicks, moved),
      });
      const r = await follower.poll();
      assert.equal(r.full, true);
      assert.match(r.reason ?? "", /missing/);
      assert.equal(r.lastEventId, next - 1);
      assert.ok(r.lastEventId > before.lastEventId + 1);
      assert.deepEqual(names(r.touched), ["sales.clicks"]);
      assert.ok(flat(r.catalog).includes("table sales.clicks table=s3a://clicks-bucket/v3/clicks"));
    });

    it("takes a full snapshot on a message it cannot decode", async () => {
      await event({
        type: "CREATE_TABLE",
        db: "sales",
        table: "x",
        message: "H4sIAAAA",
        format: "gzip(json-2.0)",
      });
      const r = await follower.poll();
      assert.equal(r.full, true);
      assert.match(r.reason ?? "", /cannot be decoded/);
      assert.equal((await follower.poll()).full, false);
    });

    it("does not report objects whose ALTER changed no path (properties, statistics)", async () => {
      const cur = { ...clicks, location: "s3a://clicks-bucket/v3/clicks" };
      await event({ type: "ALTER_TABLE", db: "sales", table: "clicks", message: msg.alterTable(cur, cur) });
      const t = { ...orders, name: "orders_v2", location: `${S}/orders_v2` };
      const p2 = "s3a://archive-bucket/orders/2024-01-02";
      // Two polls at once must not apply the same events twice.
      const [a, b] = await Promise.all([follower.poll(), follower.poll()]);
      assert.equal(a.lastEventId, b.lastEventId);
      await event({
        type: "ALTER_PARTITION",
        db: "sales",
        table: "orders_v2",
        message: msg.alterPartition(t, ["2024-01-02"], p2, p2),
      });
      await event({ type: "ALTER_DATABASE", db: "sales", message: msg.alterDatabase("sales", S, S) });
      const r = await follower.poll();
      assert.equal(r.full, false, r.reason);
      assert.deepEqual(names(r.touched), []);
      await sameAsSnapshot(r.catalog);
    });

    it("fails with GS_DB_CONNECT when the metastore is unreachable, without the password", async () => {
      const bad: HmsCatalogSource = { ...cfg, url: db.url.replace(/:\d+\//, ":1/"), password: "hms-S3cret" };
      const f = new HmsFollower(bad, join(dir, "other.json"));
      await assert.rejects(f.poll(), (err: Error & { code?: string }) => {
        assert.equal(err.code, "GS_DB_CONNECT");
        assert.ok(!err.message.includes("hms-S3cret"));
        assert.ok(!JSON.stringify(err).includes("hms-S3cret"));
        return true;
      });
    });
  });
}
