// Reads the hand-written locations file ([databases], [tables], [partitions]) into a catalog of raw
// locations; only their syntax is checked here, roots and targets are decided when they are mapped.

import { readFile } from "node:fs/promises";
import { type Diagnostic, type FileProblemCode, severityOf } from "../errors.ts";
import { type IniEntry, lineAt, readShiroIni, splitQuotedList } from "../text/shiro-ini.ts";
import type { CatalogDatabase, CatalogLoadResult, CatalogTable, RawLocation } from "./model.ts";

/** Every problem a locations file can have: the catalog's GS_CATALOG_ codes, each with its severity. */
type LocationsCode = Extract<FileProblemCode, `GS_CATALOG_${string}`>;

const SECTIONS = ["databases", "tables", "partitions"];

// Absolute path, file:///path, file://host/path or hdfs://authority/path; nothing else is a location.
const LOCATION_SHAPE = /^(\/|file:\/\/[^/]*\/|hdfs:\/\/[^/]+\/)/;

export async function loadLocationsFile(file: string): Promise<CatalogLoadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return toResult([diagnostic("GS_CATALOG_READ", `cannot read the locations file: ${why}`, file)], file);
  }
  return parseLocationsText(text, file);
}

/** The pure half of `loadLocationsFile`, for callers that already hold the text. */
export function parseLocationsText(text: string, file: string): CatalogLoadResult {
  const diagnostics: Diagnostic[] = [];
  const at: Where = {
    file,
    report: (code, message, line) => diagnostics.push(diagnostic(code, message, file, line)),
  };
  const sections = readSections(text, at.report);
  const databases = readDatabases(sections.get("databases"), at);
  const tables = readTables(sections.get("tables"), databases, at);
  readPartitions(sections.get("partitions"), tables, at);
  return toResult(diagnostics, file, { databases, tables: [...tables.values()], sources: [file] });
}

/** The file being read and where its problems go; each reader below reports in line order. */
interface Where {
  file: string;
  report: Report;
}

/** The entries of each known section; INI problems and unknown sections are reported. */
function readSections(text: string, report: Report): Map<string, IniEntry[]> {
  const doc = readShiroIni(text);
  for (const p of doc.problems) report("GS_CATALOG_SYNTAX", p.message, p.line);
  const entries = new Map<string, IniEntry[]>();
  for (const section of doc.sections) {
    if (SECTIONS.includes(section.name)) entries.set(section.name, section.entries);
    else
      report(
        "GS_CATALOG_UNKNOWN_SECTION",
        `unknown section [${section.name}]; use [databases], [tables], [partitions]`,
        section.line,
      );
  }
  return entries;
}

/** `[databases]`: `name = location`. */
function readDatabases(entries: IniEntry[] | undefined, at: Where): CatalogDatabase[] {
  const databases: CatalogDatabase[] = [];
  for (const entry of unique(entries, "database", at.report)) {
    if (!nonEmpty(entry, at.report)) continue;
    const name = entry.key.toLowerCase();
    databases.push({ name, locations: [location(entry, entry.value, 0, "database", at)] });
  }
  return databases;
}

/** `[tables]`: `db.table = location`; a database missing from `[databases]` is only a warning. */
function readTables(
  entries: IniEntry[] | undefined,
  databases: CatalogDatabase[],
  at: Where,
): Map<string, CatalogTable> {
  const tables = new Map<string, CatalogTable>();
  for (const entry of unique(entries, "table", at.report)) {
    const name = tableName(entry, at.report);
    if (!name || !nonEmpty(entry, at.report)) continue;
    if (!databases.some((d) => d.name === name.db)) {
      at.report(
        "GS_CATALOG_UNKNOWN_DATABASE",
        `database "${name.db}" of table "${entry.key}" is not in [databases]`,
        entry.line,
      );
    }
    tables.set(`${name.db}.${name.table}`, {
      db: name.db,
      name: name.table,
      locations: [location(entry, entry.value, 0, "table", at)],
    });
  }
  return tables;
}

/** `[partitions]`: `db.table = loc, "loc, with comma", …`, added to the table's locations. */
function readPartitions(entries: IniEntry[] | undefined, tables: Map<string, CatalogTable>, at: Where): void {
  for (const entry of unique(entries, "partitions of table", at.report)) {
    const name = tableName(entry, at.report);
    if (!name || !nonEmpty(entry, at.report)) continue;
    const table = tables.get(`${name.db}.${name.table}`);
    if (!table) {
      at.report(
        "GS_CATALOG_UNKNOWN_TABLE",
        `partitions of "${entry.key}", which is not in [tables]`,
        entry.line,
      );
      continue;
    }
    const { items, unterminatedQuoteAt } = splitQuotedList(entry.value);
    if (unterminatedQuoteAt !== undefined)
      at.report("GS_CATALOG_SYNTAX", `unterminated "`, lineAt(entry, unterminatedQuoteAt));
    for (const item of items) {
      if (item.text === "")
        at.report(
          "GS_CATALOG_EMPTY_VALUE",
          `empty partition location for "${entry.key}"`,
          lineAt(entry, item.offset),
        );
      else table.locations.push(location(entry, item.text, item.offset, "partition", at));
    }
  }
}

/** One location at its own line (a partition list may span lines); a bad shape is reported, kept. */
function location(
  entry: IniEntry,
  uri: string,
  offset: number,
  kind: RawLocation["kind"],
  at: Where,
): RawLocation {
  const line = lineAt(entry, offset);
  if (!LOCATION_SHAPE.test(uri)) {
    at.report(
      "GS_CATALOG_INVALID",
      `"${uri}" is not an absolute path, file:///path or hdfs://authority/path`,
      line,
    );
  }
  const raw: RawLocation = { uri, kind, source: { file: at.file, line } };
  if (kind === "partition") raw.partition = uri.replace(/\/+$/, "").split("/").pop();
  return raw;
}

type Report = (code: LocationsCode, message: string, line?: number) => void;

/** Names are case-insensitive, so `Sales` and `sales` are the same key twice. */
function unique(entries: IniEntry[] | undefined, kind: string, report: Report): IniEntry[] {
  const first = new Map<string, number>();
  return (entries ?? []).filter((entry) => {
    const key = entry.key.toLowerCase();
    const earlier = first.get(key);
    if (earlier !== undefined) {
      report("GS_CATALOG_DUPLICATE", `${kind} "${key}" listed twice (first at line ${earlier})`, entry.line);
      return false;
    }
    first.set(key, entry.line);
    return true;
  });
}

function nonEmpty(entry: IniEntry, report: Report): boolean {
  if (entry.value !== "") return true;
  report("GS_CATALOG_EMPTY_VALUE", `"${entry.key}" has no location`, entry.line);
  return false;
}

function tableName(entry: IniEntry, report: Report): { db: string; table: string } | undefined {
  const parts = entry.key.toLowerCase().split(".");
  const [db, table] = parts;
  if (parts.length === 2 && db && table) return { db, table };
  report("GS_CATALOG_TABLE_NAME", `"${entry.key}" must be written db.table`, entry.line);
  return undefined;
}

function diagnostic(code: LocationsCode, message: string, file: string, line?: number): Diagnostic {
  return { severity: severityOf(code), code, message, file, ...(line ? { line } : {}) };
}

function toResult(
  diagnostics: Diagnostic[],
  file: string,
  catalog?: CatalogLoadResult["catalog"],
): CatalogLoadResult {
  diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const errors = diagnostics.filter((d) => d.severity === "error");
  const warnings = diagnostics.filter((d) => d.severity === "warning");
  return { ...(catalog && errors.length === 0 ? { catalog } : {}), errors, warnings, sources: [file] };
}
