// Ranger's resource matching for Hive names: `*` and `?` wildcards, case-insensitive, `isExcludes`,
// and the level rule (a policy that names a deeper level than the request only counts for `_any`).

import type { NameMatcher, ResourceSet } from "./rules.ts";

/** Lower-cased Hive names; `table` absent for a request on the database itself. */
export interface RangerRequest {
  database: string;
  table?: string;
}

/** `full`: the policy applies; `columns`: it names some columns of the table only; `none`. */
export type ResourceMatch = "full" | "columns" | "none";

function globToRegExp(pattern: string): RegExp {
  let re = "";
  for (const c of pattern) {
    if (c === "*") re += ".*";
    else if (c === "?") re += ".";
    else re += c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${re}$`, "s");
}

const compiled = new Map<string, RegExp>();

export function wildcardMatch(pattern: string, name: string): boolean {
  if (pattern === "*" || pattern === "**") return true;
  if (!pattern.includes("*") && !pattern.includes("?")) return pattern === name;
  let re = compiled.get(pattern);
  if (!re) {
    re = globToRegExp(pattern);
    compiled.set(pattern, re);
  }
  return re.test(name);
}

/** A level whose values match anything, including "level not given". */
export function matchesAll(m: NameMatcher | undefined): boolean {
  return m === undefined || (!m.excludes && m.values.some((v) => v === "*" || v === "**"));
}

export function matchesName(m: NameMatcher, name: string): boolean {
  const hit = m.values.some((v) => v !== "" && wildcardMatch(v, name));
  return m.excludes ? !hit : hit;
}

export function matchResources(set: ResourceSet, req: RangerRequest): ResourceMatch {
  if (!matchesName(set.database, req.database)) return "none";
  if (req.table === undefined) return matchesAll(set.table) && matchesAll(set.column) ? "full" : "none";
  if (set.table === undefined || !matchesName(set.table, req.table)) return "none";
  return matchesAll(set.column) ? "full" : "columns";
}
