// Full read of table locations straight from the Hive Metastore backing database (Hive 2.3 and 3.x
// schemas, PostgreSQL or MySQL), in keyset-paged queries so very large metastores stay bounded in memory.

import { type DbSession, openReadOnly } from "../../db/connection.ts";
import { type Diagnostic, toGsError } from "../../errors.ts";
import { redactUrl } from "../../secrets.ts";
import type { CatalogLoadResult, RawLocation } from "../model.ts";
import { CatalogIndex, type TableEntry } from "./catalog-index.ts";
import type { HmsCatalogSource } from "./options.ts";

/** What the schema looks like; Hive 3.0 added catalogs (DBS.CTLG_NAME, NOTIFICATION_LOG.CAT_NAME). */
export interface HmsSchema {
  catalogs: boolean;
  notifications: boolean;
  /** NOTIFICATION_LOG.MESSAGE_FORMAT (HIVE-10562); without it messages are the legacy JSON. */
  messageFormat: boolean;
  sequence: boolean;
}

export async function detectSchema(s: DbSession): Promise<HmsSchema> {
  return {
    catalogs: await s.hasColumn("DBS", "CTLG_NAME"),
    notifications: await s.hasTable("NOTIFICATION_LOG"),
    messageFormat: await s.hasColumn("NOTIFICATION_LOG", "MESSAGE_FORMAT"),
    sequence: await s.hasTable("NOTIFICATION_SEQUENCE"),
  };
}

const VIEW_TYPE = "VIRTUAL_VIEW";

type Cell = string | null | undefined;

function dbLocation(id: Cell, uri: Cell): RawLocation | undefined {
  return uri ? { uri, kind: "database", source: { file: "HMS DBS", row: `DB_ID=${id}` } } : undefined;
}

function sdLocation(sdId: Cell, uri: Cell, partition?: string): RawLocation | undefined {
  if (!uri) return undefined;
  const source = { file: "HMS SDS", row: `SD_ID=${sdId}` };
  return partition === undefined
    ? { uri, kind: "table", source }
    : { uri, kind: "partition", partition, source };
}

/** Filter by catalog (3.x), optionally by database and table names, as SQL and parameters. */
function scope(
  schema: HmsSchema,
  cfg: HmsCatalogSource,
  db?: string,
  table?: string,
): { sql: string; params: string[] } {
  let sql = "";
  const params: string[] = [];
  if (schema.catalogs) {
    sql += ` AND d."CTLG_NAME" = ?`;
    params.push(cfg.catalogName);
  }
  if (db !== undefined) {
    sql += ` AND LOWER(d."NAME") = ?`;
    params.push(db);
  }
  if (table !== undefined) {
    sql += ` AND LOWER(t."TBL_NAME") = ?`;
    params.push(table);
  }
  return { sql, params };
}

/** Runs a keyset-paged SELECT: `sql` must end with `WHERE <key> > ?` plus optional ANDs in `tail`. */
async function paged(
  s: DbSession,
  pageSize: number,
  sql: string,
  key: string,
  keyColumn: string,
  tail: { sql: string; params: string[] },
  each: (row: Record<string, string | null>) => void,
): Promise<void> {
  const size = Math.max(1, Math.floor(pageSize));
  let last = "-1";
  for (;;) {
    const rows = await s.query(`${sql} WHERE ${key} > ?${tail.sql} ORDER BY ${key} LIMIT ?`, [
      last,
      ...tail.params,
      size,
    ]);
    for (const r of rows) each(r);
    if (rows.length < size) return;
    last = rows[rows.length - 1]?.[keyColumn] ?? last;
  }
}

type Only = { db?: string; table?: string };

async function readDatabases(
  s: DbSession,
  cfg: HmsCatalogSource,
  schema: HmsSchema,
  ix: CatalogIndex,
  only: Only,
) {
  await paged(
    s,
    cfg.pageSize,
    `SELECT d."DB_ID", d."NAME", d."DB_LOCATION_URI" FROM "DBS" d`,
    `d."DB_ID"`,
    "DB_ID",
    scope(schema, cfg, only.db),
    (r) => {
      if (r.NAME) ix.dbs.set(r.NAME.toLowerCase(), dbLocation(r.DB_ID, r.DB_LOCATION_URI));
    },
  );
}

/** Reads the tables into `ix`; returns them by TBL_ID, for their partitions. */
async function readTables(
  s: DbSession,
  cfg: HmsCatalogSource,
  schema: HmsSchema,
  ix: CatalogIndex,
  only: Only,
): Promise<Map<string, TableEntry>> {
  const byId = new Map<string, TableEntry>();
  await paged(
    s,
    cfg.pageSize,
    `SELECT t."TBL_ID", t."TBL_NAME", t."TBL_TYPE", t."SD_ID", s."LOCATION", d."NAME" AS "DB_NAME"
       FROM "TBLS" t JOIN "DBS" d ON d."DB_ID" = t."DB_ID" LEFT JOIN "SDS" s ON s."SD_ID" = t."SD_ID"`,
    `t."TBL_ID"`,
    "TBL_ID",
    scope(schema, cfg, only.db, only.table),
    (r) => {
      if (!r.TBL_NAME || !r.DB_NAME || !r.TBL_ID) return;
      const entry: TableEntry = {
        db: r.DB_NAME.toLowerCase(),
        name: r.TBL_NAME.toLowerCase(),
        // Views have no storage; a stray LOCATION on one is not a path anyone reads.
        location: r.TBL_TYPE === VIEW_TYPE ? undefined : sdLocation(r.SD_ID, r.LOCATION),
        partitions: new Map(),
      };
      byId.set(r.TBL_ID, entry);
      ix.setTable(entry);
    },
  );
  return byId;
}

/** Adds each partition to its table in `byId`. */
async function readPartitions(
  s: DbSession,
  cfg: HmsCatalogSource,
  schema: HmsSchema,
  byId: ReadonlyMap<string, TableEntry>,
  only: Only,
) {
  await paged(
    s,
    cfg.pageSize,
    `SELECT p."PART_ID", p."PART_NAME", p."TBL_ID", p."SD_ID", s."LOCATION"
       FROM "PARTITIONS" p JOIN "TBLS" t ON t."TBL_ID" = p."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID"
       LEFT JOIN "SDS" s ON s."SD_ID" = p."SD_ID"`,
    `p."PART_ID"`,
    "PART_ID",
    scope(schema, cfg, only.db, only.table),
    (r) => {
      const t = r.TBL_ID ? byId.get(r.TBL_ID) : undefined;
      const loc = r.PART_NAME ? sdLocation(r.SD_ID, r.LOCATION, r.PART_NAME) : undefined;
      if (t && loc && r.PART_NAME) t.partitions.set(r.PART_NAME, loc);
    },
  );
}

/** Reads databases, tables and partitions into `ix`, optionally narrowed to one database or table. */
export async function readLocations(
  s: DbSession,
  cfg: HmsCatalogSource,
  schema: HmsSchema,
  ix: CatalogIndex,
  only: Only = {},
): Promise<void> {
  // A table's refetch leaves its database's own location as it is.
  if (only.table === undefined) await readDatabases(s, cfg, schema, ix, only);
  const byId = await readTables(s, cfg, schema, ix, only);
  if (byId.size > 0) await readPartitions(s, cfg, schema, byId, only);
}

/** The newest event id the metastore has handed out (the log may have been cleaned below it). */
export async function currentEventId(s: DbSession, schema: HmsSchema): Promise<number> {
  let id = 0;
  if (schema.notifications) {
    const [r] = await s.query(`SELECT MAX("EVENT_ID") AS "M" FROM "NOTIFICATION_LOG"`);
    id = Number(r?.M ?? 0);
  }
  if (schema.sequence) {
    const [r] = await s.query(`SELECT MAX("NEXT_EVENT_ID") AS "N" FROM "NOTIFICATION_SEQUENCE"`);
    if (r?.N) id = Math.max(id, Number(r.N) - 1);
  }
  return id;
}

/**
 * One consistent snapshot: the locations and the event id they correspond to, read in the same
 * read-only REPEATABLE READ transaction (HMS writes events in the DDL's own transaction).
 */
export async function readHmsSnapshot(
  cfg: HmsCatalogSource,
): Promise<{ index: CatalogIndex; eventId: number; schema: HmsSchema }> {
  const s = await openReadOnly(cfg, { snapshot: true });
  try {
    const schema = await detectSchema(s);
    const eventId = await currentEventId(s, schema);
    const index = new CatalogIndex();
    await readLocations(s, cfg, schema, index);
    return { index, eventId, schema };
  } finally {
    await s.close();
  }
}

export function hmsSourceName(cfg: HmsCatalogSource): string {
  return `hms:${redactUrl(cfg.url)}`;
}

export async function loadHmsCatalog(cfg: HmsCatalogSource): Promise<CatalogLoadResult> {
  const sources = [hmsSourceName(cfg)];
  try {
    const { index } = await readHmsSnapshot(cfg);
    return { catalog: index.toCatalog(sources), errors: [], warnings: [], sources };
  } catch (err) {
    const e = toGsError(err, "GS_DB_QUERY");
    const d: Diagnostic = { severity: "error", code: e.code, message: e.message, file: redactUrl(cfg.url) };
    return { errors: [d], warnings: [], sources };
  }
}
