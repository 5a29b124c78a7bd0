// Hive's privilege and role tables (DB_PRIVS, TBL_PRIVS, ROLES, ROLE_MAP) as in
// hive-schema-{2.3.0,3.1.0}.{postgres,mysql}.sql, and rows shaped as the metastore writes them.

import type { Dialect, HiveVersion, TestDb } from "./fixtures.ts";

export function hiveGrantsDdl(dialect: Dialect, version: HiveVersion): string[] {
  const v3 = version === "3.1";
  const pg = dialect === "postgres";
  const vc = pg ? "character varying(128)" : "varchar(128) CHARACTER SET latin1 COLLATE latin1_bin";
  const big = pg ? "bigint" : "bigint(20)";
  const time = pg ? "bigint" : "int(11)";
  const tail = pg ? "" : " ENGINE=InnoDB DEFAULT CHARSET=latin1";
  const privs = (table: string, id: string, obj: string, priv: string) =>
    `CREATE TABLE "${table}" ("${id}" ${big} NOT NULL PRIMARY KEY, "CREATE_TIME" ${time} NOT NULL, "${obj}" ${big},
      "GRANT_OPTION" smallint NOT NULL, "GRANTOR" ${vc}, "GRANTOR_TYPE" ${vc}, "PRINCIPAL_NAME" ${vc}, "PRINCIPAL_TYPE" ${vc},
      "${priv}" ${vc}${v3 ? `, "AUTHORIZER" ${vc}` : ""})${tail}`;
  return [
    privs("DB_PRIVS", "DB_GRANT_ID", "DB_ID", "DB_PRIV"),
    privs("TBL_PRIVS", "TBL_GRANT_ID", "TBL_ID", "TBL_PRIV"),
    `CREATE TABLE "ROLES" ("ROLE_ID" ${big} NOT NULL PRIMARY KEY, "CREATE_TIME" ${time} NOT NULL, "OWNER_NAME" ${vc},
      "ROLE_NAME" ${vc} UNIQUE)${tail}`,
    `CREATE TABLE "ROLE_MAP" ("ROLE_GRANT_ID" ${big} NOT NULL PRIMARY KEY, "ADD_TIME" ${time} NOT NULL, "GRANT_OPTION" smallint NOT NULL,
      "GRANTOR" ${vc}, "GRANTOR_TYPE" ${vc}, "PRINCIPAL_NAME" ${vc}, "PRINCIPAL_TYPE" ${vc}, "ROLE_ID" ${big})${tail}`,
  ];
}

/** The roles every metastore bootstraps (createDefaultRoles), plus `roles` from id 3 on. */
export async function insertRoles(db: TestDb, roles: string[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const [i, name] of ["admin", "public", ...roles].entries()) {
    await db.exec(`INSERT INTO "ROLES" VALUES (?, 1700000000, ?, ?)`, [
      i + 1,
      name === "public" ? "public" : "admin",
      name,
    ]);
    ids.set(name, i + 1);
  }
  return ids;
}

/** `GRANT ROLE role TO USER|GROUP|ROLE principal`, as grant_role stores it. */
export async function grantRole(
  db: TestDb,
  id: number,
  roleId: number,
  principal: string,
  type: "USER" | "GROUP" | "ROLE",
): Promise<void> {
  await db.exec(`INSERT INTO "ROLE_MAP" VALUES (?, 1700000000, 0, 'hive_admin', 'USER', ?, ?, ?)`, [
    id,
    principal,
    type,
    roleId,
  ]);
}

export interface PrivRow {
  id: number;
  /** DB_ID for a database privilege, TBL_ID for a table privilege. */
  object: number;
  priv: string;
  principal: string;
  type: "USER" | "GROUP" | "ROLE";
  /** 3.1 only; Hive's own grants carry SQL. */
  authorizer?: string | null;
  grantor?: string;
}

/** A DB_PRIVS or TBL_PRIVS row as ObjectStore.grantPrivileges writes it. */
export async function grantPrivilege(
  db: TestDb,
  version: HiveVersion,
  level: "database" | "table",
  p: PrivRow,
): Promise<void> {
  const table = level === "database" ? "DB_PRIVS" : "TBL_PRIVS";
  const v3 = version === "3.1";
  await db.exec(`INSERT INTO "${table}" VALUES (?, 1700000000, ?, 0, ?, 'USER', ?, ?, ?${v3 ? ", ?" : ""})`, [
    p.id,
    p.object,
    p.grantor ?? "hive_admin",
    p.principal,
    p.type,
    p.priv,
    ...(v3 ? [p.authorizer === undefined ? "SQL" : p.authorizer] : []),
  ]);
}
