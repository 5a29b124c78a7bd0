// Hive's own SQL-standard grants from the metastore database (DB_PRIVS, TBL_PRIVS, ROLES, ROLE_MAP) on
// PostgreSQL or MySQL/MariaDB, Hive 2.3 and 3.1 schemas, read as Hive's authorizer would apply them.

import type { DbConnection, DbSession } from "../../db/connection.ts";
import type { Diagnostic } from "../../errors.ts";
import { redactUrl } from "../../secrets.ts";
import { loadDbPolicy, tablesFingerprint, warning } from "../db-grants.ts";
import type { Action, Grant, PolicyLoadResult, Privilege } from "../model.ts";
import { type RoleMapRow, type RoleMembership, resolveRoles } from "./roles.ts";

/** Hive's own SQL-standard grants, read from the metastore database. */
export interface HmsGrantsPolicySource extends DbConnection {
  type: "hms-grants";
  /** Hive 3.x catalog name; only its databases' grants are read. */
  catalogName: string;
}

/** SQL-standard writes SELECT, INSERT, UPDATE, DELETE; legacy (V1) authorization wrote the rest. */
const ACTIONS: Readonly<Record<string, Action>> = {
  select: "select",
  insert: "insert",
  update: "insert",
  delete: "insert",
  all: "all",
  alter: "alter",
  create: "create",
  drop: "drop",
  index: "index",
  lock: "lock",
};

type Row = Record<string, string | null>;

interface Level {
  table: "DB_PRIVS" | "TBL_PRIVS";
  id: string;
  priv: string;
}

const LEVELS: readonly Level[] = [
  { table: "DB_PRIVS", id: "DB_GRANT_ID", priv: "DB_PRIV" },
  { table: "TBL_PRIVS", id: "TBL_GRANT_ID", priv: "TBL_PRIV" },
];

async function privilegeRows(s: DbSession, level: Level, catalog: string): Promise<Row[]> {
  const v31 = await s.hasColumn(level.table, "AUTHORIZER");
  const hasCatalogs = await s.hasColumn("DBS", "CTLG_NAME");
  const from =
    level.table === "DB_PRIVS"
      ? `FROM "DB_PRIVS" p JOIN "DBS" d ON d."DB_ID" = p."DB_ID"`
      : `, t."TBL_NAME" AS "TBL" FROM "TBL_PRIVS" p JOIN "TBLS" t ON t."TBL_ID" = p."TBL_ID" JOIN "DBS" d ON d."DB_ID" = t."DB_ID"`;
  return s.query(
    `SELECT p."${level.id}" AS "ID", p."${level.priv}" AS "PRIV", p."PRINCIPAL_NAME", p."PRINCIPAL_TYPE",
            ${v31 ? `p."AUTHORIZER"` : `NULL AS "AUTHORIZER"`}, d."NAME" AS "DB" ${from}
      ${hasCatalogs ? `WHERE d."CTLG_NAME" = ?` : ""} ORDER BY p."${level.id}"`,
    hasCatalogs ? [catalog] : [],
  );
}

/** Who holds each role (through nested roles); roles granted to groups are reported and left out. */
async function readRoles(s: DbSession, warnings: Diagnostic[]): Promise<RoleMembership> {
  const roleRows: RoleMapRow[] = (
    await s.query(
      `SELECT m."ROLE_GRANT_ID", r."ROLE_NAME", m."PRINCIPAL_NAME", m."PRINCIPAL_TYPE"
         FROM "ROLE_MAP" m JOIN "ROLES" r ON r."ROLE_ID" = m."ROLE_ID" ORDER BY m."ROLE_GRANT_ID"`,
    )
  ).flatMap((r) =>
    r.ROLE_GRANT_ID && r.ROLE_NAME && r.PRINCIPAL_NAME && r.PRINCIPAL_TYPE
      ? [
          {
            grantId: r.ROLE_GRANT_ID,
            role: r.ROLE_NAME,
            principalName: r.PRINCIPAL_NAME,
            principalType: r.PRINCIPAL_TYPE,
          },
        ]
      : [],
  );
  const roles = resolveRoles(roleRows);
  for (const g of roles.groups)
    warnings.push(
      warning(
        `ROLE_MAP[ROLE_GRANT_ID=${g.grantId}]`,
        `role ${g.role} granted to group ${g.principalName}: Hive's SQL-standard authorization does not honour roles of groups; ignored`,
      ),
    );
  return roles;
}

/** The privilege a DB_PRIVS or TBL_PRIVS row grants, or undefined when it gives no file access. */
function privilegeOf(level: Level, r: Row, warnings: Diagnostic[]): Privilege | undefined {
  const db = r.DB?.trim().toLowerCase();
  const table = r.TBL?.trim().toLowerCase();
  const priv = (r.PRIV ?? "").trim();
  const action = ACTIONS[priv.toLowerCase()];
  if (!db || (level.table === "TBL_PRIVS" && !table)) return undefined;
  if (!action) {
    warnings.push(
      warning(`${level.table}[${level.id}=${r.ID}]`, `privilege ${priv} gives no file access; ignored`),
    );
    return undefined;
  }
  const object = table === undefined ? `database ${db}` : `table ${db}.${table}`;
  return {
    text: `${priv.toUpperCase()} on ${object}`,
    server: "",
    db,
    action,
    source: { file: level.table, row: `${level.id}=${r.ID}` },
    // Under SQL-standard authorization a database privilege does not reach the database's tables.
    ...(table === undefined ? { databaseOnly: true } : { table }),
  };
}

/** The grants of a privilege row's principal: a user, or every user holding a role; groups are not honoured. */
function granteesOf(r: Row, privilege: Privilege, roles: RoleMembership, warnings: Diagnostic[]): Grant[] {
  const file = `${privilege.source.file}[${privilege.source.row}]`;
  const name = r.PRINCIPAL_NAME ?? "";
  const type = (r.PRINCIPAL_TYPE ?? "").toUpperCase();
  if (type === "USER")
    return [{ principal: { kind: "user", name }, role: "", privilege, via: privilege.source }];
  if (type !== "ROLE") {
    warnings.push(
      warning(
        file,
        `${privilege.text} to ${type.toLowerCase()} ${name}: Hive's SQL-standard authorization does not honour grants to groups; ignored`,
      ),
    );
    return [];
  }
  if (name.toLowerCase() === "public") {
    warnings.push(
      warning(
        file,
        `${privilege.text} to role public (every user) needs other::, which grantsync never changes; ignored`,
      ),
    );
    return [];
  }
  return (roles.users.get(name) ?? []).map((h) => ({
    principal: { kind: "user", name: h.user },
    role: h.path,
    privilege,
    via: { file: "ROLE_MAP", row: `ROLE_GRANT_ID=${h.grantId}` },
  }));
}

async function readGrants(
  s: DbSession,
  cfg: HmsGrantsPolicySource,
  warnings: Diagnostic[],
): Promise<Grant[]> {
  const roles = await readRoles(s, warnings);
  const grants: Grant[] = [];
  const foreign = new Map<string, number>();
  for (const level of LEVELS) {
    for (const r of await privilegeRows(s, level, cfg.catalogName)) {
      // Hive 3.1+ mirrors Ranger policies into the same tables; only Hive's own grants count here.
      const authorizer = r.AUTHORIZER?.trim() || "SQL";
      if (authorizer !== "SQL") {
        foreign.set(authorizer, (foreign.get(authorizer) ?? 0) + 1);
        continue;
      }
      const privilege = privilegeOf(level, r, warnings);
      if (privilege) grants.push(...granteesOf(r, privilege, roles, warnings));
    }
  }
  for (const [authorizer, n] of foreign)
    warnings.push(
      warning(
        "DB_PRIVS, TBL_PRIVS",
        `${n} row(s) written by ${authorizer}, not by Hive's SQL-standard authorization; ignored`,
      ),
    );
  return grants;
}

export async function loadHmsGrantsPolicy(cfg: HmsGrantsPolicySource): Promise<PolicyLoadResult> {
  return loadDbPolicy(cfg, `hms-grants:${redactUrl(cfg.url)}`, (s, warnings) => readGrants(s, cfg, warnings));
}

/** Aggregates that move with every GRANT, REVOKE, role change and dropped table. */
const FINGERPRINT: Record<string, string[]> = {
  DB_PRIVS: [`COUNT(*)`, `SUM("DB_GRANT_ID")`, `MAX("DB_GRANT_ID")`, `SUM("DB_GRANT_ID" * "DB_ID")`],
  TBL_PRIVS: [`COUNT(*)`, `SUM("TBL_GRANT_ID")`, `MAX("TBL_GRANT_ID")`, `SUM("TBL_GRANT_ID" * "TBL_ID")`],
  ROLES: [`COUNT(*)`, `SUM("ROLE_ID")`, `MAX("ROLE_ID")`],
  ROLE_MAP: [`COUNT(*)`, `SUM("ROLE_GRANT_ID")`, `MAX("ROLE_GRANT_ID")`, `SUM("ROLE_GRANT_ID" * "ROLE_ID")`],
};

/** Equal fingerprints mean a reload would read the same grants. Throws GsError (GS_DB_*). */
export async function hmsGrantsFingerprint(cfg: HmsGrantsPolicySource): Promise<string> {
  return tablesFingerprint(cfg, FINGERPRINT);
}
