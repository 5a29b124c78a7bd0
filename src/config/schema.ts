// Every section and key grantsync's config knows, each declared once with its type, default and
// check: adding a key is one line here. Keys and sections not declared here are refused (strict.ts).

import { z } from "zod";
import {
  databaseUrlProblem,
  namenodeProblem,
  parseListen,
  scheduleProblem,
  timezoneProblem,
} from "./values.ts";

const str = z.string().trim().min(1);
const bool = z
  .union([z.boolean(), z.enum(["true", "false", "yes", "no", "on", "off"])])
  .transform((v) => v === true || v === "true" || v === "yes" || v === "on");
const int = (min: number) => z.coerce.number().int().min(min);
const list = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter((x) => x !== ""),
);
const duration = z
  .string()
  .regex(/^\d+(ms|s|m)?$/, "a duration like 30s, 500ms or 2m")
  .transform((s) => {
    const n = Number.parseInt(s, 10);
    return s.endsWith("ms") ? n : s.endsWith("m") ? n * 60_000 : n * 1000;
  });
/** Refuses a value `check` explains the problem of (undefined: fine). */
const refuse = (check: (v: string) => string | undefined) => (v: string, ctx: z.RefinementCtx) => {
  const problem = check(v);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
};
const checked = (check: (v: string) => string | undefined) => str.superRefine(refuse(check));
const dbUrl = checked(databaseUrlProblem);

/** Engine staging directories: short-lived, renamed into place when the job commits. */
export const DEFAULT_EXCLUDE = [".hive-staging*", "_temporary", ".spark-staging-*", "_impala_insert_staging"];

/** One zod object per section; its keys are the keys the section accepts. */
export const SECTIONS = {
  policy: z.object({
    type: z.enum(["file", "sentry-db", "ranger", "hms-grants"]).default("file"),
    file: str.optional(),
    server: str.optional(),
    /** A database URL for sentry-db, Ranger Admin's for ranger: checked by type in load.ts. */
    url: str.optional(),
    password_file: str.optional(),
    password: z.string().optional(),
    service: str.optional(),
    username: str.optional(),
    ca_file: str.optional(),
    roles_file: str.optional(),
    page_size: int(1).default(200),
    /** The metastore catalog whose grants hms-grants reads. */
    catalog: str.default("hive"),
  }),
  catalog: z.object({
    type: z.enum(["file", "hms"]).default("file"),
    file: str.optional(),
    url: dbUrl.optional(),
    password_file: str.optional(),
    password: z.string().optional(),
    catalog: str.default("hive"),
    page_size: int(1).default(5000),
  }),
  target: z.object({
    type: z.enum(["posix", "webhdfs"]).default("posix"),
    roots: list.pipe(z.array(str).min(1, "at least one root")),
    unknown_principal: z.enum(["skip", "error"]).default("skip"),
    exclude: list.default([...DEFAULT_EXCLUDE]),
  }),
  compile: z.object({
    select: z.string().optional(),
    insert: z.string().optional(),
    all: z.string().optional(),
    owner: z.string().optional(),
    alter: z.string().optional(),
    create: z.string().optional(),
    drop: z.string().optional(),
    index: z.string().optional(),
    lock: z.string().optional(),
    /** auto: the target's default (HDFS x on files as Sentry did, POSIX none); or a boolean. */
    file_execute: z.union([z.literal("auto"), bool]).default("auto"),
    uri_grants: bool.default(false),
    default_acls: bool.default(true),
    traverse: bool.default(true),
  }),
  webhdfs: z.object({
    namenodes: list.pipe(z.array(z.string().url().superRefine(refuse(namenodeProblem))).min(1)),
    nameservice: str.optional(),
    user: str.default("hdfs"),
    doas: str.optional(),
    delegation: str.optional(),
    ca_file: str.optional(),
    connections: int(1).default(64),
    concurrency: int(1).default(64),
    timeout: duration.prefault("30s"),
    retries: int(0).default(5),
    auth: z.enum(["simple", "kerberos"]).default("simple"),
    principal: str.optional(),
    keytab: str.optional(),
    delegation_tokens: bool.default(false),
  }),
  safety: z.object({
    max_removals: int(0).default(10000),
    max_removals_percent: z.coerce.number().min(0).max(100).default(50),
    min_removals: int(0).default(100),
  }),
  state: z.object({
    dir: str.default("state"),
    keep_runs: int(1).default(200),
    /** postgres://… or mysql://…: the state lives in that database instead of dir. */
    url: dbUrl.optional(),
    password_file: str.optional(),
    password: z.string().optional(),
  }),
  daemon: z.object({
    schedule: checked(scheduleProblem).default("*/15 * * * *"),
    timezone: checked(timezoneProblem).optional(),
    listen: checked((v) => (parseListen(v) ? undefined : `"${v}" is not host:port`)).default(
      "127.0.0.1:9464",
    ),
    shutdown_timeout: duration.prefault("30s"),
    debounce: duration.prefault("300ms"),
    poll_interval: duration.prefault("10s").pipe(z.number().min(100, "at least 100ms")),
    /** Active/standby through the database state's lock; load.ts checks [state] url is set. */
    ha: bool.default(false),
    ha_check_interval: duration.prefault("2s").pipe(z.number().min(100, "at least 100ms")),
  }),
  log: z.object({
    level: z.enum(["trace", "debug", "info", "warn", "error"]).default("info"),
    format: z.enum(["auto", "json", "pretty"]).default("auto"),
  }),
};

export type SectionName = keyof typeof SECTIONS;

export const schema = z.object({
  policy: SECTIONS.policy,
  catalog: SECTIONS.catalog,
  target: SECTIONS.target,
  compile: SECTIONS.compile.prefault({}),
  webhdfs: SECTIONS.webhdfs.optional(),
  safety: SECTIONS.safety.prefault({}),
  state: SECTIONS.state.prefault({}),
  daemon: SECTIONS.daemon.prefault({}),
  log: SECTIONS.log.prefault({}),
});

export type RawConfig = z.infer<typeof schema>;
