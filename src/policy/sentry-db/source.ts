// Grants read from Apache Sentry's DB store (schema 2.x, PostgreSQL or MySQL): privileges through roles
// to groups and users, each traceable to its SENTRY_DB_PRIVILEGE row and mapping row.

import type { DbConnection, DbSession } from "../../db/connection.ts";
import type { Diagnostic } from "../../errors.ts";
import { redactUrl } from "../../secrets.ts";
import { loadDbPolicy, tablesFingerprint, warning } from "../db-grants.ts";
import type { Action, Grant, PolicyLoadResult, Principal, Privilege, SourceRef } from "../model.ts";

export interface SentryDbPolicySource extends DbConnection {
  type: "sentry-db";
  server: string;
}

/** SentryConstants.NULL_COL: what Sentry stores in the resource columns a privilege does not use. */
const NULL_COL = "__NULL__";

const ACTIONS: ReadonlySet<string> = new Set<Action>([
  "select",
  "insert",
  "alter",
  "create",
  "drop",
  "index",
  "lock",
  "all",
  "owner",
]);

type Row = Record<string, string | null>;

function value(v: string | null | undefined): string | undefined {
  const t = v?.trim();
  return t && t !== NULL_COL ? t : undefined;
}

function action(raw: string | null | undefined): Action | undefined {
  const a = value(raw)?.toLowerCase();
  if (a === undefined || a === "*" || a === "all") return "all";
  return ACTIONS.has(a) ? (a as Action) : undefined;
}

/** The privilege in policy-file form, so `explain` shows DB grants the way file grants look. */
function privilegeText(p: Omit<Privilege, "text" | "source">): string {
  const parts = [`server=${p.server}`];
  if (p.uri !== undefined) parts.push(`uri=${p.uri}`);
  if (p.db !== undefined) parts.push(`db=${p.db}`);
  if (p.table !== undefined) parts.push(`table=${p.table}`);
  if (p.column !== undefined) parts.push(`column=${p.column}`);
  parts.push(`action=${p.action}`);
  return parts.join("->");
}

async function principalsByRole(
  s: DbSession,
  map: string,
  entity: string,
  idCol: string,
  nameCol: string,
  kind: Principal["kind"],
): Promise<Map<string, { principal: Principal; via: SourceRef }[]>> {
  const out = new Map<string, { principal: Principal; via: SourceRef }[]>();
  if (!(await s.hasTable(map))) return out;
  const rows = await s.query(
    `SELECT m."ROLE_ID", m."${idCol}", e."${nameCol}" FROM "${map}" m JOIN "${entity}" e ON e."${idCol}" = m."${idCol}"
      ORDER BY m."ROLE_ID", e."${nameCol}"`,
  );
  for (const r of rows) {
    const name = r[nameCol];
    if (!r.ROLE_ID || !name) continue;
    const list = out.get(r.ROLE_ID) ?? [];
    list.push({
      principal: { kind, name },
      via: { file: map, row: `ROLE_ID=${r.ROLE_ID},${idCol}=${r[idCol]}` },
    });
    out.set(r.ROLE_ID, list);
  }
  return out;
}

/** Turns a SENTRY_DB_PRIVILEGE row into a Privilege, or says why it is skipped. */
function toPrivilege(r: Row, server: string): Privilege | string {
  const id = `DB_PRIVILEGE_ID=${r.DB_PRIVILEGE_ID}`;
  const srv = value(r.SERVER_NAME)?.toLowerCase();
  if (srv !== server) return `privilege for server '${srv ?? ""}' is not for server '${server}'; ignored`;
  const act = action(r.ACTION);
  if (!act) return `unknown action '${r.ACTION}'; privilege ignored`;
  const p: Omit<Privilege, "text" | "source"> = { server: srv, action: act };
  const db = value(r.DB_NAME)?.toLowerCase();
  const table = value(r.TABLE_NAME)?.toLowerCase();
  const column = value(r.COLUMN_NAME)?.toLowerCase();
  const uri = value(r.URI);
  if (uri !== undefined) p.uri = uri;
  if (db !== undefined) p.db = db;
  if (table !== undefined) p.table = table;
  if (column !== undefined) p.column = column;
  return { ...p, text: privilegeText(p), source: { file: "SENTRY_DB_PRIVILEGE", row: id } };
}

const PRIV_COLS = `p."DB_PRIVILEGE_ID", p."SERVER_NAME", p."DB_NAME", p."TABLE_NAME", p."COLUMN_NAME", p."URI", p."ACTION"`;

type Holders = Map<string, { principal: Principal; via: SourceRef }[]>;

/** Role names by ROLE_ID, and the groups and users holding each role. */
async function readRoles(s: DbSession): Promise<{ names: Map<string, string>; holders: Holders }> {
  const names = new Map<string, string>();
  for (const r of await s.query(`SELECT "ROLE_ID", "ROLE_NAME" FROM "SENTRY_ROLE"`)) {
    if (r.ROLE_ID && r.ROLE_NAME) names.set(r.ROLE_ID, r.ROLE_NAME.trim().toLowerCase());
  }
  const holders: Holders = new Map();
  const groups = await principalsByRole(
    s,
    "SENTRY_ROLE_GROUP_MAP",
    "SENTRY_GROUP",
    "GROUP_ID",
    "GROUP_NAME",
    "group",
  );
  const users = await principalsByRole(
    s,
    "SENTRY_ROLE_USER_MAP",
    "SENTRY_USER",
    "USER_ID",
    "USER_NAME",
    "user",
  );
  for (const m of [groups, users]) {
    for (const [role, list] of m) holders.set(role, [...(holders.get(role) ?? []), ...list]);
  }
  return { names, holders };
}

/**
 * A privilege row's Privilege, converted once per DB_PRIVILEGE_ID however many roles or users it
 * is mapped to, so a privilege for another server or with an unknown action is warned about once.
 */
function privilegeCache(server: string, warnings: Diagnostic[]): (r: Row) => Privilege | undefined {
  const seen = new Map<string, Privilege | undefined>();
  return (r) => {
    const key = r.DB_PRIVILEGE_ID ?? "";
    if (!seen.has(key)) {
      const p = toPrivilege(r, server);
      if (typeof p === "string") warnings.push(warning(`SENTRY_DB_PRIVILEGE[DB_PRIVILEGE_ID=${key}]`, p));
      seen.set(key, typeof p === "string" ? undefined : p);
    }
    return seen.get(key);
  };
}

/** Privileges granted to roles, one grant per holder of the role. */
async function roleGrants(s: DbSession, privilegeOf: (r: Row) => Privilege | undefined): Promise<Grant[]> {
  const { names, holders } = await readRoles(s);
  const grants: Grant[] = [];
  const rolePrivs = await s.query(
    `SELECT m."ROLE_ID", ${PRIV_COLS} FROM "SENTRY_ROLE_DB_PRIVILEGE_MAP" m
       JOIN "SENTRY_DB_PRIVILEGE" p ON p."DB_PRIVILEGE_ID" = m."DB_PRIVILEGE_ID"
      ORDER BY p."DB_PRIVILEGE_ID", m."ROLE_ID"`,
  );
  for (const r of rolePrivs) {
    const role = r.ROLE_ID ? names.get(r.ROLE_ID) : undefined;
    const privilege = privilegeOf(r);
    if (!role || !privilege) continue;
    for (const h of holders.get(r.ROLE_ID ?? "") ?? []) {
      grants.push({ principal: h.principal, role, privilege, via: h.via });
    }
  }
  return grants;
}

/**
 * Sentry 2.x can grant privileges (notably OWNER) straight to a user, with no role in between;
 * those grants carry an empty role name. Older schemas have no such tables.
 */
async function userGrants(s: DbSession, privilegeOf: (r: Row) => Privilege | undefined): Promise<Grant[]> {
  if (!(await s.hasTable("SENTRY_USER_DB_PRIVILEGE_MAP")) || !(await s.hasTable("SENTRY_USER"))) return [];
  const grants: Grant[] = [];
  const userPrivs = await s.query(
    `SELECT m."USER_ID", u."USER_NAME", ${PRIV_COLS} FROM "SENTRY_USER_DB_PRIVILEGE_MAP" m
       JOIN "SENTRY_USER" u ON u."USER_ID" = m."USER_ID"
       JOIN "SENTRY_DB_PRIVILEGE" p ON p."DB_PRIVILEGE_ID" = m."DB_PRIVILEGE_ID"
      ORDER BY p."DB_PRIVILEGE_ID", m."USER_ID"`,
  );
  for (const r of userPrivs) {
    const privilege = privilegeOf(r);
    if (!privilege || !r.USER_NAME) continue;
    const via = {
      file: "SENTRY_USER_DB_PRIVILEGE_MAP",
      row: `USER_ID=${r.USER_ID},DB_PRIVILEGE_ID=${r.DB_PRIVILEGE_ID}`,
    };
    grants.push({ principal: { kind: "user", name: r.USER_NAME }, role: "", privilege, via });
  }
  return grants;
}

async function readGrants(s: DbSession, cfg: SentryDbPolicySource, warnings: Diagnostic[]): Promise<Grant[]> {
  const privilegeOf = privilegeCache(cfg.server.trim().toLowerCase(), warnings);
  const grants = await roleGrants(s, privilegeOf);
  grants.push(...(await userGrants(s, privilegeOf)));
  return grants;
}

export async function loadSentryDbPolicy(cfg: SentryDbPolicySource): Promise<PolicyLoadResult> {
  return loadDbPolicy(cfg, `sentry-db:${redactUrl(cfg.url)}`, (s, warnings) => readGrants(s, cfg, warnings));
}

/** Aggregates per table that move whenever Sentry grants, revokes, or (re)maps a role. */
const FINGERPRINT: Record<string, string[]> = {
  SENTRY_DB_PRIVILEGE: [`COUNT(*)`, `MAX("DB_PRIVILEGE_ID")`, `MAX("CREATE_TIME")`],
  SENTRY_ROLE: [`COUNT(*)`, `MAX("ROLE_ID")`, `MAX("CREATE_TIME")`],
  SENTRY_GROUP: [`COUNT(*)`, `MAX("GROUP_ID")`, `MAX("CREATE_TIME")`],
  SENTRY_USER: [`COUNT(*)`, `MAX("USER_ID")`, `MAX("CREATE_TIME")`],
  // Sums of ids and of their products change when a mapping moves between rows of equal count.
  SENTRY_ROLE_DB_PRIVILEGE_MAP: [
    `COUNT(*)`,
    `SUM("ROLE_ID")`,
    `SUM("DB_PRIVILEGE_ID")`,
    `SUM("ROLE_ID" * "DB_PRIVILEGE_ID")`,
  ],
  SENTRY_ROLE_GROUP_MAP: [`COUNT(*)`, `SUM("ROLE_ID")`, `SUM("GROUP_ID")`, `SUM("ROLE_ID" * "GROUP_ID")`],
  SENTRY_ROLE_USER_MAP: [`COUNT(*)`, `SUM("ROLE_ID")`, `SUM("USER_ID")`, `SUM("ROLE_ID" * "USER_ID")`],
  SENTRY_USER_DB_PRIVILEGE_MAP: [
    `COUNT(*)`,
    `SUM("USER_ID")`,
    `SUM("DB_PRIVILEGE_ID")`,
    `SUM("USER_ID" * "DB_PRIVILEGE_ID")`,
  ],
};

/**
 * A cheap digest of the grant tables: equal fingerprints mean nothing a policy load would see has
 * changed, so a daemon can skip re-reading. Throws GsError (GS_DB_CONNECT / GS_DB_QUERY).
 */
export async function sentryDbFingerprint(cfg: SentryDbPolicySource): Promise<string> {
  return tablesFingerprint(cfg, FINGERPRINT, true);
}
