// Builders for HMS notification messages as Hive writes them: JSON envelopes (JSONCreateTableMessage,
// JSONAlterTableMessage, ...) around Thrift TJSONProtocol objects, and the gzip+base64 encoding.

import { gzipSync } from "node:zlib";

const SERVER = { server: "thrift://hms:9083", servicePrincipal: "hive/_HOST@EXAMPLE.COM" };

function sd(location: string | null, cols = [["id", "int"]]): Record<string, unknown> {
  return {
    "1": { lst: ["rec", cols.length, ...cols.map(([n, t]) => ({ "1": { str: n }, "2": { str: t } }))] },
    ...(location === null ? {} : { "2": { str: location } }),
    "3": { str: "org.apache.hadoop.mapred.TextInputFormat" },
    "4": { str: "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat" },
    "5": { tf: 0 },
    "6": { i32: -1 },
    "7": {
      rec: {
        "2": { str: "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe" },
        "3": { map: ["str", "str", 1, { "serialization.format": "1" }] },
      },
    },
    "8": { lst: ["str", 0] },
    "9": { lst: ["rec", 0] },
    "10": { map: ["str", "str", 0, {}] },
  };
}

export interface T {
  db: string;
  name: string;
  location: string | null;
  type?: string;
  keys?: string[];
  cat?: string;
}

export function tableJson(t: T): string {
  const keys = t.keys ?? [];
  return JSON.stringify({
    "1": { str: t.name },
    "2": { str: t.db },
    "3": { str: "alice" },
    "4": { i32: 1704067200 },
    "5": { i32: 0 },
    "6": { i32: 0 },
    "7": { rec: sd(t.location) },
    "8": { lst: ["rec", keys.length, ...keys.map((k) => ({ "1": { str: k }, "2": { str: "string" } }))] },
    "9": {
      map: [
        "str",
        "str",
        1,
        t.type === "EXTERNAL_TABLE" ? { EXTERNAL: "TRUE" } : { transient_lastDdlTime: "1" },
      ],
    },
    "12": { str: t.type ?? "MANAGED_TABLE" },
    ...(t.cat ? { "17": { str: t.cat } } : {}),
  });
}

export function partitionJson(t: T, values: string[], location: string): string {
  return JSON.stringify({
    "1": { lst: ["str", values.length, ...values] },
    "2": { str: t.db },
    "3": { str: t.name },
    "4": { i32: 1704067200 },
    "5": { i32: 0 },
    "6": { rec: sd(location) },
    "7": { map: ["str", "str", 0, {}] },
    ...(t.cat ? { "9": { str: t.cat } } : {}),
  });
}

export function dbJson(name: string, location: string, cat?: string): string {
  return JSON.stringify({
    "1": { str: name },
    "3": { str: location },
    "4": { map: ["str", "str", 0, {}] },
    "6": { str: "hive" },
    "7": { i32: 1 },
    ...(cat ? { "8": { str: cat } } : {}),
  });
}

const ts = { timestamp: 1704067201 };

export const msg = {
  createDatabase: (name: string, location: string, cat?: string) =>
    JSON.stringify({ ...SERVER, cat, db: name, dbJson: dbJson(name, location, cat), ...ts }),
  alterDatabase: (name: string, before: string, after: string) =>
    JSON.stringify({
      ...SERVER,
      db: name,
      dbObjBeforeJson: dbJson(name, before),
      dbObjAfterJson: dbJson(name, after),
      ...ts,
    }),
  dropDatabase: (name: string) => JSON.stringify({ ...SERVER, db: name, ...ts }),
  createTable: (t: T) =>
    JSON.stringify({
      ...SERVER,
      db: t.db,
      table: t.name,
      tableType: t.type,
      tableObjJson: tableJson(t),
      files: [],
      ...ts,
    }),
  alterTable: (before: T, after: T) =>
    JSON.stringify({
      ...SERVER,
      db: before.db,
      table: before.name,
      tableType: before.type,
      tableObjBeforeJson: tableJson(before),
      tableObjAfterJson: tableJson(after),
      isTruncateOp: "false",
      writeId: 0,
      ...ts,
    }),
  dropTable: (t: T) =>
    JSON.stringify({
      ...SERVER,
      db: t.db,
      table: t.name,
      tableType: t.type,
      tableObjJson: tableJson(t),
      ...ts,
    }),
  addPartition: (t: T, parts: { values: string[]; location: string }[]) =>
    JSON.stringify({
      ...SERVER,
      db: t.db,
      table: t.name,
      tableType: t.type,
      tableObjJson: tableJson(t),
      partitions: parts.map((p) => Object.fromEntries((t.keys ?? []).map((k, i) => [k, p.values[i]]))),
      partitionListJson: parts.map((p) => partitionJson(t, p.values, p.location)),
      partitionFiles: [],
      ...ts,
    }),
  alterPartition: (t: T, values: string[], before: string, after: string) =>
    JSON.stringify({
      ...SERVER,
      db: t.db,
      table: t.name,
      tableType: t.type,
      tableObjJson: tableJson(t),
      keyValues: Object.fromEntries((t.keys ?? []).map((k, i) => [k, values[i]])),
      partitionObjBeforeJson: partitionJson(t, values, before),
      partitionObjAfterJson: partitionJson(t, values, after),
      isTruncateOp: "false",
      writeId: 0,
      ...ts,
    }),
  dropPartition: (t: T, values: string[][]) =>
    JSON.stringify({
      ...SERVER,
      db: t.db,
      table: t.name,
      tableType: t.type,
      tableObjJson: tableJson(t),
      partitions: values.map((v) => Object.fromEntries((t.keys ?? []).map((k, i) => [k, v[i]]))),
      ...ts,
    }),
};

/** GzipJSONMessageEncoder's Serializer: Base64(GZIP(utf8(json))), MESSAGE_FORMAT `gzip(json-2.0)`. */
export function gzipped(json: string): string {
  return gzipSync(Buffer.from(json, "utf8")).toString("base64");
}
