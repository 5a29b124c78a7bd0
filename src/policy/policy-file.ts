// Turns the text of one Sentry policy file (global or per-database) into its roles, group and user
// mappings and per-database references, with a diagnostic for every problem and the line it starts on.

import type { Diagnostic } from "../errors.ts";
import { type IniEntry, type IniSection, lineAt, readShiroIni, splitQuotedList } from "../text/shiro-ini.ts";
import { type PolicyCode, policyDiagnostic } from "./diagnostics.ts";
import type { Privilege } from "./model.ts";
import { parsePrivilege } from "./privilege.ts";
import { type ValidationScope, validatePrivilege } from "./validate.ts";

export interface RoleDefinition {
  name: string;
  line: number;
  privileges: Privilege[];
}

/** `group = role, ...` or `user = group, ...`. */
export interface NameMapping {
  name: string;
  members: string[];
  line: number;
}

export interface DatabaseFileRef {
  /** Lower-cased, as Sentry keys it. */
  db: string;
  /** As written: relative paths resolve against the global file's directory. */
  path: string;
  line: number;
}

export interface PolicyFileContent {
  file: string;
  /** Scoped to this file: its [groups] resolve only against these. */
  roles: Map<string, RoleDefinition>;
  groups: NameMapping[];
  users: NameMapping[];
  databases: DatabaseFileRef[];
}

const GLOBAL_SECTIONS = ["groups", "roles", "users", "databases"];
const PER_DATABASE_SECTIONS = ["groups", "roles"];

export function parsePolicyText(
  text: string,
  file: string,
  scope: ValidationScope,
): { content: PolicyFileContent; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (code: PolicyCode, message: string, line?: number) =>
    diagnostics.push(policyDiagnostic(code, message, file, line));
  const doc = readShiroIni(text);
  for (const p of doc.problems) report("GS_POLICY_SYNTAX", p.message, p.line);

  const content: PolicyFileContent = { file, roles: new Map(), groups: [], users: [], databases: [] };
  const allowed = scope.database === undefined ? GLOBAL_SECTIONS : PER_DATABASE_SECTIONS;
  const sections = new Map<string, IniSection>();
  for (const section of doc.sections) {
    if (allowed.includes(section.name)) sections.set(section.name, section);
    else if (GLOBAL_SECTIONS.includes(section.name)) {
      report(
        "GS_POLICY_SECTION_NOT_ALLOWED",
        `[${section.name}] is not allowed in the per-database file of "${scope.database}"; move it to the global file`,
        section.line,
      );
    } else {
      report(
        "GS_POLICY_UNKNOWN_SECTION",
        `unknown section [${section.name}]; use ${allowed.map((s) => `[${s}]`).join(", ")}`,
        section.line,
      );
    }
  }
  for (const required of ["groups", "roles"]) {
    if (!sections.get(required)?.entries.length) {
      report("GS_POLICY_SECTION_MISSING", `no [${required}] entries; Sentry ignores a file without them`);
    }
  }

  const roles = sections.get("roles")?.entries ?? [];
  const once = (entries: IniEntry[], kind: string, normalize = (k: string) => k) =>
    lastDefinitions(entries, kind, normalize, report);
  for (const entry of once(roles, "role")) {
    content.roles.set(entry.key, { name: entry.key, line: entry.line, privileges: [] });
  }
  for (const entry of roles) {
    const role = content.roles.get(entry.key);
    // A shadowed earlier definition is still checked, so its errors surface before it is deleted.
    const privileges = parseRolePrivileges(entry, file, scope, report);
    if (role && role.line === entry.line) role.privileges = privileges;
  }
  content.groups = mappings(once(sections.get("groups")?.entries ?? [], "group"), "roles", report);
  content.users = mappings(once(sections.get("users")?.entries ?? [], "user"), "groups", report);
  for (const entry of once(sections.get("databases")?.entries ?? [], "database", (k) => k.toLowerCase())) {
    const db = entry.key.toLowerCase();
    if (entry.value === "")
      report("GS_POLICY_EMPTY_VALUE", `database "${db}" has no policy file path`, entry.line);
    else content.databases.push({ db, path: entry.value, line: entry.line });
  }
  return { content, diagnostics };
}

type Report = (code: PolicyCode, message: string, line?: number) => void;

/** Shiro keeps the last of repeated keys; we keep that meaning but say so. */
function lastDefinitions(
  entries: IniEntry[],
  kind: string,
  normalize: (key: string) => string,
  report: Report,
): IniEntry[] {
  const last = new Map<string, IniEntry>();
  for (const entry of entries) {
    const key = normalize(entry.key);
    const earlier = last.get(key);
    if (earlier) {
      report(
        "GS_POLICY_DUPLICATE_KEY",
        `${kind} "${key}" defined twice (lines ${earlier.line} and ${entry.line}); only the later definition is used, as in Sentry`,
        entry.line,
      );
      last.delete(key);
    }
    last.set(key, entry);
  }
  return [...last.values()].sort((a, b) => a.line - b.line);
}

function mappings(entries: IniEntry[], memberKind: string, report: Report): NameMapping[] {
  return entries.map((entry) => {
    // Sentry splits group and user lists without quoting, trimming and omitting empty names.
    const members = [
      ...new Set(
        entry.value
          .split(",")
          .map((m) => m.trim())
          .filter((m) => m !== ""),
      ),
    ];
    if (members.length === 0)
      report("GS_POLICY_EMPTY_LIST", `"${entry.key}" lists no ${memberKind}`, entry.line);
    return { name: entry.key, members, line: entry.line };
  });
}

function parseRolePrivileges(
  entry: IniEntry,
  file: string,
  scope: ValidationScope,
  report: Report,
): Privilege[] {
  const { items, unterminatedQuoteAt } = splitQuotedList(entry.value);
  if (unterminatedQuoteAt !== undefined) {
    report("GS_POLICY_SYNTAX", `unterminated " in role "${entry.key}"`, lineAt(entry, unterminatedQuoteAt));
  }
  const privileges: Privilege[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const line = lineAt(entry, item.offset);
    if (item.text === "") {
      if (entry.value !== "") report("GS_POLICY_EMPTY_LIST", `empty privilege in role "${entry.key}"`, line);
      continue;
    }
    if (seen.has(item.text)) continue;
    seen.add(item.text);
    const { parts, findings } = parsePrivilege(item.text);
    findings.push(...validatePrivilege(parts, item.text, scope));
    for (const f of findings) report(f.code, f.message, line);
    const { view, server, ...resource } = parts;
    if (findings.length > 0 || server === undefined) continue;
    if (view !== undefined) {
      report("GS_POLICY_VIEW_IGNORED", `"${item.text}" grants on a view, which has no location`, line);
      continue;
    }
    privileges.push({ ...resource, server, text: item.text, source: { file, line } });
  }
  if (entry.value === "") report("GS_POLICY_EMPTY_LIST", `role "${entry.key}" has no privileges`, entry.line);
  return privileges;
}
