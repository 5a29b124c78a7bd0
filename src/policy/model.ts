// The policy model every grant source produces (Sentry INI files, the Sentry DB store, Ranger, Hive's
// own grants): flat grants of one privilege, through one role, to one group or user, with their source.

import { type Perm, R, W } from "../acl/entry.ts";
import type { Principal } from "../acl/principal.ts";
import type { Diagnostic } from "../errors.ts";
import type { RangerRules } from "./ranger/rules.ts";

export type Action = "select" | "insert" | "alter" | "create" | "drop" | "index" | "lock" | "all" | "owner";

/**
 * What an action grants on the files of the objects it reaches, as Sentry's HDFS sync has it:
 * SELECT → read, INSERT → write, ALL/OWNER → both; the rest give nothing. `[compile]` overrides it.
 */
export const DEFAULT_ACTION_PERMS: Readonly<Record<Action, Perm>> = {
  select: R,
  insert: W,
  all: R | W,
  owner: R | W,
  alter: 0,
  create: 0,
  drop: 0,
  index: 0,
  lock: 0,
};

/** Where a grant or privilege came from, so `explain` can name it. */
export interface SourceRef {
  /** Policy file path, or a database table such as SENTRY_DB_PRIVILEGE. */
  file: string;
  /** 1-based line where the privilege (or mapping) starts, for files. */
  line?: number;
  /** Row identity for database sources, e.g. `DB_PRIVILEGE_ID=42`. */
  row?: string;
  /** The part of a structured source, e.g. `denyPolicyItems[0]` of a Ranger policy. */
  part?: string;
}

export function formatSource(s: SourceRef): string {
  if (s.part) return `${s.file} ${s.part}`;
  if (s.row) return `${s.file}[${s.row}]`;
  return s.line ? `${s.file}:${s.line}` : s.file;
}

export interface Privilege {
  /** The privilege text as written, e.g. `server=server1->db=sales->action=select`. */
  text: string;
  /** Lower-cased resource values; `*` for a wildcard (`*` or `ALL` in the policy). */
  server: string;
  db?: string;
  table?: string;
  column?: string;
  /** URIs keep their case. */
  uri?: string;
  /** A missing action means all. */
  action: Action;
  /**
   * The grant covers the database object only, not its tables (Ranger's database-level policies,
   * Hive SQL-standard database privileges); Sentry's database grants reach every table.
   */
  databaseOnly?: boolean;
  source: SourceRef;
}

// Principals belong to the ACL model (targets resolve them); the policy names them in grants.
export type { Principal, PrincipalKind } from "../acl/principal.ts";

export interface Grant {
  principal: Principal;
  role: string;
  privilege: Privilege;
  /** Where the principal→role mapping was declared. */
  via: SourceRef;
  /** For user grants derived from a [users] user→group mapping: the group the user got it through. */
  viaGroup?: string;
  /**
   * A deny takes the privilege's bits away from the principal on the objects it reaches. A denied
   * user keeps a named entry (`user:U:---` at worst), which wins over his groups' entries.
   */
  effect?: "deny";
}

export interface Policy {
  grants: Grant[];
  /** Ranger policies: evaluated per catalog object at compile time, adding to `grants`. */
  ranger?: RangerRules;
  /** Every file (or table) the policy was read from; the daemon watches these. */
  sources: string[];
}

export interface PolicyLoadResult {
  /** Present only when there are no errors: a policy with errors is never acted on. */
  policy?: Policy;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** Files read, even when loading failed, so a watcher can wait for them to be fixed. */
  sources: string[];
}
