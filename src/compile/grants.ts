// Decides what each grant reaches: a database, a table, a URI, or nothing (with the reason),
// following Sentry's HDFS sync: only database- and table-level grants become file ACLs.

import type { Perm } from "../acl/entry.ts";
import type { Action, Grant } from "../policy/model.ts";

export type GrantReach =
  | { kind: "database"; db: string; perm: Perm }
  | { kind: "table"; db: string; table: string; perm: Perm }
  | { kind: "uri"; uri: string; perm: Perm }
  | { kind: "none"; reason: string; object?: string };

export interface GrantRules {
  actionPerms: Readonly<Record<Action, Perm>>;
  uriGrants: boolean;
}

export function reachOf(grant: Grant, rules: GrantRules): GrantReach {
  const p = grant.privilege;
  const perm = rules.actionPerms[p.action];
  const named = p.db && p.db !== "*" ? (p.table && p.table !== "*" ? `${p.db}.${p.table}` : p.db) : undefined;
  if (p.uri !== undefined) {
    if (!rules.uriGrants)
      return { kind: "none", reason: "URI grants produce no ACL unless [compile] uri_grants = true" };
    if (perm === 0) return { kind: "none", reason: `action ${p.action} gives no file access` };
    return { kind: "uri", uri: p.uri, perm };
  }
  if (p.db === undefined)
    return { kind: "none", reason: "a server-level grant (for admins) produces no file ACL" };
  if (p.column !== undefined) {
    return {
      kind: "none",
      reason: "a column-level grant produces no file ACL (a file holds every column)",
      object: named,
    };
  }
  if (perm === 0) return { kind: "none", reason: `action ${p.action} gives no file access`, object: named };
  if (p.table !== undefined) return { kind: "table", db: p.db, table: p.table, perm };
  return { kind: "database", db: p.db, perm };
}

export function nameMatches(pattern: string, name: string): boolean {
  return pattern === "*" || pattern === name;
}
