// Every problem a policy file can have: one catalog of stable codes with their severity, so the
// parser, the validators and `grantsync validate` agree on what is fatal and what is only a warning.

import type { Diagnostic } from "../errors.ts";

export const POLICY_DIAGNOSTICS = {
  GS_POLICY_READ: { severity: "error", about: "a policy file (global or per-database) cannot be read" },
  GS_POLICY_SYNTAX: { severity: "error", about: "a line or privilege that is not Shiro INI / key=value" },
  GS_POLICY_UNKNOWN_SECTION: {
    severity: "error",
    about: "a section other than groups, roles, users, databases",
  },
  GS_POLICY_SECTION_NOT_ALLOWED: {
    severity: "error",
    about: "[users] or [databases] in a per-database file",
  },
  GS_POLICY_SECTION_MISSING: { severity: "error", about: "a file without [groups] or [roles]" },
  GS_POLICY_UNKNOWN_KEY: {
    severity: "error",
    about: "a privilege part whose key is not a Sentry authorizable",
  },
  GS_POLICY_EMPTY_VALUE: { severity: "error", about: "a privilege part with an empty key or value" },
  GS_POLICY_HIERARCHY: {
    severity: "error",
    about: "privilege parts repeated, out of order or missing a parent",
  },
  GS_POLICY_SERVER_REQUIRED: { severity: "error", about: "a privilege without server=" },
  GS_POLICY_SERVER_WILDCARD: { severity: "error", about: "server=* or server=all" },
  GS_POLICY_SERVER_MISMATCH: {
    severity: "error",
    about: "server= names another server than the configured one",
  },
  GS_POLICY_DB_REQUIRED: { severity: "error", about: "a privilege without db= in a per-database file" },
  GS_POLICY_DB_MISMATCH: {
    severity: "error",
    about: "db= names another database than the per-database file's",
  },
  GS_POLICY_URI_IN_DB_FILE: { severity: "error", about: "uri= in a per-database file" },
  GS_POLICY_URI: { severity: "error", about: "a uri= value that is not scheme://authority/absolute-path" },
  GS_POLICY_ACTION: { severity: "error", about: "an unknown action, or the legacy form ...->select" },
  GS_POLICY_GRANT_OPTION: { severity: "error", about: "grantoption= in a policy file" },
  GS_POLICY_ROLE_UNDEFINED: { severity: "warning", about: "a group names a role its file does not define" },
  GS_POLICY_GROUP_UNDEFINED: {
    severity: "warning",
    about: "a [users] group that no file maps to a role with privileges",
  },
  GS_POLICY_DUPLICATE_KEY: { severity: "warning", about: "a role, group, user or database defined twice" },
  GS_POLICY_EMPTY_LIST: { severity: "warning", about: "an empty role, group or privilege list" },
  GS_POLICY_VIEW_IGNORED: {
    severity: "warning",
    about: "a view= privilege, which has no filesystem location",
  },
} as const satisfies Record<string, { severity: Diagnostic["severity"]; about: string }>;

export type PolicyCode = keyof typeof POLICY_DIAGNOSTICS;

/** A problem found before its file and line are known (privilege parsing works on text alone). */
export interface Finding {
  code: PolicyCode;
  message: string;
}

export function policyDiagnostic(code: PolicyCode, message: string, file: string, line?: number): Diagnostic {
  return { severity: POLICY_DIAGNOSTICS[code].severity, code, message, file, ...(line ? { line } : {}) };
}
