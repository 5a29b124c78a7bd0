// Decoding of HMS NOTIFICATION_LOG messages (json-0.2, gzip(json-2.0), legacy JSON) and of the Thrift
// TJSONProtocol objects embedded in them, down to the names and locations the follower needs.

import { gunzipSync } from "node:zlib";

export class UndecodableMessage extends Error {}

/** Parses a MESSAGE by its MESSAGE_FORMAT; anything unreadable throws UndecodableMessage. */
export function decodeMessage(message: string | null, format: string | null): Record<string, unknown> {
  if (message === null || message === "") throw new UndecodableMessage("empty message");
  let text = message;
  const f = (format ?? "").toLowerCase();
  if (f.startsWith("gzip(")) {
    try {
      text = gunzipSync(Buffer.from(message, "base64")).toString("utf8");
    } catch (err) {
      throw new UndecodableMessage(`cannot gunzip ${format} message: ${(err as Error).message}`);
    }
  } else if (f !== "" && !f.startsWith("json")) {
    throw new UndecodableMessage(`unknown message format ${format}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UndecodableMessage(`message is not JSON (format ${format ?? "NULL"})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new UndecodableMessage("message is not a JSON object");
  }
  return parsed as Record<string, unknown>;
}

type TField = Record<string, unknown>;

/** A Thrift-JSON struct: field id → `{ "str": … }`, `{ "rec": {…} }`, `{ "lst": [type, n, …] }`. */
function tstruct(json: unknown, what: string): TField {
  if (typeof json !== "string") throw new UndecodableMessage(`${what} is missing`);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new UndecodableMessage(`${what} is not Thrift JSON`);
  }
  if (typeof v !== "object" || v === null) throw new UndecodableMessage(`${what} is not a Thrift struct`);
  return v as TField;
}

function tstr(s: TField | undefined, id: number): string | undefined {
  const f = s?.[String(id)] as { str?: unknown } | undefined;
  return typeof f?.str === "string" ? f.str : undefined;
}

function trec(s: TField | undefined, id: number): TField | undefined {
  const f = s?.[String(id)] as { rec?: unknown } | undefined;
  return typeof f?.rec === "object" && f.rec !== null ? (f.rec as TField) : undefined;
}

function tlist(s: TField | undefined, id: number): unknown[] {
  const f = s?.[String(id)] as { lst?: unknown } | undefined;
  return Array.isArray(f?.lst) ? f.lst.slice(2) : [];
}

export interface DbObj {
  name: string;
  location?: string;
  cat?: string;
}

/** Thrift Database: name=1, locationUri=3, catalogName=8. */
export function dbObj(json: unknown, what = "database object"): DbObj {
  const s = tstruct(json, what);
  const name = tstr(s, 1);
  if (!name) throw new UndecodableMessage(`${what} has no name`);
  return { name: name.toLowerCase(), location: tstr(s, 3) || undefined, cat: tstr(s, 8) };
}

export interface TableObj {
  db: string;
  name: string;
  location?: string;
  type?: string;
  cat?: string;
  partitionKeys: string[];
}

/** Thrift Table: tableName=1, dbName=2, sd=7 (StorageDescriptor.location=2), partitionKeys=8, tableType=12, catName=17. */
export function tableObj(json: unknown, what = "table object"): TableObj {
  const s = tstruct(json, what);
  const name = tstr(s, 1);
  const db = tstr(s, 2);
  if (!name || !db) throw new UndecodableMessage(`${what} has no table or database name`);
  const partitionKeys = tlist(s, 8)
    .map((k) => tstr(k as TField, 1))
    .filter((k): k is string => k !== undefined);
  return {
    db: db.toLowerCase(),
    name: name.toLowerCase(),
    location: tstr(trec(s, 7), 2) || undefined,
    type: tstr(s, 12),
    cat: tstr(s, 17),
    partitionKeys,
  };
}

export interface PartitionObj {
  values: string[];
  location?: string;
}

/** Thrift Partition: values=1 (list<string>), sd=6 (StorageDescriptor.location=2). */
export function partitionObj(json: unknown, what = "partition object"): PartitionObj {
  const s = tstruct(json, what);
  const values = tlist(s, 1).map((v) => String(v));
  return { values, location: tstr(trec(s, 6), 2) || undefined };
}

// Characters Hive's FileUtils.escapePathName turns into %XX inside partition names.
const ESCAPED = new Set(['"', "#", "%", "'", "*", "/", ":", "=", "?", "\\", "\x7f", "{", "[", "]", "^"]);

function escapePathName(v: string): string {
  if (v === "") return "__HIVE_DEFAULT_PARTITION__";
  let out = "";
  for (const ch of v) {
    const code = ch.charCodeAt(0);
    out +=
      (code >= 1 && code <= 0x1f) || ESCAPED.has(ch)
        ? `%${code.toString(16).toUpperCase().padStart(2, "0")}`
        : ch;
  }
  return out;
}

/** The PART_NAME HMS stores: `k1=v1/k2=v2`, values path-escaped as Hive does. */
export function partitionName(keys: readonly string[], values: readonly string[]): string {
  if (keys.length !== values.length || keys.length === 0) {
    throw new UndecodableMessage(`partition has ${values.length} values for ${keys.length} keys`);
  }
  return keys
    .map((k, i) => `${escapePathName(k.toLowerCase())}=${escapePathName(values[i] ?? "")}`)
    .join("/");
}

/** A key→value map from a message (`partitions` entries, `keyValues`) as a partition name. */
export function partitionNameFromMap(map: unknown, keys: readonly string[]): string {
  if (typeof map !== "object" || map === null) throw new UndecodableMessage("partition spec is not a map");
  const m = map as Record<string, unknown>;
  const order = keys.length > 0 ? keys : Object.keys(m);
  return partitionName(
    order,
    order.map((k) => String(m[k] ?? "")),
  );
}

export function str(msg: Record<string, unknown>, key: string): string | undefined {
  const v = msg[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}
