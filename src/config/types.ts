// The typed configuration every module receives. It is built once, validated, by config/load.ts;
// nothing deeper reads environment variables or raw INI.

import type { Perm } from "../acl/entry.ts";
import type { Action } from "../policy/model.ts";

export interface FilePolicySource {
  type: "file";
  /** Absolute path of the global Sentry policy file. */
  file: string;
  server: string;
}

export interface DbConnection {
  /** postgres://user@host:port/db or mysql://user@host:port/db, without the password. */
  url: string;
  /** Absolute path of a file holding the password, if any. */
  passwordFile?: string;
  /** Password given inline in the config (discouraged); never logged. */
  password?: string;
}

export interface SentryDbPolicySource extends DbConnection {
  type: "sentry-db";
  server: string;
}

/** Apache Ranger's Hive policies, from an export or plugin download file, or from Ranger Admin. */
export interface RangerPolicySource {
  type: "ranger";
  /** The Hive service (repository) whose policies apply, e.g. `cm_hive`. */
  service: string;
  /** Exactly one of file and url. */
  file?: string;
  url?: string;
  username?: string;
  passwordFile?: string;
  caFile?: string;
  /** Extra roles (an export or download of Ranger roles), for role names the policies use. */
  rolesFile?: string;
  /** Policies per REST page. */
  pageSize: number;
}

/** Hive's own SQL-standard grants, read from the metastore database. */
export interface HmsGrantsPolicySource extends DbConnection {
  type: "hms-grants";
  /** Hive 3.x catalog name; only its databases' grants are read. */
  catalogName: string;
}

export type PolicySourceConfig =
  | FilePolicySource
  | SentryDbPolicySource
  | RangerPolicySource
  | HmsGrantsPolicySource;

export interface FileCatalogSource {
  type: "file";
  file: string;
}

export interface HmsCatalogSource extends DbConnection {
  type: "hms";
  /** Hive 3.x catalog name; only this catalog is read. */
  catalogName: string;
  /** Rows per page when reading large metastores. */
  pageSize: number;
}

export type CatalogSourceConfig = FileCatalogSource | HmsCatalogSource;

export interface CompileConfig {
  /** Permission bits (r/w only; execute is added on directories) each action gives. */
  actionPerms: Record<Action, Perm>;
  /** Execute bit on files: undefined means the target's default (POSIX no, HDFS yes). */
  fileExecute?: boolean;
  /** Whether uri= grants produce ACLs on the URI's path. */
  uriGrants: boolean;
  /** Whether directories also get default: entries. */
  defaultAcls: boolean;
  /** Whether grantees get `--x` on the directories from the root down to each location's parent. */
  traverse: boolean;
}

export interface WebhdfsConfig {
  namenodes: string[];
  /** Logical name or host:port that hdfs:// locations must name to be ours. */
  nameservice?: string;
  user: string;
  doas?: string;
  delegation?: string;
  caFile?: string;
  connections: number;
  concurrency: number;
  timeoutMs: number;
  retries: number;
  auth: "simple" | "kerberos";
  /** Kerberos client principal (`grantsync@REALM`); with `keytab`, the key to log in with. */
  principal?: string;
  /** Keytab to log in from; without it, the ticket cache KRB5CCNAME names. */
  keytab?: string;
  /** With Kerberos: fetch a delegation token after SPNEGO and send it instead of the cookie. */
  delegationTokens?: boolean;
}

export interface TargetConfig {
  type: "posix" | "webhdfs";
  /** Normalized absolute paths; nothing outside is ever managed. */
  roots: string[];
  /** What to do with a principal unknown to the host: report and skip its entries, or fail. */
  unknownPrincipal: "skip" | "error";
  /** Glob patterns (`*`, `?`) matched against each directory name: such directories are left alone. */
  exclude: string[];
}

export interface SafetyConfig {
  /** A plan removing more entries than this is refused without --force. */
  maxRemovals: number;
  /** ...or more than this percentage of the entries grantsync manages, */
  maxRemovalsPercent: number;
  /** ...counted only when the plan removes at least this many entries. */
  minRemovals: number;
}

export interface DaemonConfig {
  schedule: string;
  timezone?: string;
  /** host:port of the health and metrics server. */
  listen: string;
  shutdownTimeoutMs: number;
  debounceMs: number;
  /** How often database sources (metastore events, the Sentry store) are checked for changes. */
  pollIntervalMs: number;
}

export interface Config {
  /** Absolute path of the config file (undefined for configs built from flags). */
  file?: string;
  policy: PolicySourceConfig;
  catalog: CatalogSourceConfig;
  target: TargetConfig;
  compile: CompileConfig;
  webhdfs?: WebhdfsConfig;
  safety: SafetyConfig;
  /** keepRuns: journals kept; older complete ones are deleted after a run. */
  state: { dir: string; keepRuns: number };
  daemon: DaemonConfig;
  /** format auto: pretty on a TTY, JSON lines otherwise. */
  log: { level: "trace" | "debug" | "info" | "warn" | "error"; format: "auto" | "json" | "pretty" };
}
