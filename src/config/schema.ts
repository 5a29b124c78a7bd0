// Every section and key grantsync's config knows, each declared once with its type, default and
// check: adding a key is one line here. Keys and sections not declared here are refused (strict.ts).

import {
  bool,
  enumOf,
  FAILED,
  failed,
  type Issue,
  int,
  list,
  number,
  optional,
  orDefault,
  type Parse,
  type Parsed,
  prefault,
  received,
  string,
  text,
  url,
} from "./key-types.ts";
import {
  databaseUrlProblem,
  namenodeProblem,
  parseListen,
  scheduleProblem,
  timezoneProblem,
} from "./values.ts";

const str = text();
const dbUrl = text(databaseUrlProblem);
const duration = string((s, refuse) => {
  if (!/^\d+(ms|s|m)?$/.test(s)) return refuse("a duration like 30s, 500ms or 2m");
  const n = Number.parseInt(s, 10);
  return s.endsWith("ms") ? n : s.endsWith("m") ? n * 60_000 : n * 1000;
});
/** A duration of at least 100 ms: a poll every 0 ms would never pause. */
const interval: Parse<number> = (v, issues) => {
  const ms = duration(v, issues);
  if (failed(ms) || ms >= 100) return ms;
  issues.push({ path: [], message: "at least 100ms" });
  return FAILED;
};
const autoOrBool: Parse<"auto" | boolean> = (v, issues) => (v === "auto" ? v : bool(v, issues));

/** Engine staging directories: short-lived, renamed into place when the job commits. */
export const DEFAULT_EXCLUDE = [".hive-staging*", "_temporary", ".spark-staging-*", "_impala_insert_staging"];

/** One object per section; its keys are the keys the section accepts. */
export const SECTIONS = {
  policy: {
    type: orDefault(enumOf(["file", "sentry-db", "ranger", "hms-grants"]), "file"),
    file: optional(str),
    server: optional(str),
    /** A database URL for sentry-db, Ranger Admin's for ranger: checked by type in sections.ts. */
    url: optional(str),
    password_file: optional(str),
    password: optional(string()),
    service: optional(str),
    username: optional(str),
    ca_file: optional(str),
    roles_file: optional(str),
    page_size: orDefault(int(1), 200),
    /** The metastore catalog whose grants hms-grants reads. */
    catalog: orDefault(str, "hive"),
  },
  catalog: {
    type: orDefault(enumOf(["file", "hms"]), "file"),
    file: optional(str),
    url: optional(dbUrl),
    password_file: optional(str),
    password: optional(string()),
    catalog: orDefault(str, "hive"),
    page_size: orDefault(int(1), 5000),
  },
  target: {
    type: orDefault(enumOf(["posix", "webhdfs"]), "posix"),
    roots: list({ min: 1, message: "at least one root" }),
    unknown_principal: orDefault(enumOf(["skip", "error"]), "skip"),
    exclude: orDefault(list(), [...DEFAULT_EXCLUDE]),
  },
  compile: {
    select: optional(string()),
    insert: optional(string()),
    all: optional(string()),
    owner: optional(string()),
    alter: optional(string()),
    create: optional(string()),
    drop: optional(string()),
    index: optional(string()),
    lock: optional(string()),
    /** auto: the target's default (HDFS x on files as Sentry did, POSIX none); or a boolean. */
    file_execute: orDefault(autoOrBool, "auto"),
    uri_grants: orDefault(bool, false),
    default_acls: orDefault(bool, true),
    traverse: orDefault(bool, true),
  },
  webhdfs: {
    namenodes: list({ item: url(namenodeProblem), min: 1 }),
    nameservice: optional(str),
    user: orDefault(str, "hdfs"),
    doas: optional(str),
    delegation: optional(str),
    ca_file: optional(str),
    connections: orDefault(int(1), 64),
    concurrency: orDefault(int(1), 64),
    timeout: prefault(duration, "30s"),
    retries: orDefault(int(0), 5),
    auth: orDefault(enumOf(["simple", "kerberos"]), "simple"),
    principal: optional(str),
    keytab: optional(str),
    delegation_tokens: orDefault(bool, false),
  },
  safety: {
    max_removals: orDefault(int(0), 10000),
    max_removals_percent: orDefault(number(0, 100), 50),
    min_removals: orDefault(int(0), 100),
  },
  state: {
    dir: orDefault(str, "state"),
    keep_runs: orDefault(int(1), 200),
    /** postgres://… or mysql://…: the state lives in that database instead of dir. */
    url: optional(dbUrl),
    password_file: optional(str),
    password: optional(string()),
  },
  daemon: {
    schedule: orDefault(text(scheduleProblem), "*/15 * * * *"),
    timezone: optional(text(timezoneProblem)),
    listen: orDefault(
      text((v) => (parseListen(v) ? undefined : `"${v}" is not host:port`)),
      "127.0.0.1:9464",
    ),
    shutdown_timeout: prefault(duration, "30s"),
    debounce: prefault(duration, "300ms"),
    poll_interval: prefault(interval, "10s"),
    /** Active/standby through the database state's lock; sections.ts checks [state] url is set. */
    ha: orDefault(bool, false),
    ha_check_interval: prefault(interval, "2s"),
  },
  log: {
    level: orDefault(enumOf(["trace", "debug", "info", "warn", "error"]), "info"),
    format: orDefault(enumOf(["auto", "json", "pretty"]), "auto"),
  },
} satisfies Record<string, Record<string, Parse<unknown>>>;

export type SectionName = keyof typeof SECTIONS;

type Sections = typeof SECTIONS;
/** What the file's sections read to, derived from SECTIONS: [webhdfs] only when the file has it. */
export type RawConfig = { [K in Exclude<SectionName, "webhdfs">]: Parsed<Sections[K]> } & {
  webhdfs?: Parsed<Sections["webhdfs"]> | undefined;
};

/** Sections a file must have; [webhdfs] may be left out, the others default every key. */
const PRESENCE: Record<SectionName, "required" | "optional" | "defaults"> = {
  policy: "required",
  catalog: "required",
  target: "required",
  compile: "defaults",
  webhdfs: "optional",
  safety: "defaults",
  state: "defaults",
  daemon: "defaults",
  log: "defaults",
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The file's sections (as `ini` read them) checked key by key, in declaration order; every problem found. */
export function parseSections(ini: Record<string, unknown>): { data?: RawConfig; issues: Issue[] } {
  const issues: Issue[] = [];
  const data: Record<string, unknown> = {};
  for (const name of Object.keys(SECTIONS) as SectionName[]) {
    const given = ini[name];
    if (given === undefined && PRESENCE[name] === "optional") continue;
    const raw = given === undefined && PRESENCE[name] === "defaults" ? {} : given;
    if (!isObject(raw)) {
      issues.push({ path: [name], message: `Invalid input: expected object, received ${received(raw)}` });
      continue;
    }
    const section: Record<string, unknown> = {};
    for (const [key, parse] of Object.entries(SECTIONS[name]) as [string, Parse<unknown>][]) {
      const mine: Issue[] = [];
      const value = parse(raw[key], mine);
      for (const m of mine) issues.push({ path: [name, key, ...m.path], message: m.message });
      if (!failed(value) && value !== undefined) section[key] = value;
    }
    data[name] = section;
  }
  return issues.length > 0 ? { issues } : { data: data as unknown as RawConfig, issues };
}
