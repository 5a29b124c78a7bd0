// Where each section and key of the config text sits (the `ini` package keeps no line numbers),
// and the sections and keys schema.ts does not declare, each with FILE:LINE and a did-you-mean.

import type { Diagnostic } from "../errors.ts";
import { SECTIONS } from "./schema.ts";

export interface IniLines {
  /** Line of each section header; keys before any header are in section "". */
  sections: Map<string, number>;
  /** Line of each key, by section. */
  keys: Map<string, Map<string, number>>;
}

/** Scans the text the way `ini` reads it: `[section]` headers, `key = value`, `;` and `#` comments. */
export function iniLines(text: string): IniLines {
  const sections = new Map<string, number>();
  const keys = new Map<string, Map<string, number>>([["", new Map()]]);
  let section = "";
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith(";") || line.startsWith("#")) return;
    const header = /^\[(.*)\]$/.exec(line);
    if (header) {
      section = header[1]!.trim();
      if (!sections.has(section)) sections.set(section, i + 1);
      if (!keys.has(section)) keys.set(section, new Map());
      return;
    }
    const key = line.split("=", 1)[0]!.trim();
    const inSection = keys.get(section)!;
    if (key !== "" && !inSection.has(key)) inSection.set(key, i + 1);
  });
  return { sections, keys };
}

/** The line of `[section] key`, else of `[section]`, else undefined. */
export function lineOf(lines: IniLines, section: string, key?: string): number | undefined {
  return (key === undefined ? undefined : lines.keys.get(section)?.get(key)) ?? lines.sections.get(section);
}

/** `{ line }` of `[section] key` (or of the section), for a Diagnostic; `{}` when it has none. */
export function located(lines: IniLines, section: string | undefined, key?: string): { line?: number } {
  const line = section === undefined ? undefined : lineOf(lines, section, key);
  return line === undefined ? {} : { line };
}

export function unknownNames(lines: IniLines, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const known = Object.keys(SECTIONS);
  const problem = (line: number, message: string): Diagnostic => ({
    severity: "error",
    code: "GS_CONFIG_UNKNOWN",
    message,
    file,
    line,
  });
  for (const [section, keys] of lines.keys) {
    const declared = SECTIONS[section as keyof typeof SECTIONS];
    if (section !== "" && !declared) {
      out.push(
        problem(
          lines.sections.get(section)!,
          `unknown section [${section}]${didYouMean(section, known, "[", "]")}`,
        ),
      );
      continue;
    }
    const keyNames = declared ? Object.keys(declared) : [];
    for (const [key, line] of keys) {
      if (keyNames.includes(key)) continue;
      out.push(
        problem(
          line,
          section === ""
            ? `"${key}" is outside any section; keys belong under a [section] header`
            : `unknown key "${key}" in [${section}]${didYouMean(key, keyNames)}`,
        ),
      );
    }
  }
  return out;
}

function didYouMean(name: string, candidates: string[], open = "", close = ""): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === undefined ? "" : ` (did you mean ${open}${best}${close}?)`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
