// Applies one HMS notification event to the in-memory catalog index: the event row and its message
// are decoded once, then one handler per event type applies it; what the message does not carry is
// re-read from the metastore tables by name.

import type { DbSession } from "../../db/connection.ts";
import type { SourceRef } from "../../policy/model.ts";
import type { RawLocation } from "../model.ts";
import { tableObjectName } from "../model.ts";
import type { CatalogIndex, TableEntry } from "./catalog-index.ts";
import {
  dbObj,
  decodeMessage,
  partitionName,
  partitionNameFromMap,
  partitionObj,
  str,
  type TableObj,
  tableObj,
  UndecodableMessage,
} from "./messages.ts";
import type { HmsCatalogSource } from "./options.ts";
import { type HmsSchema, readLocations } from "./snapshot.ts";

export interface EventRow {
  EVENT_ID: string | null;
  EVENT_TYPE: string | null;
  CAT_NAME?: string | null;
  DB_NAME: string | null;
  TBL_NAME: string | null;
  MESSAGE: string | null;
  MESSAGE_FORMAT?: string | null;
}

export interface ApplyContext {
  s: DbSession;
  cfg: HmsCatalogSource;
  schema: HmsSchema;
  index: CatalogIndex;
  touched: Set<string>;
}

function lower(v: string | null | undefined): string | undefined {
  return v ? v.toLowerCase() : undefined;
}

function loc(uri: string | undefined, kind: RawLocation["kind"], src: SourceRef, partition?: string) {
  if (!uri) return undefined;
  const l: RawLocation = { uri, kind, source: src };
  if (partition !== undefined) l.partition = partition;
  return l;
}

/** Moves every location at or under `from` to the same place under `to` (a managed table's rename). */
function movePartitions(parts: Map<string, RawLocation>, from: string, to: string, src: SourceRef): void {
  const prefix = from.endsWith("/") ? from : `${from}/`;
  for (const [name, l] of parts) {
    if (l.uri === from) parts.set(name, { ...l, uri: to, source: src });
    else if (l.uri.startsWith(prefix))
      parts.set(name, { ...l, uri: to + l.uri.slice(from.length), source: src });
  }
}

/** Re-reads one table (and its partitions) or one database from the metastore tables. */
async function refetch(ctx: ApplyContext, db: string, table?: string): Promise<void> {
  if (table !== undefined) ctx.index.deleteTable(db, table);
  else ctx.index.dbs.delete(db);
  await readLocations(ctx.s, ctx.cfg, ctx.schema, ctx.index, { db, table });
  ctx.touched.add(table === undefined ? db : tableObjectName(db, table));
}

/** One event as every handler reads it: the decoded message and the names the row or message give. */
interface Event {
  msg: Record<string, unknown>;
  src: SourceRef;
  dbName: string | undefined;
  tblName: string | undefined;
  /** Whether the event is in the configured catalog: the first catalog named, row's first, decides. */
  ours(...cats: (string | undefined | null)[]): boolean;
}

type Handler = (ctx: ApplyContext, ev: Event) => Promise<void> | void;

function parseEvent(ctx: ApplyContext, row: EventRow): Event {
  const msg = decodeMessage(row.MESSAGE, row.MESSAGE_FORMAT ?? null);
  return {
    msg,
    src: { file: "HMS NOTIFICATION_LOG", row: `EVENT_ID=${row.EVENT_ID}` },
    dbName: lower(str(msg, "db") ?? row.DB_NAME),
    tblName: lower(str(msg, "table") ?? row.TBL_NAME),
    ours: (...more) => {
      const cat = [row.CAT_NAME, ...more].find((c) => c);
      return !ctx.schema.catalogs || !cat || cat.toLowerCase() === ctx.cfg.catalogName.toLowerCase();
    },
  };
}

function asTable(t: TableObj, src: SourceRef): TableEntry {
  return {
    db: t.db,
    name: t.name,
    location: t.type === "VIRTUAL_VIEW" ? undefined : loc(t.location, "table", src),
    partitions: new Map(),
  };
}

/** The table the event names, read from the metastore if the index does not hold it. */
async function known(ctx: ApplyContext, t: TableObj): Promise<TableEntry | undefined> {
  const e = ctx.index.table(t.db, t.name);
  if (e) return e;
  await refetch(ctx, t.db, t.name);
  return undefined;
}

/** CREATE_DATABASE and ALTER_DATABASE: `json` is the database object as it now is. */
async function putDatabase(ctx: ApplyContext, ev: Event, json: unknown): Promise<void> {
  const { index, touched } = ctx;
  if (json === undefined && ev.dbName) {
    if (ev.ours(str(ev.msg, "cat"))) await refetch(ctx, ev.dbName);
    return;
  }
  const d = dbObj(json);
  if (!ev.ours(str(ev.msg, "cat"), d.cat)) return;
  if (index.dbs.has(d.name) && index.dbs.get(d.name)?.uri === d.location) return;
  index.dbs.set(d.name, loc(d.location, "database", ev.src));
  touched.add(d.name);
}

function dropDatabase({ index, touched }: ApplyContext, ev: Event): void {
  const dbName = ev.dbName;
  if (!dbName) throw new UndecodableMessage("DROP_DATABASE without a database name");
  if (!ev.ours(str(ev.msg, "cat"))) return;
  index.dbs.delete(dbName);
  touched.add(dbName);
  for (const t of [...index.tables.values()].filter((t) => t.db === dbName)) {
    index.deleteTable(t.db, t.name);
    touched.add(tableObjectName(t.db, t.name));
  }
}

async function createTable(ctx: ApplyContext, ev: Event): Promise<void> {
  if (ev.msg.tableObjJson === undefined && ev.dbName && ev.tblName) {
    if (ev.ours()) await refetch(ctx, ev.dbName, ev.tblName);
    return;
  }
  const t = tableObj(ev.msg.tableObjJson);
  if (!ev.ours(t.cat)) return;
  ctx.index.setTable(asTable(t, ev.src));
  ctx.touched.add(tableObjectName(t.db, t.name));
}

async function alterTable(ctx: ApplyContext, ev: Event): Promise<void> {
  const { index, touched } = ctx;
  const before = tableObj(ev.msg.tableObjBeforeJson, "tableObjBeforeJson");
  const after = tableObj(ev.msg.tableObjAfterJson, "tableObjAfterJson");
  if (!ev.ours(after.cat)) return;
  const old = index.table(before.db, before.name);
  const next = asTable(after, ev.src);
  // Most ALTER_TABLEs only touch properties or statistics; those change no path.
  const sameName = before.db === after.db && before.name === after.name;
  if (old && sameName && old.location?.uri === next.location?.uri) return;
  if (old) {
    next.partitions = old.partitions;
    // Renaming a managed table moves its directory and HMS rewrites the SDs of partitions under
    // it; a plain SET LOCATION leaves every partition where it was.
    if (!sameName && before.location && after.location && before.location !== after.location) {
      movePartitions(next.partitions, before.location, after.location, ev.src);
    }
  }
  index.deleteTable(before.db, before.name);
  index.setTable(next);
  touched.add(tableObjectName(before.db, before.name));
  touched.add(tableObjectName(after.db, after.name));
  if (!old) await refetch(ctx, after.db, after.name);
}

/** DROP_TABLE and DROP_PARTITION name their table in the message's object or, failing that, by name. */
function namedTable(ev: Event): {
  t: TableObj | undefined;
  db: string | undefined;
  name: string | undefined;
} {
  const t = ev.msg.tableObjJson !== undefined ? tableObj(ev.msg.tableObjJson) : undefined;
  return { t, db: t?.db ?? ev.dbName, name: t?.name ?? ev.tblName };
}

function dropTable({ index, touched }: ApplyContext, ev: Event): void {
  const { t, db, name } = namedTable(ev);
  if (!db || !name) throw new UndecodableMessage("DROP_TABLE without a table name");
  if (!ev.ours(t?.cat)) return;
  index.deleteTable(db, name);
  touched.add(tableObjectName(db, name));
}

async function addPartitions(ctx: ApplyContext, ev: Event): Promise<void> {
  const t = tableObj(ev.msg.tableObjJson);
  if (!ev.ours(t.cat)) return;
  ctx.touched.add(tableObjectName(t.db, t.name));
  const e = await known(ctx, t);
  if (!e) return;
  if (!Array.isArray(ev.msg.partitionListJson)) {
    await refetch(ctx, t.db, t.name);
    return;
  }
  for (const pj of ev.msg.partitionListJson) {
    const p = partitionObj(pj);
    const name = partitionName(t.partitionKeys, p.values);
    const l = loc(p.location, "partition", ev.src, name);
    if (l) e.partitions.set(name, l);
  }
}

async function alterPartition(ctx: ApplyContext, ev: Event): Promise<void> {
  const t = tableObj(ev.msg.tableObjJson);
  if (!ev.ours(str(ev.msg, "cat"), t.cat)) return;
  const e = await known(ctx, t);
  if (!e) return;
  const before = partitionObj(ev.msg.partitionObjBeforeJson, "partitionObjBeforeJson");
  const after = partitionObj(ev.msg.partitionObjAfterJson, "partitionObjAfterJson");
  const oldName = partitionName(t.partitionKeys, before.values);
  const name = partitionName(t.partitionKeys, after.values);
  // Statistics updates arrive as ALTER_PARTITION too; only a rename or a move matters.
  if (oldName === name && e.partitions.get(name)?.uri === after.location) return;
  e.partitions.delete(oldName);
  const l = loc(after.location, "partition", ev.src, name);
  if (l) e.partitions.set(name, l);
  ctx.touched.add(tableObjectName(t.db, t.name));
}

function dropPartitions({ index, touched }: ApplyContext, ev: Event): void {
  const { t, db, name } = namedTable(ev);
  const specs = ev.msg.partitions;
  if (!db || !name || !Array.isArray(specs)) {
    throw new UndecodableMessage("DROP_PARTITION without table or partitions");
  }
  if (!ev.ours(t?.cat)) return;
  touched.add(tableObjectName(db, name));
  const e = index.table(db, name);
  for (const spec of specs) e?.partitions.delete(partitionNameFromMap(spec, t?.partitionKeys ?? []));
}

/** The event types that can change a location; any other event is skipped without decoding it. */
const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ["CREATE_DATABASE", (ctx, ev) => putDatabase(ctx, ev, ev.msg.dbJson)],
  ["ALTER_DATABASE", (ctx, ev) => putDatabase(ctx, ev, ev.msg.dbObjAfterJson)],
  ["DROP_DATABASE", dropDatabase],
  ["CREATE_TABLE", createTable],
  ["ALTER_TABLE", alterTable],
  ["DROP_TABLE", dropTable],
  ["ADD_PARTITION", addPartitions],
  ["ALTER_PARTITION", alterPartition],
  ["DROP_PARTITION", dropPartitions],
]);

/** Applies the event; throws UndecodableMessage when its message cannot be read. */
export async function applyEvent(ctx: ApplyContext, row: EventRow): Promise<void> {
  const handler = HANDLERS.get(row.EVENT_TYPE ?? "");
  if (handler) await handler(ctx, parseEvent(ctx, row));
}
