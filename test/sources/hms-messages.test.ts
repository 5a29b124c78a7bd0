import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  decodeMessage,
  partitionName,
  partitionObj,
  tableObj,
  UndecodableMessage,
} from "../../src/catalog/hms/messages.ts";
import { gzipped, msg, partitionJson, type T } from "./thrift-json.ts";

const t: T = {
  db: "Sales",
  name: "Orders",
  location: "hdfs://nn:8020/data/orders",
  type: "EXTERNAL_TABLE",
  keys: ["dt", "Region"],
  cat: "hive",
};

describe("HMS message decoding", () => {
  it("reads json-0.2, gzip(json-2.0) and legacy (NULL format) messages alike", () => {
    const json = msg.createTable(t);
    for (const [m, f] of [
      [json, "json-0.2"],
      [gzipped(json), "gzip(json-2.0)"],
      [json, null],
    ] as const) {
      const d = decodeMessage(m, f);
      assert.equal(d.db, "Sales");
      assert.deepEqual(tableObj(d.tableObjJson), {
        db: "sales",
        name: "orders",
        location: "hdfs://nn:8020/data/orders",
        type: "EXTERNAL_TABLE",
        cat: "hive",
        partitionKeys: ["dt", "Region"],
      });
    }
  });

  it("refuses what it cannot read", () => {
    for (const [m, f] of [
      ["H4sIAAAA", "gzip(json-2.0)"],
      ["{not json", "json-0.2"],
      ["[1]", "json-0.2"],
      ["{}", "avro-1"],
      [null, "json-0.2"],
    ] as const) {
      assert.throws(() => decodeMessage(m, f), UndecodableMessage, `${m} ${f}`);
    }
    assert.throws(() => tableObj(undefined), UndecodableMessage);
    assert.throws(() => tableObj('{"7":{"rec":{}}}'), UndecodableMessage);
  });

  it("rebuilds PART_NAME from keys and values, escaped as Hive escapes paths", () => {
    const p = partitionObj(partitionJson(t, ["2024-01-01", "eu/west:1"], "s3a://b/x"));
    assert.deepEqual(p, { values: ["2024-01-01", "eu/west:1"], location: "s3a://b/x" });
    assert.equal(partitionName(["dt", "Region"], p.values), "dt=2024-01-01/region=eu%2Fwest%3A1");
    assert.equal(partitionName(["dt"], [""]), "dt=__HIVE_DEFAULT_PARTITION__");
    assert.throws(() => partitionName(["dt"], ["a", "b"]), UndecodableMessage);
  });
});
