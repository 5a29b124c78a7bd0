// Reads Shiro-style INI text (Sentry policy files, the locations file) into sections of key/value
// entries that remember the line they start on, reporting malformed lines instead of skipping them.

/** A key/value entry; `segments` map offsets in `value` back to the physical lines they came from. */
export interface IniEntry {
  key: string;
  value: string;
  /** 1-based line where the entry (its key) starts. */
  line: number;
  segments: readonly { offset: number; line: number }[];
}

export interface IniSection {
  /** Case-sensitive, as Shiro keeps it. */
  name: string;
  line: number;
  /** In file order, duplicates included: each caller decides what a repeated key means. */
  entries: IniEntry[];
}

export interface IniProblem {
  line: number;
  message: string;
}

export interface IniDocument {
  sections: IniSection[];
  problems: IniProblem[];
}

interface Piece {
  text: string;
  line: number;
}

/** Shiro continues a line that ends in an odd number of backslashes (an even number is escaped text). */
function isContinued(trimmed: string): boolean {
  let count = 0;
  for (let i = trimmed.length - 1; i >= 0 && trimmed[i] === "\\"; i--) count++;
  return count % 2 === 1;
}

/**
 * Parses INI text the way Shiro's `Ini` does, with three deliberate differences: a line that is not
 * `key = value` (or `key: value`), a key before any section, a repeated section header and a
 * continuation that runs into a header or the end of the file are reported, where Shiro guesses,
 * ignores or silently drops them.
 */
export function readShiroIni(text: string): IniDocument {
  const sections: IniSection[] = [];
  const problems: IniProblem[] = [];
  const byName = new Map<string, IniSection>();
  let current: IniSection | undefined;
  let pending: Piece[] = [];

  const flush = () => {
    const pieces = pending;
    pending = [];
    const first = pieces[0];
    if (!first) return;
    const entry = toEntry(pieces, problems);
    if (!entry) return;
    if (current) current.entries.push(entry);
    else problems.push({ line: first.line, message: `"${entry.key}" appears before any [section] header` });
  };

  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith(";")) return;
    if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
      const open = pending[0];
      if (open) {
        problems.push({
          line: open.line,
          message: `the line ends with a continuation backslash but the next line is the header ${trimmed}`,
        });
        pending = [];
      }
      current = openSection(trimmed.slice(1, -1).trim(), line, byName, sections, problems);
      return;
    }
    const continued = isContinued(trimmed);
    pending.push({ text: continued ? trimmed.slice(0, -1) : trimmed, line });
    if (!continued) flush();
  });
  const open = pending[0];
  if (open) {
    problems.push({ line: open.line, message: "the file ends inside a line continued with a backslash" });
  }
  return { sections, problems };
}

function openSection(
  name: string,
  line: number,
  byName: Map<string, IniSection>,
  sections: IniSection[],
  problems: IniProblem[],
): IniSection | undefined {
  if (name === "") {
    problems.push({ line, message: "empty section name []" });
    return { name, line, entries: [] };
  }
  const earlier = byName.get(name);
  if (earlier) {
    // Shiro would keep only the later section and silently drop the earlier one's entries.
    problems.push({
      line,
      message: `section [${name}] appears again (first at line ${earlier.line}); merge the two into one`,
    });
    return earlier;
  }
  const section = { name, line, entries: [] };
  byName.set(name, section);
  sections.push(section);
  return section;
}

/** Splits a logical line at the first `=` or `:`; Shiro also splits at whitespace, which we refuse. */
function toEntry(pieces: Piece[], problems: IniProblem[]): IniEntry | undefined {
  const first = pieces[0]!;
  let logical = "";
  const starts: { offset: number; line: number }[] = [];
  for (const p of pieces) {
    starts.push({ offset: logical.length, line: p.line });
    logical += p.text;
  }
  const sep = logical.search(/[=:]/);
  if (sep < 0) {
    problems.push({ line: first.line, message: `expected "key = value", found "${logical}"` });
    return undefined;
  }
  const key = logical.slice(0, sep).trim();
  if (key === "") {
    problems.push({ line: first.line, message: `missing key before "${logical[sep]}"` });
    return undefined;
  }
  if (/\s/.test(key)) {
    problems.push({ line: first.line, message: `key "${key}" contains whitespace` });
    return undefined;
  }
  const rest = logical.slice(sep + 1);
  const valueStart = sep + 1 + (rest.length - rest.trimStart().length);
  const segments = starts.map((s) => ({ offset: Math.max(0, s.offset - valueStart), line: s.line }));
  return { key, value: rest.trim(), line: first.line, segments };
}

/** The physical line holding the character at `offset` of the entry's value. */
export function lineAt(entry: IniEntry, offset: number): number {
  let line = entry.line;
  for (const s of entry.segments) {
    if (s.offset <= offset) line = s.line;
    else break;
  }
  return line;
}

export interface ListItem {
  text: string;
  /** Offset in the list of the item's first non-blank character, for `lineAt`. */
  offset: number;
}

/**
 * Splits a comma-separated list as Shiro's `PermissionUtils` does: tokens trimmed, `"` quotes a part
 * containing commas, `""` inside quotes is a literal quote. Empty items are kept for the caller to judge.
 */
export function splitQuotedList(list: string): { items: ListItem[]; unterminatedQuoteAt?: number } {
  const items: ListItem[] = [];
  let text = "";
  let start = 0;
  let quoteAt: number | undefined;
  const push = (end: number) => {
    const raw = list.slice(start, end);
    items.push({ text: text.trim(), offset: start + (raw.length - raw.trimStart().length) });
  };
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '"') {
      if (quoteAt !== undefined && list[i + 1] === '"') {
        text += '"';
        i++;
      } else quoteAt = quoteAt === undefined ? i : undefined;
    } else if (c === "," && quoteAt === undefined) {
      push(i);
      text = "";
      start = i + 1;
    } else text += c;
  }
  push(list.length);
  return quoteAt === undefined ? { items } : { items, unterminatedQuoteAt: quoteAt };
}
