// Every code a user can see, listed once: what it means and what to do about it (the hint printed
// under an error), whether a policy or locations file reports it as an error or a warning, and for a
// target's own failures the target-neutral family the engine acts on. errors.ts types GsError and
// Diagnostic with these keys, so an unlisted code does not compile; docs/ERRORS.md lists the same.

/** What the reconcile engine knows of a target's failure: no target-specific code, only its family. */
export type TargetFamily = "GS_TARGET_UNAVAILABLE" | "GS_TARGET_AUTH";

export interface CodeInfo {
  /** What it means and what to do; a GsError's default hint. */
  readonly hint: string;
  /** Fixed for codes a policy or locations file reports: an error stops the load, a warning does not. */
  readonly severity?: "error" | "warning";
  /** A target's own code for a failure the engine treats as its target-neutral family. */
  readonly family?: TargetFamily;
}

export const ERROR_CODES = {
  // The config file and the host it runs on.
  GS_CONFIG_READ: { hint: "Check that the config file exists and is readable." },
  GS_CONFIG_INVALID: {
    hint: "Fix the config key named in the message; see config/grantsync.ini for an example.",
  },
  GS_CONFIG_UNKNOWN: {
    hint: "Fix the spelling or remove the line; config/grantsync.ini shows every section and key.",
  },
  GS_CONFIG_ENVIRONMENT: { hint: "Create the directory named, or fix the config key that names it." },

  // Policy files (Sentry INI), Ranger exports and database grant sources.
  GS_POLICY_READ: {
    severity: "error",
    hint: "Check that the policy file exists and is readable by grantsync.",
  },
  GS_POLICY_SYNTAX: {
    severity: "error",
    hint: "Fix the line named; Sentry policy files are Shiro INI (key = value, whole-line comments).",
  },
  GS_POLICY_INVALID: {
    hint: "Fix the privilege named; it must look like server=S->db=D->table=T->action=A.",
  },
  GS_POLICY_ERRORS: { hint: "Run `grantsync validate` to list every error; nothing was changed." },
  GS_POLICY_UNKNOWN_SECTION: {
    severity: "error",
    hint: "A policy file has only [groups], [roles], [users] and [databases]; fix the section name.",
  },
  GS_POLICY_SECTION_NOT_ALLOWED: {
    severity: "error",
    hint: "[users] and [databases] belong in the global policy file, not in a per-database file.",
  },
  GS_POLICY_SECTION_MISSING: {
    severity: "error",
    hint: "A policy file needs a [groups] or [roles] section.",
  },
  GS_POLICY_UNKNOWN_KEY: {
    severity: "error",
    hint: "A privilege part's key must be a Sentry authorizable: server, db, table, column, view, uri or action.",
  },
  GS_POLICY_EMPTY_VALUE: {
    severity: "error",
    hint: "A privilege part has an empty key or value; write key=value.",
  },
  GS_POLICY_HIERARCHY: {
    severity: "error",
    hint: "Privilege parts run server, db, table, column, each once and under its parent: server=S->db=D->table=T.",
  },
  GS_POLICY_SERVER_REQUIRED: { severity: "error", hint: "Every privilege starts with server=; add it." },
  GS_POLICY_SERVER_WILDCARD: {
    severity: "error",
    hint: "server=* and server=all are refused; name the server, as [policy] server does.",
  },
  GS_POLICY_SERVER_MISMATCH: {
    severity: "error",
    hint: "server= names another server than [policy] server; fix the privilege or the config.",
  },
  GS_POLICY_DB_REQUIRED: {
    severity: "error",
    hint: "A privilege in a per-database file must name its database with db=.",
  },
  GS_POLICY_DB_MISMATCH: {
    severity: "error",
    hint: "db= names another database than the per-database file's own; move the privilege.",
  },
  GS_POLICY_URI_IN_DB_FILE: {
    severity: "error",
    hint: "uri= privileges belong in the global policy file, not in a per-database file.",
  },
  GS_POLICY_URI: {
    severity: "error",
    hint: "A uri= value must be scheme://authority/absolute-path (hdfs://nn/data, file:///data).",
  },
  GS_POLICY_ACTION: {
    severity: "error",
    hint: "Use a known action= (the message lists them); the legacy form ...->select is not accepted.",
  },
  GS_POLICY_GRANT_OPTION: { severity: "error", hint: "Remove grantoption=; a policy file cannot grant it." },
  GS_POLICY_ROLE_UNDEFINED: {
    severity: "warning",
    hint: "A group names a role its file does not define; define the role or drop it from the group.",
  },
  GS_POLICY_GROUP_UNDEFINED: {
    severity: "warning",
    hint: "A [users] group that no file maps to a role with privileges grants nothing; map it or drop it.",
  },
  GS_POLICY_DUPLICATE_KEY: {
    severity: "warning",
    hint: "A role, group, user or database is defined twice; only the later definition is used, as in Sentry.",
  },
  GS_POLICY_EMPTY_LIST: {
    severity: "warning",
    hint: "An empty role, group or privilege list grants nothing; fill it or remove it.",
  },
  GS_POLICY_VIEW_IGNORED: {
    severity: "warning",
    hint: "A view= privilege has no filesystem location, so it gives no ACL.",
  },

  // The catalog of locations: a locations file or the Hive Metastore.
  GS_CATALOG_READ: { severity: "error", hint: "Check that the locations source is reachable and readable." },
  GS_CATALOG_SYNTAX: { severity: "error", hint: "Fix the locations file line named." },
  GS_CATALOG_INVALID: {
    severity: "error",
    hint: "A location must be an absolute path, file:///path or hdfs://authority/path.",
  },
  GS_CATALOG_UNKNOWN_SECTION: {
    severity: "error",
    hint: "A locations file has only [databases], [tables] and [partitions]; fix the section name.",
  },
  GS_CATALOG_TABLE_NAME: {
    severity: "error",
    hint: "Write a table as db.table in [tables] and [partitions].",
  },
  GS_CATALOG_EMPTY_VALUE: {
    severity: "error",
    hint: "A database, table or partition entry has no location; give one or remove the line.",
  },
  GS_CATALOG_DUPLICATE: {
    severity: "error",
    hint: "A name is listed twice (names are case-insensitive); keep one line.",
  },
  GS_CATALOG_UNKNOWN_TABLE: {
    severity: "error",
    hint: "[partitions] names a table that is not in [tables]; add the table or fix the name.",
  },
  GS_CATALOG_UNKNOWN_DATABASE: {
    severity: "warning",
    hint: "A table's database is not in [databases]; add the database or fix the table name.",
  },

  // Grant sources in a database, and the principals they name.
  GS_DB_CONNECT: { hint: "Check the database URL, that the server is running, and the password file." },
  GS_DB_QUERY: { hint: "Check that the database holds the expected schema (Hive Metastore or Sentry)." },
  GS_PRINCIPAL_INVALID: {
    hint: "Rename the user or group in the source: names hold no , : # whitespace or control characters, and must be valid on the target.",
  },
  GS_RANGER_UNAVAILABLE: {
    hint: "Ranger Admin did not answer; check [policy] url, the network and ca_file.",
  },
  GS_RANGER_AUTH: {
    hint: "Ranger Admin refused the login; check [policy] username and password_file (an Admin or Auditor account).",
  },
  GS_RANGER_RESPONSE: {
    hint: "Ranger Admin answered with something other than policies; check [policy] url and service.",
  },
  GS_PRINCIPAL_UNKNOWN: {
    hint: "Create the user or group on this host (or in LDAP/SSSD), or remove the grant.",
  },

  // What compiling the grants leaves out.
  GS_LOCATION_IGNORED: {
    hint: "A catalog location is outside every [target] root (or not a path the target manages), so it gets no ACL; widen roots if it is yours.",
  },
  GS_OBJECT_UNLOCATED: {
    hint: "A grant names a database or table no catalog locates, so it gives no ACL; add its location or fix the name.",
  },
  GS_GRANT_IGNORED: {
    hint: "A grant that by design gives no file ACL (server-level, column-level, URI without uri_grants, an action without file access).",
  },

  // ACLs and paths on the target.
  GS_ACL_SPEC: { hint: "An ACL entry looks like [default:]user|group|mask|other:[name]:rwx." },
  GS_ACL_TOO_MANY: {
    hint: "Reduce the number of principals granted on this path; the target caps ACL entries.",
  },
  GS_ACL_CHANGED: {
    hint: "The ACL changed between reading and writing; the next run picks up the new state.",
  },
  GS_MASK_EXPOSES: {
    hint: "Our entries need a wider mask, and entries not ours would gain access through it; narrow those entries or accept it with an entry of your own.",
  },
  GS_PATH_OUTSIDE_ROOTS: {
    hint: "Only paths under [target] roots are managed; widen roots if this path is yours.",
  },
  GS_PATH_UNSAFE: {
    hint: "The path is a symlink, hard link or special file; grantsync never writes through it.",
  },
  GS_TRAVERSE_MISSING: {
    hint: "Grantees cannot pass this directory to reach their locations ([compile] traverse = false); grant them x here or chmod o+x.",
  },
  GS_TRAVERSE_LIMIT: {
    hint: "The traverse entries needed here would pass the target's ACL entry limit, so none are written; let everyone pass instead (chmod o+x).",
  },
  GS_TRAVERSE_ABOVE_ROOT: {
    hint: "A directory above a root has no x for these grantees; grantsync never writes above a root, so chmod o+x or add an entry of your own.",
  },

  // The target: its neutral failure families first, then each target's own codes.
  GS_TARGET_IO: { hint: "The target refused an operation; see the cause for the errno or exception." },
  GS_TARGET_UNAVAILABLE: {
    hint: "The target did not answer, so the run stopped before anything more was written; the next run converges.",
  },
  GS_TARGET_AUTH: {
    hint: "The target refused grantsync's credentials, so the run stopped before anything more was written.",
  },
  GS_WEBHDFS_REMOTE: { hint: "The NameNode answered with an exception; see javaClassName and message." },
  GS_WEBHDFS_UNAVAILABLE: {
    hint: "No NameNode answered; check [webhdfs] namenodes and that one is active.",
    family: "GS_TARGET_UNAVAILABLE",
  },
  GS_WEBHDFS_AUTH: {
    hint: "Authentication failed; check [webhdfs] user, principal and keytab.",
    family: "GS_TARGET_AUTH",
  },
  GS_KERBEROS_MISSING: {
    hint: "Install the Kerberos build tools (apt-get install libkrb5-dev python3 make g++), then run `npm rebuild kerberos` in grantsync's folder.",
  },

  // Plans, state, journal and the daemon.
  GS_CIRCUIT_BREAKER: {
    hint: "The plan removes more entries than [safety] max_removals allows; review it, then use --force.",
  },
  GS_PLAN_STALE: { hint: "The ACLs changed since the plan was made; run `grantsync plan` again." },
  GS_PLAN_READ: { hint: "The saved plan file is unreadable or was made for another config." },
  GS_STATE: { hint: "The state directory is unreadable or corrupt; check [state] dir." },
  GS_STATE_UNSAFE: {
    hint: "The state directory and everything in it must be owned by the user grantsync runs as, writable by no one else, and hold no symlinks; fix the owner or mode named.",
  },
  GS_JOURNAL: { hint: "The journal is unreadable; check the state directory." },
  GS_JOURNAL_WRITE: {
    hint: "Free space where [state] dir lives (or fix the error named), then apply again; every path written so far is journaled and undoable.",
  },
  GS_RUN_UNKNOWN: { hint: "List runs with `grantsync runs`; undo takes one of those ids." },
  GS_LOCKED: { hint: "Another grantsync process holds the state lock; stop it or wait for it." },
  GS_LEADERSHIP_LOST: {
    hint: "The state database lock was lost (session ended, or another host took over); nothing more was written.",
  },
  GS_DAEMON_LISTEN: {
    hint: "Another process uses [daemon] listen's address; stop it or choose another port.",
  },
  GS_USAGE: { hint: "See `grantsync --help`." },
  GS_INTERNAL: { hint: "This is a bug in grantsync; please report it with the command and its output." },
} as const satisfies Record<`GS_${string}`, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes whose severity the catalog fixes (policy and locations file problems). */
export type FileProblemCode = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K] extends { severity: string } ? K : never;
}[ErrorCode];

// A family is a code too, so a target without codes of its own raises it directly.
type Holds<T extends true> = T;
export type FamiliesAreCodes = Holds<TargetFamily extends ErrorCode ? true : false>;

/** The target-neutral family of a code: the code itself when it is one, or the family it declares. */
export function targetFamily(code: ErrorCode): TargetFamily | undefined {
  if (code === "GS_TARGET_UNAVAILABLE" || code === "GS_TARGET_AUTH") return code;
  const info: CodeInfo = ERROR_CODES[code];
  return info.family;
}

export function severityOf(code: FileProblemCode): "error" | "warning" {
  return ERROR_CODES[code].severity;
}
