// Throw-away PostgreSQL and MariaDB databases holding the upstream Hive Metastore (2.3, 3.1) and
// Sentry 2.2 tables our readers use, with the upstream names and types, plus a small warehouse.

import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import pg from "pg";
import type { Catalog } from "../../src/catalog/model.ts";

export type Dialect = "postgres" | "mysql";
export type HiveVersion = "2.3" | "3.1";

export interface TestDb {
  dialect: Dialect;
  url: string;
  /** Runs SQL written with "QUOTED" identifiers and ? parameters, in either dialect. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  drop(): Promise<void>;
}

const PG_ADMIN = "postgres://postgres@127.0.0.1:5432/test";
const MY = { host: "127.0.0.1", port: 3306, user: "root", password: "" };

export async function createDb(dialect: Dialect): Promise<TestDb> {
  const name = `gs_test_${randomBytes(6).toString("hex")}`;
  if (dialect === "postgres") {
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = `postgres://postgres@127.0.0.1:5432/${name}`;
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    return {
      dialect,
      url,
      exec: async (sql, params = []) => {
        let n = 0;
        await c.query(
          sql.replace(/\?/g, () => `$${++n}`),
          params,
        );
      },
      drop: async () => {
        await c.end();
        const a = new pg.Client({ connectionString: PG_ADMIN });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  }
  const admin = await mysql.createConnection(MY);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const c = await mysql.createConnection({ ...MY, database: name, multipleStatements: true });
  return {
    dialect,
    url: `mysql://root@127.0.0.1:3306/${name}`,
    exec: async (sql, params = []) => {
      await c.query(sql.replace(/"([A-Za-z0-9_]+)"/g, "`$1`"), params);
    },
    drop: async () => {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/** Hive Metastore DDL for the tables we read, as in hive-schema-{2.3.0,3.1.0}.{postgres,mysql}.sql. */
export function hiveDdl(dialect: Dialect, version: HiveVersion): string[] {
  const v3 = version === "3.1";
  if (dialect === "postgres") {
    return [
      ...(v3
        ? [
            `CREATE TABLE "CTLGS" ("CTLG_ID" BIGINT PRIMARY KEY, "NAME" VARCHAR(256) UNIQUE, "DESC" VARCHAR(4000), "LOCATION_URI" VARCHAR(4000) NOT NULL)`,
          ]
        : []),
      `CREATE TABLE "DBS" ("DB_ID" bigint NOT NULL PRIMARY KEY, "DESC" character varying(4000), "DB_LOCATION_URI" character varying(4000) NOT NULL,
        "NAME" character varying(128), "OWNER_NAME" character varying(128), "OWNER_TYPE" character varying(10)
        ${v3 ? `, "CTLG_NAME" varchar(256) DEFAULT 'hive'` : ""})`,
      `CREATE TABLE "SDS" ("SD_ID" bigint NOT NULL PRIMARY KEY, "INPUT_FORMAT" character varying(4000), "IS_COMPRESSED" boolean NOT NULL,
        "LOCATION" character varying(4000), "NUM_BUCKETS" bigint NOT NULL, "OUTPUT_FORMAT" character varying(4000), "SERDE_ID" bigint,
        "CD_ID" bigint, "IS_STOREDASSUBDIRECTORIES" boolean NOT NULL)`,
      `CREATE TABLE "TBLS" ("TBL_ID" bigint NOT NULL PRIMARY KEY, "CREATE_TIME" bigint NOT NULL, "DB_ID" bigint, "LAST_ACCESS_TIME" bigint NOT NULL,
        "OWNER" character varying(767), ${v3 ? `"OWNER_TYPE" character varying(10),` : ""} "RETENTION" bigint NOT NULL, "SD_ID" bigint,
        "TBL_NAME" character varying(256), "TBL_TYPE" character varying(128), "VIEW_EXPANDED_TEXT" text, "VIEW_ORIGINAL_TEXT" text,
        "IS_REWRITE_ENABLED" boolean NOT NULL DEFAULT false)`,
      `CREATE TABLE "PARTITIONS" ("PART_ID" bigint NOT NULL PRIMARY KEY, "CREATE_TIME" bigint NOT NULL, "LAST_ACCESS_TIME" bigint NOT NULL,
        "PART_NAME" character varying(767), "SD_ID" bigint, "TBL_ID" bigint)`,
      `CREATE TABLE "NOTIFICATION_LOG" ("NL_ID" BIGINT NOT NULL PRIMARY KEY, "EVENT_ID" BIGINT NOT NULL, "EVENT_TIME" INTEGER NOT NULL,
        "EVENT_TYPE" VARCHAR(32) NOT NULL, ${v3 ? `"CAT_NAME" VARCHAR(256),` : ""} "DB_NAME" VARCHAR(128), "TBL_NAME" VARCHAR(256),
        "MESSAGE" text, "MESSAGE_FORMAT" VARCHAR(16))`,
      `CREATE TABLE "NOTIFICATION_SEQUENCE" ("NNI_ID" BIGINT NOT NULL PRIMARY KEY, "NEXT_EVENT_ID" BIGINT NOT NULL)`,
    ];
  }
  const l1 = "CHARACTER SET latin1 COLLATE latin1_bin";
  const tail = "ENGINE=InnoDB DEFAULT CHARSET=latin1";
  return [
    ...(v3
      ? [
          `CREATE TABLE \`CTLGS\` (\`CTLG_ID\` BIGINT PRIMARY KEY, \`NAME\` VARCHAR(256), \`DESC\` VARCHAR(4000),
            \`LOCATION_URI\` VARCHAR(4000) NOT NULL, UNIQUE KEY \`UNIQUE_CATALOG\` (\`NAME\`)) ${tail}`,
        ]
      : []),
    `CREATE TABLE \`DBS\` (\`DB_ID\` bigint(20) NOT NULL, \`DESC\` varchar(4000) ${l1}, \`DB_LOCATION_URI\` varchar(4000) ${l1} NOT NULL,
      \`NAME\` varchar(128) ${l1}, \`OWNER_NAME\` varchar(128) ${l1}, \`OWNER_TYPE\` varchar(10) ${l1},
      ${v3 ? "`CTLG_NAME` varchar(256) NOT NULL DEFAULT 'hive'," : ""} PRIMARY KEY (\`DB_ID\`)) ${tail}`,
    `CREATE TABLE \`SDS\` (\`SD_ID\` bigint(20) NOT NULL, \`CD_ID\` bigint(20), \`INPUT_FORMAT\` varchar(4000) ${l1}, \`IS_COMPRESSED\` bit(1) NOT NULL,
      \`IS_STOREDASSUBDIRECTORIES\` bit(1) NOT NULL, \`LOCATION\` varchar(4000) ${l1}, \`NUM_BUCKETS\` int(11) NOT NULL,
      \`OUTPUT_FORMAT\` varchar(4000) ${l1}, \`SERDE_ID\` bigint(20), PRIMARY KEY (\`SD_ID\`)) ${tail}`,
    `CREATE TABLE \`TBLS\` (\`TBL_ID\` bigint(20) NOT NULL, \`CREATE_TIME\` int(11) NOT NULL, \`DB_ID\` bigint(20), \`LAST_ACCESS_TIME\` int(11) NOT NULL,
      \`OWNER\` varchar(767) ${l1}, ${v3 ? `\`OWNER_TYPE\` varchar(10) ${l1},` : ""} \`RETENTION\` int(11) NOT NULL, \`SD_ID\` bigint(20),
      \`TBL_NAME\` varchar(256) ${l1}, \`TBL_TYPE\` varchar(128) ${l1}, \`VIEW_EXPANDED_TEXT\` mediumtext, \`VIEW_ORIGINAL_TEXT\` mediumtext,
      \`IS_REWRITE_ENABLED\` bit(1) NOT NULL DEFAULT 0, PRIMARY KEY (\`TBL_ID\`), UNIQUE KEY \`UNIQUETABLE\` (\`TBL_NAME\`,\`DB_ID\`)) ${tail}`,
    `CREATE TABLE \`PARTITIONS\` (\`PART_ID\` bigint(20) NOT NULL, \`CREATE_TIME\` int(11) NOT NULL, \`LAST_ACCESS_TIME\` int(11) NOT NULL,
      \`PART_NAME\` varchar(767) ${l1}, \`SD_ID\` bigint(20), \`TBL_ID\` bigint(20), PRIMARY KEY (\`PART_ID\`)) ${tail}`,
    `CREATE TABLE \`NOTIFICATION_LOG\` (\`NL_ID\` BIGINT(20) NOT NULL, \`EVENT_ID\` BIGINT(20) NOT NULL, \`EVENT_TIME\` INT(11) NOT NULL,
      \`EVENT_TYPE\` varchar(32) NOT NULL, ${v3 ? "`CAT_NAME` varchar(256)," : ""} \`DB_NAME\` varchar(128), \`TBL_NAME\` varchar(256),
      \`MESSAGE\` longtext, \`MESSAGE_FORMAT\` varchar(16), PRIMARY KEY (\`NL_ID\`)) ${tail}`,
    `CREATE TABLE \`NOTIFICATION_SEQUENCE\` (\`NNI_ID\` BIGINT(20) NOT NULL, \`NEXT_EVENT_ID\` BIGINT(20) NOT NULL, PRIMARY KEY (\`NNI_ID\`)) ${tail}`,
  ];
}

export const WH = "hdfs://nn:8020/warehouse";

/** Catalog as `name → [kind partition uri]` lines, the shape the assertions compare. */
export function flat(c: Catalog): string[] {
  return [
    ...c.databases.map((d) => `db ${d.name} ${d.locations.map((l) => l.uri).join(" ")}`),
    ...c.tables.map(
      (t) =>
        `table ${t.db}.${t.name} ${t.locations.map((l) => `${l.kind}${l.partition ? `:${l.partition}` : ""}=${l.uri}`).join(" ")}`,
    ),
  ];
}

export const EXPECTED = [
  `db default ${WH}`,
  `db sales ${WH}/sales.db`,
  "table sales.clicks table=s3a://clicks-bucket/raw/clicks",
  `table sales.orders table=${WH}/sales.db/orders partition:dt=2024-01-01=${WH}/sales.db/orders/dt=2024-01-01 partition:dt=2024-01-02=s3a://archive-bucket/orders/2024-01-02`,
  "table sales.v_orders ",
];

export async function insertSd(db: TestDb, id: number, location: string | null): Promise<void> {
  await db.exec(
    `INSERT INTO "SDS" ("SD_ID", "IS_COMPRESSED", "LOCATION", "NUM_BUCKETS", "IS_STOREDASSUBDIRECTORIES") VALUES (?, ?, ?, -1, ?)`,
    [id, false, location, false],
  );
}

export async function insertTable(
  db: TestDb,
  t: { id: number; dbId: number; sd: number; name: string; type: string },
): Promise<void> {
  await db.exec(
    `INSERT INTO "TBLS" ("TBL_ID", "CREATE_TIME", "DB_ID", "LAST_ACCESS_TIME", "OWNER", "RETENTION", "SD_ID", "TBL_NAME", "TBL_TYPE")
     VALUES (?, 0, ?, 0, 'hive', 0, ?, ?, ?)`,
    [t.id, t.dbId, t.sd, t.name, t.type],
  );
}

export async function insertPartition(
  db: TestDb,
  id: number,
  tblId: number,
  sd: number,
  name: string,
): Promise<void> {
  await db.exec(
    `INSERT INTO "PARTITIONS" ("PART_ID", "CREATE_TIME", "LAST_ACCESS_TIME", "PART_NAME", "SD_ID", "TBL_ID") VALUES (?, 0, 0, ?, ?, ?)`,
    [id, name, sd, tblId],
  );
}

/**
 * The sample warehouse: `default` and `Sales` (upper case on purpose) with a partitioned managed
 * table (one partition inside its directory, one on s3a), an external table and a view; in 3.1 a
 * second catalog `spark` whose objects must be ignored.
 */
export async function loadWarehouse(db: TestDb, version: HiveVersion): Promise<void> {
  for (const sql of hiveDdl(db.dialect, version)) await db.exec(sql);
  const v3 = version === "3.1";
  if (v3) {
    await db.exec(`INSERT INTO "CTLGS" VALUES (1, 'hive', 'Default catalog for Hive', ?)`, [WH]);
    await db.exec(`INSERT INTO "CTLGS" VALUES (2, 'spark', 'Spark catalog', 'hdfs://nn:8020/spark')`);
  }
  const addDb = (id: number, name: string, loc: string, cat: string) =>
    db.exec(
      v3
        ? `INSERT INTO "DBS" ("DB_ID", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE", "CTLG_NAME") VALUES (?, ?, ?, 'hive', 'USER', ?)`
        : `INSERT INTO "DBS" ("DB_ID", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE") VALUES (?, ?, ?, 'hive', 'USER')`,
      v3 ? [id, loc, name, cat] : [id, loc, name],
    );
  await addDb(1, "default", WH, "hive");
  await addDb(2, "Sales", `${WH}/sales.db`, "hive");
  await insertSd(db, 1, `${WH}/sales.db/orders`);
  await insertSd(db, 2, "s3a://clicks-bucket/raw/clicks");
  await insertSd(db, 3, null);
  await insertSd(db, 4, `${WH}/sales.db/orders/dt=2024-01-01`);
  await insertSd(db, 5, "s3a://archive-bucket/orders/2024-01-02");
  await insertTable(db, { id: 1, dbId: 2, sd: 1, name: "Orders", type: "MANAGED_TABLE" });
  await insertTable(db, { id: 2, dbId: 2, sd: 2, name: "clicks", type: "EXTERNAL_TABLE" });
  await insertTable(db, { id: 3, dbId: 2, sd: 3, name: "v_orders", type: "VIRTUAL_VIEW" });
  await insertPartition(db, 1, 1, 4, "dt=2024-01-01");
  await insertPartition(db, 2, 1, 5, "dt=2024-01-02");
  if (v3) {
    await addDb(3, "sales", "hdfs://nn:8020/spark/sales.db", "spark");
    await insertSd(db, 6, "hdfs://nn:8020/spark/sales.db/orders");
    await insertSd(db, 7, "hdfs://nn:8020/spark/sales.db/orders/dt=1");
    await insertTable(db, { id: 4, dbId: 3, sd: 6, name: "orders", type: "MANAGED_TABLE" });
    await insertPartition(db, 3, 4, 7, "dt=1");
  }
  await db.exec(`INSERT INTO "NOTIFICATION_SEQUENCE" VALUES (1, 1)`);
}

/** Appends a NOTIFICATION_LOG row the way DbNotificationListener does, advancing the sequence. */
export async function addEvent(
  db: TestDb,
  version: HiveVersion,
  e: {
    id: number;
    type: string;
    db?: string;
    table?: string;
    message: string;
    format?: string;
    cat?: string;
  },
): Promise<void> {
  const cols = [
    "NL_ID",
    "EVENT_ID",
    "EVENT_TIME",
    "EVENT_TYPE",
    "DB_NAME",
    "TBL_NAME",
    "MESSAGE",
    "MESSAGE_FORMAT",
  ];
  const vals: unknown[] = [e.id, e.id, 1704067200 + e.id, e.type, e.db ?? null, e.table ?? null, e.message];
  vals.push(e.format ?? "json-0.2");
  if (version === "3.1") {
    cols.push("CAT_NAME");
    vals.push(e.cat ?? "hive");
  }
  await db.exec(
    `INSERT INTO "NOTIFICATION_LOG" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
    vals,
  );
  await db.exec(`UPDATE "NOTIFICATION_SEQUENCE" SET "NEXT_EVENT_ID" = ? WHERE "NNI_ID" = 1`, [e.id + 1]);
}

/** The Sentry 2.2 store tables we read, as in sentry-{postgres,mysql}-2.2.0.sql. */
export function sentryDdl(dialect: Dialect): string[] {
  const pg = dialect === "postgres";
  const vc = (n: number) =>
    pg ? `character varying(${n})` : `VARCHAR(${n}) CHARACTER SET utf8 COLLATE utf8_bin`;
  const tail = pg ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8";
  const entity = (t: string, id: string, name: string) =>
    `CREATE TABLE "${t}" ("${id}" BIGINT NOT NULL PRIMARY KEY, "${name}" ${vc(128)} NOT NULL UNIQUE, "CREATE_TIME" BIGINT NOT NULL)${tail}`;
  const map = (t: string, a: string, b: string) =>
    `CREATE TABLE "${t}" ("${a}" BIGINT NOT NULL, "${b}" BIGINT NOT NULL, "GRANTOR_PRINCIPAL" ${vc(128)}, PRIMARY KEY ("${a}", "${b}"))${tail}`;
  return [
    `CREATE TABLE "SENTRY_DB_PRIVILEGE" ("DB_PRIVILEGE_ID" BIGINT NOT NULL PRIMARY KEY, "PRIVILEGE_SCOPE" ${vc(32)} NOT NULL,
      "SERVER_NAME" ${vc(128)} NOT NULL, "DB_NAME" ${vc(128)} DEFAULT '__NULL__', "TABLE_NAME" ${vc(128)} DEFAULT '__NULL__',
      "COLUMN_NAME" ${vc(128)} DEFAULT '__NULL__', "URI" ${vc(4000)} DEFAULT '__NULL__', "ACTION" ${vc(128)} NOT NULL,
      "CREATE_TIME" BIGINT NOT NULL, "WITH_GRANT_OPTION" CHAR(1) NOT NULL)${tail}`,
    entity("SENTRY_ROLE", "ROLE_ID", "ROLE_NAME"),
    entity("SENTRY_GROUP", "GROUP_ID", "GROUP_NAME"),
    entity("SENTRY_USER", "USER_ID", "USER_NAME"),
    map("SENTRY_ROLE_DB_PRIVILEGE_MAP", "ROLE_ID", "DB_PRIVILEGE_ID"),
    map("SENTRY_ROLE_GROUP_MAP", "ROLE_ID", "GROUP_ID"),
    map("SENTRY_ROLE_USER_MAP", "ROLE_ID", "USER_ID"),
    map("SENTRY_USER_DB_PRIVILEGE_MAP", "USER_ID", "DB_PRIVILEGE_ID"),
  ];
}
