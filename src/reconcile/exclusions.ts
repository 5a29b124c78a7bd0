// [target] exclude: directory names (engine staging, job temp dirs) a run neither walks nor writes.
// Patterns are shell globs over one path component: `*` any run of characters, `?` one character.

import { isUnder } from "../paths.ts";

export type ExcludedName = (name: string) => boolean;

export function excludedNames(patterns: readonly string[]): ExcludedName {
  if (patterns.length === 0) return () => false;
  const re = new RegExp(`^(?:${patterns.map(globSource).join("|")})$`, "s");
  return (name) => re.test(name);
}

function globSource(pattern: string): string {
  let out = "";
  for (const ch of pattern) {
    if (ch === "*") out += ".*";
    else if (ch === "?") out += ".";
    else out += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return out;
}

/** Whether any component of `path` below its configured root is an excluded name. */
export function excludedBelowRoot(path: string, roots: readonly string[], excluded: ExcludedName): boolean {
  const root = roots.find((r) => isUnder(path, r));
  const rel = root === undefined ? path : path.slice(root.length);
  return rel.split("/").some((c) => c !== "" && excluded(c));
}
