// Sentry's Hive privilege validators (ServersAllIsInvalid, ServerNameMustMatch, DatabaseMustMatch,
// DatabaseRequiredInPrivilege), applied to parsed privilege parts and returning every violation.

import type { Finding } from "./diagnostics.ts";
import type { PrivilegeParts } from "./privilege.ts";

export interface ValidationScope {
  /** The configured server name; privileges must name it. */
  server: string;
  /** Set for a per-database file: its `[databases]` key, lower-cased. */
  database?: string;
}

export function validatePrivilege(parts: PrivilegeParts, text: string, scope: ValidationScope): Finding[] {
  return [
    ...validateServer(parts, text, scope.server),
    ...validateDatabaseScope(parts, text, scope.database),
  ];
}

function validateServer(parts: PrivilegeParts, text: string, server: string): Finding[] {
  if (parts.server === undefined) {
    return [{ code: "GS_POLICY_SERVER_REQUIRED", message: `"${text}" has no server= part` }];
  }
  if (parts.server === "*") {
    return [
      {
        code: "GS_POLICY_SERVER_WILDCARD",
        message: `server=* / server=all is invalid; name the server "${server}" in "${text}"`,
      },
    ];
  }
  if (parts.server !== server.toLowerCase()) {
    return [
      {
        code: "GS_POLICY_SERVER_MISMATCH",
        message: `server=${parts.server} does not match the configured server "${server}" in "${text}"`,
      },
    ];
  }
  return [];
}

function validateDatabaseScope(parts: PrivilegeParts, text: string, database: string | undefined): Finding[] {
  if (database === undefined) return [];
  if (parts.uri !== undefined) {
    return [
      {
        code: "GS_POLICY_URI_IN_DB_FILE",
        message: `uri= is not allowed in the per-database file of "${database}"; move "${text}" to the global file`,
      },
    ];
  }
  if (parts.db === undefined) {
    return [
      {
        code: "GS_POLICY_DB_REQUIRED",
        message: `"${text}" has no db= part; every privilege in the per-database file of "${database}" needs db=${database}`,
      },
    ];
  }
  if (parts.db !== database) {
    return [
      {
        code: "GS_POLICY_DB_MISMATCH",
        message: `db=${parts.db} in the per-database file of "${database}"; only db=${database} is allowed ("${text}")`,
      },
    ];
  }
  return [];
}
