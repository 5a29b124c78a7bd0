// Every error a user can see: one catalog of stable codes, each with the hint that says what to do.
// Code elsewhere throws GsError with one of these codes; nothing throws strings.

import { scrubText } from "./secrets.ts";

export const ERROR_CATALOG = {
  GS_CONFIG_READ: "Check that the config file exists and is readable.",
  GS_CONFIG_INVALID: "Fix the config key named in the message; see config/grantsync.ini for an example.",
  GS_CONFIG_UNKNOWN: "Fix the spelling or remove the line; config/grantsync.ini shows every section and key.",
  GS_CONFIG_ENVIRONMENT: "Create the directory named, or fix the config key that names it.",
  GS_POLICY_READ: "Check that the policy file exists and is readable by grantsync.",
  GS_POLICY_SYNTAX:
    "Fix the line named; Sentry policy files are Shiro INI (key = value, whole-line comments).",
  GS_POLICY_INVALID: "Fix the privilege named; it must look like server=S->db=D->table=T->action=A.",
  GS_POLICY_ERRORS: "Run `grantsync validate` to list every error; nothing was changed.",
  GS_CATALOG_READ: "Check that the locations source is reachable and readable.",
  GS_CATALOG_SYNTAX: "Fix the locations file line named.",
  GS_CATALOG_INVALID: "A location must be an absolute path, file:///path or hdfs://authority/path.",
  GS_DB_CONNECT: "Check the database URL, that the server is running, and the password file.",
  GS_DB_QUERY: "Check that the database holds the expected schema (Hive Metastore or Sentry).",
  GS_PRINCIPAL_INVALID:
    "Rename the user or group in the source: names hold no , : # whitespace or control characters, and must be valid on the target.",
  GS_RANGER_UNAVAILABLE: "Ranger Admin did not answer; check [policy] url, the network and ca_file.",
  GS_RANGER_AUTH:
    "Ranger Admin refused the login; check [policy] username and password_file (an Admin or Auditor account).",
  GS_RANGER_RESPONSE:
    "Ranger Admin answered with something other than policies; check [policy] url and service.",
  GS_PRINCIPAL_UNKNOWN: "Create the user or group on this host (or in LDAP/SSSD), or remove the grant.",
  GS_ACL_SPEC: "An ACL entry looks like [default:]user|group|mask|other:[name]:rwx.",
  GS_ACL_TOO_MANY: "Reduce the number of principals granted on this path; the target caps ACL entries.",
  GS_PATH_OUTSIDE_ROOTS: "Only paths under [target] roots are managed; widen roots if this path is yours.",
  GS_PATH_UNSAFE: "The path is a symlink, hard link or special file; grantsync never writes through it.",
  GS_ACL_CHANGED: "The ACL changed between reading and writing; the next run picks up the new state.",
  GS_TARGET_IO: "The target refused an operation; see the cause for the errno or exception.",
  GS_WEBHDFS_REMOTE: "The NameNode answered with an exception; see javaClassName and message.",
  GS_WEBHDFS_UNAVAILABLE: "No NameNode answered; check [webhdfs] namenodes and that one is active.",
  GS_WEBHDFS_AUTH: "Authentication failed; check [webhdfs] user, principal and keytab.",
  GS_KERBEROS_MISSING:
    "Install the Kerberos build tools (apt-get install libkrb5-dev python3 make g++), then run `npm rebuild kerberos` in grantsync's folder.",
  GS_CIRCUIT_BREAKER:
    "The plan removes more entries than [safety] max_removals allows; review it, then use --force.",
  GS_PLAN_STALE: "The ACLs changed since the plan was made; run `grantsync plan` again.",
  GS_PLAN_READ: "The saved plan file is unreadable or was made for another config.",
  GS_STATE: "The state directory is unreadable or corrupt; check [state] dir.",
  GS_STATE_UNSAFE:
    "The state directory and everything in it must be owned by the user grantsync runs as, writable by no one else, and hold no symlinks; fix the owner or mode named.",
  GS_JOURNAL: "The journal is unreadable; check the state directory.",
  GS_JOURNAL_WRITE:
    "Free space where [state] dir lives (or fix the error named), then apply again; every path written so far is journaled and undoable.",
  GS_RUN_UNKNOWN: "List runs with `grantsync runs`; undo takes one of those ids.",
  GS_LOCKED: "Another grantsync process holds the state lock; stop it or wait for it.",
  GS_LEADERSHIP_LOST:
    "The state database lock was lost (session ended, or another host took over); nothing more was written.",
  GS_DAEMON_LISTEN: "Another process uses [daemon] listen's address; stop it or choose another port.",
  GS_USAGE: "See `grantsync --help`.",
  GS_INTERNAL: "This is a bug in grantsync; please report it with the command and its output.",
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ErrorDetails {
  /** Where the bad input is: `file:line`, a path, a URL without credentials, a principal. */
  location?: string;
  /** The offending input itself (never a secret). */
  input?: unknown;
  /** Overrides the catalog hint when the caller knows better. */
  hint?: string;
  cause?: unknown;
}

export class GsError extends Error {
  readonly code: ErrorCode;
  readonly location?: string;
  readonly input?: unknown;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "GsError";
    this.code = code;
    this.location = details.location;
    this.input = details.input;
    this.hint = details.hint ?? ERROR_CATALOG[code];
  }

  /** `LOCATION: CODE message`, the form every error takes on a terminal, secrets scrubbed. */
  format(): string {
    const where = this.location ? `${this.location}: ` : "";
    return scrubText(`${where}${this.code} ${this.message}`);
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: scrubText(this.message),
      ...(this.location ? { location: this.location } : {}),
      ...(this.input === undefined ? {} : { input: this.input }),
      hint: this.hint,
    };
  }
}

export function isGsError(err: unknown, code?: ErrorCode): err is GsError {
  return err instanceof GsError && (code === undefined || err.code === code);
}

/** Wraps anything thrown into a GsError, keeping GsErrors as they are. */
export function toGsError(
  err: unknown,
  code: ErrorCode = "GS_INTERNAL",
  details: ErrorDetails = {},
): GsError {
  if (err instanceof GsError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GsError(code, message, { ...details, cause: err });
}

/** A problem found in an input file; many are collected before anything is refused. */
export interface Diagnostic {
  severity: "error" | "warning";
  code: string;
  message: string;
  file?: string;
  line?: number;
}

/** A diagnostic that stops the command, thrown at its FILE:LINE. */
export function diagnosticError(d: Diagnostic): GsError {
  const location = d.file === undefined ? undefined : d.line === undefined ? d.file : `${d.file}:${d.line}`;
  const code = (d.code in ERROR_CATALOG ? d.code : "GS_CONFIG_INVALID") as ErrorCode;
  return new GsError(code, d.message, location === undefined ? {} : { location });
}

export function formatDiagnostic(d: Diagnostic): string {
  return scrubText(`${diagnosticWhere(d)}${d.code} ${d.message}`);
}

/** `FILE:LINE: ` or `FILE: ` or "". */
export function diagnosticWhere(d: Diagnostic): string {
  return d.file ? `${d.file}${d.line ? `:${d.line}` : ""}: ` : "";
}
