// Reads grantsync's own INI config (with `ini`), validates it once with zod into a typed Config,
// and resolves relative paths against the config file's directory.

import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseIni } from "ini";
import { z } from "zod";
import { parsePerm } from "../acl/spec.ts";
import { normalizeAbsolutePath } from "../compile/locations.ts";
import { DEFAULT_ACTION_PERMS } from "../compile/mapping.ts";
import { GsError } from "../errors.ts";
import type { Action } from "../policy/model.ts";
import type { Config } from "./types.ts";

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

/** Engine staging directories: short-lived, renamed into place when the job commits. */
export const DEFAULT_EXCLUDE = [".hive-staging*", "_temporary", ".spark-staging-*", "_impala_insert_staging"];

const schema = z.object({
  policy: z.object({
    type: z.enum(["file", "sentry-db", "ranger", "hms-grants"]).default("file"),
    file: str.optional(),
    server: str.optional(),
    url: str.optional(),
    password_file: str.optional(),
    password: z.string().optional(),
    service: str.optional(),
    username: str.optional(),
    ca_file: str.optional(),
    roles_file: str.optional(),
    page_size: int(1).default(200),
    catalog: str.default("hive"),
  }),
  catalog: z.object({
    type: z.enum(["file", "hms"]).default("file"),
    file: str.optional(),
    url: str.optional(),
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
  compile: z
    .object({
      select: z.string().optional(),
      insert: z.string().optional(),
      all: z.string().optional(),
      owner: z.string().optional(),
      alter: z.string().optional(),
      create: z.string().optional(),
      drop: z.string().optional(),
      index: z.string().optional(),
      lock: z.string().optional(),
      file_execute: z.enum(["auto", "true", "false"]).default("auto"),
      uri_grants: bool.default(false),
      default_acls: bool.default(true),
      traverse: bool.default(true),
    })
    .prefault({}),
  webhdfs: z
    .object({
      namenodes: list.pipe(z.array(z.string().url()).min(1)),
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
    })
    .optional(),
  safety: z
    .object({
      max_removals: int(0).default(10000),
      max_removals_percent: z.coerce.number().min(0).max(100).default(50),
      min_removals: int(0).default(100),
    })
    .prefault({}),
  state: z.object({ dir: str.default("state") }).prefault({}),
  daemon: z
    .object({
      schedule: str.default("*/15 * * * *"),
      timezone: str.optional(),
      listen: str.default("127.0.0.1:9464"),
      shutdown_timeout: duration.prefault("30s"),
      debounce: duration.prefault("300ms"),
      poll_interval: duration.prefault("10s"),
    })
    .prefault({}),
  log: z.object({ level: z.enum(["trace", "debug", "info", "warn", "error"]).default("info") }).prefault({}),
});

type RawConfig = z.infer<typeof schema>;

function policySource(
  p: RawConfig["policy"],
  at: (path: string) => string,
  need: (v: string | undefined, key: string) => string,
  invalid: (key: string, message: string) => GsError,
): Config["policy"] {
  if (p.type === "file")
    return {
      type: "file",
      file: at(need(p.file, "[policy] file")),
      server: need(p.server, "[policy] server"),
    };
  const db = () => ({
    url: need(p.url, "[policy] url"),
    ...(p.password_file ? { passwordFile: at(p.password_file) } : {}),
    ...(p.password ? { password: p.password } : {}),
  });
  if (p.type === "sentry-db")
    return { type: "sentry-db", server: need(p.server, "[policy] server"), ...db() };
  if (p.type === "hms-grants") return { type: "hms-grants", catalogName: p.catalog, ...db() };
  if ((p.file === undefined) === (p.url === undefined))
    throw invalid("[policy] file", "give exactly one of file and url");
  if (p.url !== undefined && !/^https?:\/\//.test(p.url))
    throw invalid("[policy] url", "must be an http:// or https:// URL of Ranger Admin");
  if (p.password !== undefined) throw invalid("[policy] password", "use password_file for Ranger");
  return {
    type: "ranger",
    service: need(p.service, "[policy] service"),
    ...(p.file ? { file: at(p.file) } : {}),
    ...(p.url ? { url: p.url } : {}),
    ...(p.username ? { username: p.username } : {}),
    ...(p.password_file ? { passwordFile: at(p.password_file) } : {}),
    ...(p.ca_file ? { caFile: at(p.ca_file) } : {}),
    ...(p.roles_file ? { rolesFile: at(p.roles_file) } : {}),
    pageSize: p.page_size,
  };
}

export function loadConfig(file: string): Config {
  const abs = resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch (err) {
    throw new GsError("GS_CONFIG_READ", `cannot read config: ${(err as Error).message}`, {
      location: abs,
      cause: err,
    });
  }
  return parseConfig(text, abs);
}

export function parseConfig(text: string, file: string): Config {
  const parsed = schema.safeParse(parseIni(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key =
      issue.path.length >= 2
        ? `[${String(issue.path[0])}] ${issue.path.slice(1).join(".")}`
        : `[${issue.path.join(".")}]`;
    throw new GsError("GS_CONFIG_INVALID", `${key}: ${issue.message}`, {
      location: file,
      input: issue.path.join("."),
    });
  }
  return toConfig(parsed.data, file);
}

function toConfig(raw: RawConfig, file: string): Config {
  const base = dirname(file);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const invalid = (key: string, message: string) =>
    new GsError("GS_CONFIG_INVALID", `${key}: ${message}`, { location: file, input: key });
  const need = (v: string | undefined, key: string) => {
    if (v === undefined) throw invalid(key, "is required here");
    return v;
  };
  const roots = raw.target.roots.map((r) => {
    const n = normalizeAbsolutePath(raw.target.type === "posix" ? at(r) : r);
    if (!n) throw invalid("[target] roots", `"${r}" is not an absolute path without . or .. segments`);
    return n;
  });
  for (const x of raw.target.exclude)
    if (x.includes("/"))
      throw invalid("[target] exclude", `"${x}" is matched against one path component; it cannot hold /`);
  const actionPerms = { ...DEFAULT_ACTION_PERMS };
  for (const action of Object.keys(actionPerms) as Action[]) {
    const v = raw.compile[action];
    if (v === undefined) continue;
    try {
      actionPerms[action] = v.trim() === "" ? 0 : parsePerm(v.trim().replace(/x/g, "-").padEnd(3, "-")) & 6;
    } catch {
      throw invalid(`[compile] ${action}`, `"${v}" is not a permission like r, w or rw`);
    }
  }
  const fileExecute = raw.compile.file_execute === "auto" ? undefined : raw.compile.file_execute === "true";
  const db = (
    s: { url?: string | undefined; password_file?: string | undefined; password?: string | undefined },
    section: string,
  ) => ({
    url: need(s.url, `[${section}] url`),
    ...(s.password_file ? { passwordFile: at(s.password_file) } : {}),
    ...(s.password ? { password: s.password } : {}),
  });
  const w = raw.webhdfs;
  if (raw.target.type === "webhdfs" && !w)
    throw invalid("[webhdfs]", "section required when [target] type = webhdfs");
  return {
    file,
    policy: policySource(raw.policy, at, need, invalid),
    catalog:
      raw.catalog.type === "file"
        ? { type: "file", file: at(need(raw.catalog.file, "[catalog] file")) }
        : {
            type: "hms",
            catalogName: raw.catalog.catalog,
            pageSize: raw.catalog.page_size,
            ...db(raw.catalog, "catalog"),
          },
    target: {
      type: raw.target.type,
      roots,
      unknownPrincipal: raw.target.unknown_principal,
      exclude: raw.target.exclude,
    },
    compile: {
      actionPerms,
      ...(fileExecute === undefined ? {} : { fileExecute }),
      uriGrants: raw.compile.uri_grants,
      defaultAcls: raw.compile.default_acls,
      traverse: raw.compile.traverse,
    },
    ...(w
      ? {
          webhdfs: {
            namenodes: w.namenodes,
            ...(w.nameservice ? { nameservice: w.nameservice } : {}),
            user: w.user,
            ...(w.doas ? { doas: w.doas } : {}),
            ...(w.delegation ? { delegation: w.delegation } : {}),
            ...(w.ca_file ? { caFile: at(w.ca_file) } : {}),
            connections: w.connections,
            concurrency: w.concurrency,
            timeoutMs: w.timeout,
            retries: w.retries,
            auth: w.auth,
            ...(w.principal ? { principal: w.principal } : {}),
            ...(w.keytab ? { keytab: at(w.keytab) } : {}),
            ...(w.delegation_tokens ? { delegationTokens: true } : {}),
          },
        }
      : {}),
    safety: {
      maxRemovals: raw.safety.max_removals,
      maxRemovalsPercent: raw.safety.max_removals_percent,
      minRemovals: raw.safety.min_removals,
    },
    state: { dir: at(raw.state.dir) },
    daemon: {
      schedule: raw.daemon.schedule,
      ...(raw.daemon.timezone ? { timezone: raw.daemon.timezone } : {}),
      listen: raw.daemon.listen,
      shutdownTimeoutMs: raw.daemon.shutdown_timeout,
      debounceMs: raw.daemon.debounce,
      pollIntervalMs: raw.daemon.poll_interval,
    },
    log: raw.log,
  };
}
