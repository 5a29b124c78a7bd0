// Parses one Sentry privilege string (server=S->db=D->table=T->column=C->action=A, uri=, view=) into
// normalized parts, collecting every problem instead of stopping at the first like Sentry's KeyValue.

import type { Finding } from "./diagnostics.ts";
import type { Action } from "./model.ts";

/** Parts as written, normalized: resource names lower-cased, `*`/`ALL` as `*`, URIs untouched. */
export interface PrivilegeParts {
  server?: string;
  db?: string;
  table?: string;
  column?: string;
  view?: string;
  uri?: string;
  action: Action;
}

const ACTIONS: Record<string, Action> = {
  select: "select",
  insert: "insert",
  alter: "alter",
  create: "create",
  drop: "drop",
  index: "index",
  lock: "lock",
  all: "all",
  "*": "all",
  owner: "owner",
};

type PartKey = "server" | "db" | "uri" | "table" | "view" | "column" | "action" | "grantoption";

/** Depth of each key: parts must go strictly deeper, and uri sits where db would. */
const RANK: Record<PartKey, number> = {
  server: 0,
  db: 1,
  uri: 1,
  table: 2,
  view: 2,
  column: 3,
  action: 4,
  grantoption: 5,
};

const PARENT: Partial<Record<PartKey, PartKey>> = { table: "db", view: "db", column: "table" };

// AccessURI needs a scheme, the literal "://" and an absolute path; any scheme is allowed.
const URI_SHAPE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*\//;

function isPartKey(key: string): key is PartKey {
  return Object.hasOwn(RANK, key);
}

function resourceName(value: string): string {
  const lower = value.toLowerCase();
  return lower === "all" ? "*" : lower;
}

export function parsePrivilege(text: string): { parts: PrivilegeParts; findings: Finding[] } {
  const findings: Finding[] = [];
  const parts: PrivilegeParts = { action: "all" };
  const seen: PartKey[] = [];
  for (const rawPart of text.split("->")) {
    const part = rawPart.trim();
    const eq = part.indexOf("=");
    if (eq < 0) {
      findings.push(partWithoutEquals(part, text));
      continue;
    }
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    if (key === "" || value === "") {
      const what = key === "" ? "an empty key" : `an empty value for ${key}=`;
      findings.push({ code: "GS_POLICY_EMPTY_VALUE", message: `"${part}" has ${what} in "${text}"` });
      continue;
    }
    if (!isPartKey(key)) {
      findings.push({
        code: "GS_POLICY_UNKNOWN_KEY",
        message: `unknown key "${key}" in "${text}"; use server, db, table, column, view, uri or action`,
      });
      continue;
    }
    const misplaced = placementProblem(key, seen);
    if (misplaced) findings.push({ code: "GS_POLICY_HIERARCHY", message: `${misplaced} in "${text}"` });
    seen.push(key);
    assign(parts, key, value, text, findings);
  }
  return { parts, findings };
}

function partWithoutEquals(part: string, text: string): Finding {
  if (part === "") return { code: "GS_POLICY_SYNTAX", message: `empty part between "->" in "${text}"` };
  if (Object.hasOwn(ACTIONS, part.toLowerCase())) {
    return {
      code: "GS_POLICY_SYNTAX",
      message: `"${part}" is the legacy action form, which Sentry rejects; write action=${part} in "${text}"`,
    };
  }
  return { code: "GS_POLICY_SYNTAX", message: `part "${part}" has no "=" in "${text}"` };
}

function placementProblem(key: PartKey, seen: PartKey[]): string | undefined {
  if (seen.includes(key)) return `${key}= appears twice`;
  const deeper = seen.find((k) => RANK[k] >= RANK[key]);
  if (deeper) return `${key}= cannot follow ${deeper}=`;
  const parent = PARENT[key];
  if (parent && !seen.includes(parent)) return `${key}= needs a ${parent}= before it`;
  return undefined;
}

function assign(parts: PrivilegeParts, key: PartKey, value: string, text: string, findings: Finding[]): void {
  switch (key) {
    case "action": {
      const action = ACTIONS[value.toLowerCase()];
      if (action) parts.action = action;
      else {
        findings.push({
          code: "GS_POLICY_ACTION",
          message: `unknown action "${value}" in "${text}"; use ${Object.keys(ACTIONS).join(", ")}`,
        });
      }
      return;
    }
    case "grantoption":
      findings.push({
        code: "GS_POLICY_GRANT_OPTION",
        message: `grantoption=${value} is rejected by Sentry's policy file validators; grant options exist only in the Sentry DB store ("${text}")`,
      });
      return;
    case "uri":
      if (!URI_SHAPE.test(value)) {
        findings.push({
          code: "GS_POLICY_URI",
          message: `uri=${value} must be scheme://authority/absolute/path, e.g. hdfs://nn:8020/data or file:///data ("${text}")`,
        });
      }
      parts.uri = value;
      return;
    default:
      parts[key] = resourceName(value);
  }
}
