// The typed configuration every module receives. It is built once, validated, by config/load.ts;
// nothing deeper reads environment variables or raw INI.

import type { Perm } from "../acl/entry.ts";
import type { HmsCatalogSource } from "../catalog/hms/options.ts";
import type { DbConnection } from "../db/connection.ts";
import type { HmsGrantsPolicySource } from "../policy/hms-grants/source.ts";
import type { Action } from "../policy/model.ts";
import type { RangerPolicySource } from "../policy/ranger/source.ts";
import type { SentryDbPolicySource } from "../policy/sentry-db/source.ts";

// Each source's options are declared by the module that reads them; the config file is mapped onto them.
export type {
  DbConnection,
  HmsCatalogSource,
  HmsGrantsPolicySource,
  RangerPolicySource,
  SentryDbPolicySource,
};

export interface FilePolicySource {
  type: "file";
  /** Absolute path of the global Sentry policy file. */
  file: string;
  server: string;
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
  /** Active/standby: daemons sharing a database state elect one leader, which alone writes. */
  ha: boolean;
  /** How often the leader confirms its lock and standbys try to take it. */
  haCheckIntervalMs: number;
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
  /** keepRuns: journals kept; older complete ones are deleted after a run. `db` (from `[state] url`)
   * keeps the state in PostgreSQL or MySQL/MariaDB instead of `dir`. */
  state: { dir: string; keepRuns: number; db?: DbConnection };
  daemon: DaemonConfig;
  /** format auto: pretty on a TTY, JSON lines otherwise. */
  log: { level: "trace" | "debug" | "info" | "warn" | "error"; format: "auto" | "json" | "pretty" };
}
