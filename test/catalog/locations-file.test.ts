import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { loadLocationsFile } from "../../src/catalog/locations-file.ts";
import { formatDiagnostic } from "../../src/errors.ts";
import { tempFiles } from "../policy/temp-dir.ts";

describe("loadLocationsFile", () => {
  it("reads databases, tables and partitions into raw locations with their lines", async (t) => {
    const dir = tempFiles(t, {
      "locations.ini": `
        [databases]
        Sales = /srv/warehouse/sales.db
        [tables]
        sales.Customer = /srv/warehouse/sales.db/customer
        sales.ext_orders = file:///data/external/orders
        [partitions]
        sales.customer = /srv/warehouse/sales.db/customer/dt=2024-01-01, \\
                         /archive/customer/dt=2023-12-31/
      `,
    });
    const file = join(dir, "locations.ini");
    const r = await loadLocationsFile(file);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.sources, [file]);
    assert.deepEqual(r.catalog, {
      databases: [
        {
          name: "sales",
          locations: [{ uri: "/srv/warehouse/sales.db", kind: "database", source: { file, line: 2 } }],
        },
      ],
      tables: [
        {
          db: "sales",
          name: "customer",
          locations: [
            { uri: "/srv/warehouse/sales.db/customer", kind: "table", source: { file, line: 4 } },
            {
              uri: "/srv/warehouse/sales.db/customer/dt=2024-01-01",
              kind: "partition",
              partition: "dt=2024-01-01",
              source: { file, line: 7 },
            },
            {
              uri: "/archive/customer/dt=2023-12-31/",
              kind: "partition",
              partition: "dt=2023-12-31",
              source: { file, line: 8 },
            },
          ],
        },
        {
          db: "sales",
          name: "ext_orders",
          locations: [{ uri: "file:///data/external/orders", kind: "table", source: { file, line: 5 } }],
        },
      ],
      sources: [file],
    });
  });

  it("accepts file://host/ and hdfs://authority/ locations and keeps them as written", async (t) => {
    const dir = tempFiles(t, {
      "locations.ini": `
        [databases]
        raw = hdfs://nn1:8020/warehouse/raw.db
        [tables]
        raw.events = file://localhost/data/Events
      `,
    });
    const r = await loadLocationsFile(join(dir, "locations.ini"));
    assert.deepEqual(r.errors, []);
    assert.equal(r.catalog?.tables[0]?.locations[0]?.uri, "file://localhost/data/Events");
  });

  it("warns about a table whose database is not listed, and still loads it", async (t) => {
    const dir = tempFiles(t, { "locations.ini": "[tables]\nsales.customer = /srv/x\n" });
    const r = await loadLocationsFile(join(dir, "locations.ini"));
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.warnings.map((d) => `${d.line} ${d.code}`),
      ["2 GS_CATALOG_UNKNOWN_DATABASE"],
    );
    assert.equal(r.catalog?.tables.length, 1);
  });

  it("reports every bad line with FILE:LINE and returns no catalog", async (t) => {
    const dir = tempFiles(t, {
      "locations.ini": `
        [databases]
        sales = relative/sales.db
        SALES = /srv/sales.db
        empty =
        [tables]
        customer = /srv/customer
        sales.orders = s3a://bucket/orders
        sales.items = hdfs:///no/authority
        [partitions]
        sales.missing = /srv/p/dt=1
        [views]
        v = /x
      `,
    });
    const file = join(dir, "locations.ini");
    const r = await loadLocationsFile(file);
    assert.equal(r.catalog, undefined);
    assert.deepEqual(
      r.errors.map((d) => formatDiagnostic(d).split(" ").slice(0, 2).join(" ")),
      [
        `${file}:2: GS_CATALOG_INVALID`,
        `${file}:3: GS_CATALOG_DUPLICATE`,
        `${file}:4: GS_CATALOG_EMPTY_VALUE`,
        `${file}:6: GS_CATALOG_TABLE_NAME`,
        `${file}:7: GS_CATALOG_INVALID`,
        `${file}:8: GS_CATALOG_INVALID`,
        `${file}:10: GS_CATALOG_UNKNOWN_TABLE`,
        `${file}:11: GS_CATALOG_UNKNOWN_SECTION`,
      ],
    );
  });

  it("reports a file that cannot be read", async (t) => {
    const dir = tempFiles(t, {});
    const r = await loadLocationsFile(join(dir, "nope.ini"));
    assert.equal(r.catalog, undefined);
    assert.equal(r.errors[0]?.code, "GS_CATALOG_READ");
    assert.deepEqual(r.sources, [join(dir, "nope.ini")]);
  });
});
