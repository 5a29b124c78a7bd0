// Applies one HMS notification event to the in-memory catalog index, decoding its message; what the
// message does not carry is re-read from the metastore tables by name.

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

const HANDLED = new Set([
  "CREATE_DATABASE",
  "ALTER_DATABASE",
  "DROP_DATABASE",
  "CREATE_TABLE",
  "ALTER_TABLE",
  "DROP_TABLE",
  "ADD_PARTITION",
  "ALTER_PARTITION",
  "DROP_PARTITION",
]);

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

/** Applies the event; throws UndecodableMessage when its message cannot be read. */
export async function applyEvent(ctx: ApplyContext, row: EventRow): Promise<void> {
  const type = row.EVENT_TYPE ?? "";
  if (!HANDLED.has(type)) return;
  const { index, touched } = ctx;
  const src: SourceRef = { file: "HMS NOTIFICATION_LOG", row: `EVENT_ID=${row.EVENT_ID}` };
  const msg = decodeMessage(row.MESSAGE, row.MESSAGE_FORMAT ?? null);
  const ours = (...cats: (string | undefined | null)[]) => {
    const cat = cats.find((c) => c);
    return !ctx.schema.catalogs || !cat || cat.toLowerCase() === ctx.cfg.catalogName.toLowerCase();
  };
  const dbName = lower(str(msg, "db") ?? row.DB_NAME);
  const tblName = lower(str(msg, "table") ?? row.TBL_NAME);
  const asTable = (t: TableObj): TableEntry => ({
    db: t.db,
    name: t.name,
    location: t.type === "VIRTUAL_VIEW" ? undefined : loc(t.location, "table", src),
    partitions: new Map(),
  });
  /** The table the event names, read from the metastore if the index does not hold it. */
  const known = async (t: TableObj): Promise<TableEntry | undefined> => {
    const e = index.table(t.db, t.name);
    if (e) return e;
    await refetch(ctx, t.db, t.name);
    return undefined;
  };

  switch (type) {
    case "CREATE_DATABASE":
    case "ALTER_DATABASE": {
      const json = type === "CREATE_DATABASE" ? msg.dbJson : msg.dbObjAfterJson;
      if (json === undefined && dbName) {
        if (ours(row.CAT_NAME, str(msg, "cat"))) await refetch(ctx, dbName);
        return;
      }
      const d = dbObj(json);
      if (!ours(row.CAT_NAME, str(msg, "cat"), d.cat)) return;
      if (index.dbs.has(d.name) && index.dbs.get(d.name)?.uri === d.location) return;
      index.dbs.set(d.name, loc(d.location, "database", src));
      touched.add(d.name);
      return;
    }
    case "DROP_DATABASE": {
      if (!dbName) throw new UndecodableMessage("DROP_DATABASE without a database name");
      if (!ours(row.CAT_NAME, str(msg, "cat"))) return;
      index.dbs.delete(dbName);
      touched.add(dbName);
      for (const t of [...index.tables.values()].filter((t) => t.db === dbName)) {
        index.deleteTable(t.db, t.name);
        touched.add(tableObjectName(t.db, t.name));
      }
      return;
    }
    case "CREATE_TABLE": {
      if (msg.tableObjJson === undefined && dbName && tblName) {
        if (ours(row.CAT_NAME)) await refetch(ctx, dbName, tblName);
        return;
      }
      const t = tableObj(msg.tableObjJson);
      if (!ours(row.CAT_NAME, t.cat)) return;
      index.setTable(asTable(t));
      touched.add(tableObjectName(t.db, t.name));
      return;
    }
    case "ALTER_TABLE": {
      const before = tableObj(msg.tableObjBeforeJson, "tableObjBeforeJson");
      const after = tableObj(msg.tableObjAfterJson, "tableObjAfterJson");
      if (!ours(row.CAT_NAME, after.cat)) return;
      const old = index.table(before.db, before.name);
      const next = asTable(after);
      // Most ALTER_TABLEs only touch properties or statistics; those change no path.
      const sameName = before.db === after.db && before.name === after.name;
      if (old && sameName && old.location?.uri === next.location?.uri) return;
      if (old) {
        next.partitions = old.partitions;
        // Renaming a managed table moves its directory and HMS rewrites the SDs of partitions under
        // it; a plain SET LOCATION leaves every partition where it was.
        if (!sameName && before.location && after.location && before.location !== after.location) {
          movePartitions(next.partitions, before.location, after.location, src);
        }
      }
      index.deleteTable(before.db, before.name);
      index.setTable(next);
      touched.add(tableObjectName(before.db, before.name));
      touched.add(tableObjectName(after.db, after.name));
      if (!old) await refetch(ctx, after.db, after.name);
      return;
    }
    case "DROP_TABLE": {
      const t = msg.tableObjJson !== undefined ? tableObj(msg.tableObjJson) : undefined;
      const db = t?.db ?? dbName;
      const name = t?.name ?? tblName;
      if (!db || !name) throw new UndecodableMessage("DROP_TABLE without a table name");
      if (!ours(row.CAT_NAME, t?.cat)) return;
      index.deleteTable(db, name);
      touched.add(tableObjectName(db, name));
      return;
    }
    case "ADD_PARTITION": {
      const t = tableObj(msg.tableObjJson);
      if (!ours(row.CAT_NAME, t.cat)) return;
      touched.add(tableObjectName(t.db, t.name));
      const e = await known(t);
      if (!e) return;
      if (!Array.isArray(msg.partitionListJson)) {
        await refetch(ctx, t.db, t.name);
        return;
      }
      for (const pj of msg.partitionListJson) {
        const p = partitionObj(pj);
        const name = partitionName(t.partitionKeys, p.values);
        const l = loc(p.location, "partition", src, name);
        if (l) e.partitions.set(name, l);
      }
      return;
    }
    case "ALTER_PARTITION": {
      const t = tableObj(msg.tableObjJson);
      if (!ours(row.CAT_NAME, str(msg, "cat"), t.cat)) return;
      const e = await known(t);
      if (!e) return;
      const before = partitionObj(msg.partitionObjBeforeJson, "partitionObjBeforeJson");
      const after = partitionObj(msg.partitionObjAfterJson, "partitionObjAfterJson");
      const oldName = partitionName(t.partitionKeys, before.values);
      const name = partitionName(t.partitionKeys, after.values);
      // Statistics updates arrive as ALTER_PARTITION too; only a rename or a move matters.
      if (oldName === name && e.partitions.get(name)?.uri === after.location) return;
      e.partitions.delete(oldName);
      const l = loc(after.location, "partition", src, name);
      if (l) e.partitions.set(name, l);
      touched.add(tableObjectName(t.db, t.name));
      return;
    }
    case "DROP_PARTITION": {
      const t = msg.tableObjJson !== undefined ? tableObj(msg.tableObjJson) : undefined;
      const db = t?.db ?? dbName;
      const name = t?.name ?? tblName;
      if (!db || !name || !Array.isArray(msg.partitions)) {
        throw new UndecodableMessage("DROP_PARTITION without table or partitions");
      }
      if (!ours(row.CAT_NAME, t?.cat)) return;
      touched.add(tableObjectName(db, name));
      const e = index.table(db, name);
      for (const spec of msg.partitions)
        e?.partitions.delete(partitionNameFromMap(spec, t?.partitionKeys ?? []));
      return;
    }
  }
}
