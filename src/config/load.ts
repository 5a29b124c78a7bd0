// Reads grantsync's own INI config (with `ini`), refuses unknown sections and keys, validates
// every value once with zod into a typed Config, and resolves relative paths against the file's directory.

import { readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { parse as parseIni } from "ini";
import { parsePerm } from "../acl/spec.ts";
import { type Diagnostic, diagnosticError, GsError } from "../errors.ts";
import { normalizeAbsolutePath } from "../paths.ts";
import { type Action, DEFAULT_ACTION_PERMS } from "../policy/model.ts";
import { type RawConfig, schema } from "./schema.ts";
import { type IniLines, iniLines, lineOf, unknownNames } from "./strict.ts";
import type { Config } from "./types.ts";
import { databaseUrlProblem } from "./values.ts";

export interface ConfigCheck {
  config?: Config;
  /** Every problem found, each at its FILE:LINE; config is set only when there is none. */
  errors: Diagnostic[];
}

function policySource(
  p: RawConfig["policy"],
  at: (path: string) => string,
  need: (v: string | undefined, key: string) => string,
  invalid: (key: string, message: string) => Error,
): Config["policy"] {
  if (p.type === "file")
    return {
      type: "file",
      file: at(need(p.file, "[policy] file")),
      server: need(p.server, "[policy] server"),
    };
  const db = () => {
    const problem = p.url === undefined ? undefined : databaseUrlProblem(p.url);
    if (problem) throw invalid("[policy] url", problem);
    return {
      url: need(p.url, "[policy] url"),
      ...(p.password_file ? { passwordFile: at(p.password_file) } : {}),
      ...(p.password ? { password: p.password } : {}),
    };
  };
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
  return configOrThrow(readConfig(file));
}

export function parseConfig(text: string, file: string): Config {
  return configOrThrow(checkConfigText(text, file));
}

/** The config file checked completely, for `validate`: every error, not only the first. */
export function readConfig(file: string): ConfigCheck {
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
  return checkConfigText(text, abs);
}

export function checkConfigText(text: string, file: string): ConfigCheck {
  const lines = iniLines(text);
  const errors = unknownNames(lines, file);
  const parsed = schema.safeParse(parseIni(text));
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [section, key] = issue.path.map(String);
      const name = key === undefined ? `[${section}]` : `[${section}] ${issue.path.slice(1).join(".")}`;
      const missing = section !== undefined && !lines.sections.has(section);
      errors.push({
        severity: "error",
        code: "GS_CONFIG_INVALID",
        message: `${name}: ${missing ? "section required" : issue.message}`,
        file,
        ...located(lines, section, key),
      });
    }
  }
  if (errors.length > 0 || !parsed.success) return { errors };
  try {
    return { config: toConfig(parsed.data, file, lines), errors };
  } catch (err) {
    if (!(err instanceof ConfigProblem)) throw err;
    return { errors: [err.diagnostic] };
  }
}

function located(lines: IniLines, section: string | undefined, key?: string): { line?: number } {
  const line = section === undefined ? undefined : lineOf(lines, section, key);
  return line === undefined ? {} : { line };
}

/** The first error at its FILE:LINE, saying how many more `validate` would list. */
export function configOrThrow(check: ConfigCheck): Config {
  if (check.config) return check.config;
  const [first, ...rest] = check.errors;
  const more = rest.length > 0 ? ` (and ${rest.length} more; \`grantsync validate\` lists them)` : "";
  throw diagnosticError({ ...first!, message: `${first!.message}${more}` });
}

/** A problem toConfig finds in one key, with the key's line. */
class ConfigProblem extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

function toConfig(raw: RawConfig, file: string, lines: IniLines): Config {
  const base = dirname(file);
  const at = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const invalid = (key: string, message: string) => {
    const [, section, name] = /^\[(\w+)\] ?(\w*)/.exec(key) ?? [];
    return new ConfigProblem({
      severity: "error",
      code: "GS_CONFIG_INVALID",
      message: `${key}: ${message}`,
      file,
      ...located(lines, section, name || undefined),
    });
  };
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
  if (raw.daemon.ha && !raw.state.url)
    throw invalid("[daemon] ha", "needs a database state: set [state] url = postgres://… or mysql://…");
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
    state: {
      dir: at(raw.state.dir),
      keepRuns: raw.state.keep_runs,
      ...(raw.state.url ? { db: db(raw.state, "state") } : {}),
    },
    daemon: {
      schedule: raw.daemon.schedule,
      ...(raw.daemon.timezone ? { timezone: raw.daemon.timezone } : {}),
      listen: raw.daemon.listen,
      shutdownTimeoutMs: raw.daemon.shutdown_timeout,
      debounceMs: raw.daemon.debounce,
      pollIntervalMs: raw.daemon.poll_interval,
      ha: raw.daemon.ha,
      haCheckIntervalMs: raw.daemon.ha_check_interval,
    },
    log: raw.log,
  };
}
