import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { loadHmsCatalog } from "../../src/catalog/hms/snapshot.ts";
import type { HmsCatalogSource } from "../../src/config/types.ts";
import {
  createDb,
  type Dialect,
  EXPECTED,
  flat,
  type HiveVersion,
  loadWarehouse,
  type TestDb,
} from "./fixtures.ts";

const cases: [Dialect, HiveVersion][] = [
  ["postgres", "3.1"],
  ["postgres", "2.3"],
  ["mysql", "3.1"],
  ["mysql", "2.3"],
];

for (const [dialect, version] of cases) {
  describe(`loadHmsCatalog on ${dialect}, Hive ${version} schema`, () => {
    let db: TestDb;
    const cfg = (pageSize: number): HmsCatalogSource => ({
      type: "hms",
      url: db.url,
      catalogName: "hive",
      pageSize,
    });
    before(async () => {
      db = await createDb(dialect);
      await loadWarehouse(db, version);
    });
    after(async () => {
      await db.drop();
    });

    it("reads databases, tables (views without locations) and partitions inside and outside the table", async () => {
      const r = await loadHmsCatalog(cfg(1000));
      assert.deepEqual(r.errors, []);
      assert.ok(r.catalog);
      assert.deepEqual(flat(r.catalog), EXPECTED);
    });

    it("names each location's metastore row and no credentials", async () => {
      const r = await loadHmsCatalog(cfg(1000));
      const orders = r.catalog?.tables.find((t) => t.name === "orders");
      assert.deepEqual(orders?.locations[0]?.source, { file: "HMS SDS", row: "SD_ID=1" });
      assert.deepEqual(orders?.locations[2]?.source, { file: "HMS SDS", row: "SD_ID=5" });
      assert.deepEqual(r.catalog?.databases[1]?.locations[0]?.source, { file: "HMS DBS", row: "DB_ID=2" });
      assert.ok(r.sources[0]?.startsWith("hms:"));
    });

    it("gives the same catalog when reading in pages of 1 and 2 rows", async () => {
      const whole = await loadHmsCatalog(cfg(1000));
      for (const size of [1, 2]) {
        const paged = await loadHmsCatalog(cfg(size));
        assert.deepEqual(paged.catalog, whole.catalog);
      }
    });

    if (version === "3.1") {
      it("reads only the configured catalog", async () => {
        const r = await loadHmsCatalog({ ...cfg(1000), catalogName: "spark" });
        assert.deepEqual(flat(r.catalog!), [
          "db sales hdfs://nn:8020/spark/sales.db",
          "table sales.orders table=hdfs://nn:8020/spark/sales.db/orders partition:dt=1=hdfs://nn:8020/spark/sales.db/orders/dt=1",
        ]);
      });
    }
  });
}
