// A Hive Metastore (3.1) and a Sentry store (2.2) in one throw-away database, describing a small
// warehouse under a temp dir `t`: database sales, a partitioned managed table, an external table, a view.

import {
  createDb,
  hiveDdl,
  insertPartition,
  insertSd,
  insertTable,
  sentryDdl,
  type TestDb,
} from "../sources/fixtures.ts";

export { createDb, type TestDb };

const N = "__NULL__";

export async function loadMetastore(db: TestDb, t: string): Promise<void> {
  for (const sql of [...hiveDdl(db.dialect, "3.1"), ...sentryDdl(db.dialect)]) await db.exec(sql);
  await db.exec(`INSERT INTO "CTLGS" VALUES (1, 'hive', 'Default catalog for Hive', ?)`, [`file://${t}/wh`]);
  await db.exec(
    `INSERT INTO "DBS" ("DB_ID", "DB_LOCATION_URI", "NAME", "OWNER_NAME", "OWNER_TYPE", "CTLG_NAME") VALUES (1, ?, 'Sales', 'hive', 'USER', 'hive')`,
    [`file://${t}/wh/sales.db`],
  );
  await insertSd(db, 1, `${t}/wh/sales.db/orders`);
  await insertSd(db, 2, `${t}/wh/sales.db/orders/dt=1`);
  await insertSd(db, 3, `${t}/archive/orders/dt=0`);
  await insertSd(db, 4, `${t}/ext/customers`);
  await insertSd(db, 5, null);
  await insertTable(db, { id: 1, dbId: 1, sd: 1, name: "orders", type: "MANAGED_TABLE" });
  await insertTable(db, { id: 2, dbId: 1, sd: 4, name: "customers", type: "EXTERNAL_TABLE" });
  await insertTable(db, { id: 3, dbId: 1, sd: 5, name: "v_orders", type: "VIRTUAL_VIEW" });
  await insertPartition(db, 1, 1, 2, "dt=1");
  await insertPartition(db, 2, 1, 3, "dt=0");
  await db.exec(`INSERT INTO "NOTIFICATION_SEQUENCE" VALUES (1, 1)`);

  const privileges: [number, string, string, string, string, string, string, string][] = [
    [1, "DATABASE", "server1", "sales", N, N, N, "select"],
    [2, "TABLE", "server1", "sales", "orders", N, N, "*"],
    [3, "TABLE", "server1", "sales", "customers", N, N, "insert"],
    [4, "SERVER", "server1", N, N, N, N, "*"],
    [5, "COLUMN", "server1", "sales", "orders", "amount", N, "select"],
  ];
  for (const p of privileges) {
    await db.exec(`INSERT INTO "SENTRY_DB_PRIVILEGE" VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1700000000000, 'N')`, p);
  }
  for (const [id, name] of [
    [1, "analyst"],
    [2, "etl"],
    [3, "loader"],
    [4, "admin"],
  ] as const) {
    await db.exec(`INSERT INTO "SENTRY_ROLE" VALUES (?, ?, 1700000000000)`, [id, name]);
  }
  await db.exec(`INSERT INTO "SENTRY_GROUP" VALUES (1, 'staff', 1700000000000), (2, 'users', 1700000000000)`);
  await db.exec(`INSERT INTO "SENTRY_USER" VALUES (1, 'nobody', 1700000000000)`);
  await db.exec(
    `INSERT INTO "SENTRY_ROLE_GROUP_MAP" VALUES (1, 1, 'admin'), (2, 2, 'admin'), (4, 1, 'admin')`,
  );
  await db.exec(`INSERT INTO "SENTRY_ROLE_USER_MAP" VALUES (3, 1, 'admin')`);
  await db.exec(
    `INSERT INTO "SENTRY_ROLE_DB_PRIVILEGE_MAP" VALUES (1, 1, 'admin'), (2, 2, 'admin'), (3, 3, 'admin'), (4, 4, 'admin'), (1, 5, 'admin')`,
  );
}

/** Files of the warehouse, relative to `t`. */
export const METASTORE_TREE = [
  "wh/sales.db/orders/dt=1/part-0",
  "archive/orders/dt=0/part-0",
  "ext/customers/part-0",
];
