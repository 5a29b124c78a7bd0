// The validated INI sections mapped onto the typed Config, one mapper per section: relative paths
// resolved against the config file's directory, and the checks that span keys (or sections) and so
// cannot sit on one key in schema.ts, each reported at the offending key's line.

import { dirname, isAbsolute, resolve } from "node:path";
import { parsePerm } from "../acl/spec.ts";
import type { Diagnostic } from "../errors.ts";
import { normalizeAbsolutePath } from "../paths.ts";
import { type Action, DEFAULT_ACTION_PERMS } from "../policy/model.ts";
import type { RawConfig } from "./schema.ts";
import { type IniLines, located } from "./strict.ts";
import type {
  CatalogSourceConfig,
  Config,
  DaemonConfig,
  PolicySourceConfig,
  WebhdfsConfig,
} from "./types.ts";
import { databaseUrlProblem } from "./values.ts";

/** A problem a mapper finds in one key, with the key's line. */
export class ConfigProblem extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
  }
}

/** What every mapper needs from the file being read. */
interface Mapping {
  /** A path from the file, made absolute against the file's directory. */
  at(path: string): string;
  /** The value, or a problem at `key` ("[section] name") saying it is required here. */
  need(value: string | undefined, key: string): string;
  /** A problem at `key` ("[section] name", or "[section]" for the section's header). */
  invalid(key: string, message: string): ConfigProblem;
}

/** The Config a schema-valid file describes; throws the first ConfigProblem found. */
export function toConfig(raw: RawConfig, file: string, lines: IniLines): Config {
  const base = dirname(file);
  const m: Mapping = {
    at: (p) => (isAbsolute(p) ? p : resolve(base, p)),
    need(v, key) {
      if (v === undefined) throw m.invalid(key, "is required here");
      return v;
    },
    invalid(key, message) {
      const [, section, name] = /^\[(\w+)\] ?(\w*)/.exec(key) ?? [];
      return new ConfigProblem({
        severity: "error",
        code: "GS_CONFIG_INVALID",
        message: `${key}: ${message}`,
        file,
        ...located(lines, section, name || undefined),
      });
    },
  };
  // In this order, so a file with several problems reports the same first one as before the split.
  const target = targetSection(raw.target, m);
  const compile = compileSection(raw.compile, m);
  const daemon = daemonSection(raw, m);
  const webhdfs = webhdfsSection(raw, m);
  return {
    file,
    policy: policySection(raw.policy, m),
    catalog: catalogSection(raw.catalog, m),
    target,
    compile,
    ...(webhdfs ? { webhdfs } : {}),
    safety: {
      maxRemovals: raw.safety.max_removals,
      maxRemovalsPercent: raw.safety.max_removals_percent,
      minRemovals: raw.safety.min_removals,
    },
    state: stateSection(raw.state, m),
    daemon,
    log: raw.log,
  };
}

type DbKeys = { url?: string | undefined; password_file?: string | undefined; password?: string | undefined };

/** A database connection from a section's url, password_file and password. */
function dbConnection(s: DbKeys, section: string, m: Mapping) {
  return {
    url: m.need(s.url, `[${section}] url`),
    ...(s.password_file ? { passwordFile: m.at(s.password_file) } : {}),
    ...(s.password ? { password: s.password } : {}),
  };
}

function policySection(p: RawConfig["policy"], m: Mapping): PolicySourceConfig {
  if (p.type === "file")
    return {
      type: "file",
      file: m.at(m.need(p.file, "[policy] file")),
      server: m.need(p.server, "[policy] server"),
    };
  // The url is a database's for these two and Ranger Admin's for ranger: checked here, by type.
  const db = () => {
    const problem = p.url === undefined ? undefined : databaseUrlProblem(p.url);
    if (problem) throw m.invalid("[policy] url", problem);
    return dbConnection(p, "policy", m);
  };
  if (p.type === "sentry-db")
    return { type: "sentry-db", server: m.need(p.server, "[policy] server"), ...db() };
  if (p.type === "hms-grants") return { type: "hms-grants", catalogName: p.catalog, ...db() };
  if ((p.file === undefined) === (p.url === undefined))
    throw m.invalid("[policy] file", "give exactly one of file and url");
  if (p.url !== undefined && !/^https?:\/\//.test(p.url))
    throw m.invalid("[policy] url", "must be an http:// or https:// URL of Ranger Admin");
  if (p.password !== undefined) throw m.invalid("[policy] password", "use password_file for Ranger");
  return {
    type: "ranger",
    service: m.need(p.service, "[policy] service"),
    ...(p.file ? { file: m.at(p.file) } : {}),
    ...(p.url ? { url: p.url } : {}),
    ...(p.username ? { username: p.username } : {}),
    ...(p.password_file ? { passwordFile: m.at(p.password_file) } : {}),
    ...(p.ca_file ? { caFile: m.at(p.ca_file) } : {}),
    ...(p.roles_file ? { rolesFile: m.at(p.roles_file) } : {}),
    pageSize: p.page_size,
  };
}

function catalogSection(c: RawConfig["catalog"], m: Mapping): CatalogSourceConfig {
  if (c.type === "file") return { type: "file", file: m.at(m.need(c.file, "[catalog] file")) };
  return { type: "hms", catalogName: c.catalog, pageSize: c.page_size, ...dbConnection(c, "catalog", m) };
}

function targetSection(t: RawConfig["target"], m: Mapping): Config["target"] {
  const roots = t.roots.map((r) => {
    const n = normalizeAbsolutePath(t.type === "posix" ? m.at(r) : r);
    if (!n) throw m.invalid("[target] roots", `"${r}" is not an absolute path without . or .. segments`);
    return n;
  });
  for (const x of t.exclude)
    if (x.includes("/"))
      throw m.invalid("[target] exclude", `"${x}" is matched against one path component; it cannot hold /`);
  return { type: t.type, roots, unknownPrincipal: t.unknown_principal, exclude: t.exclude };
}

function compileSection(c: RawConfig["compile"], m: Mapping): Config["compile"] {
  const actionPerms = { ...DEFAULT_ACTION_PERMS };
  for (const action of Object.keys(actionPerms) as Action[]) {
    const v = c[action];
    if (v === undefined) continue;
    try {
      actionPerms[action] = v.trim() === "" ? 0 : parsePerm(v.trim().replace(/x/g, "-").padEnd(3, "-")) & 6;
    } catch {
      throw m.invalid(`[compile] ${action}`, `"${v}" is not a permission like r, w or rw`);
    }
  }
  const fileExecute = c.file_execute === "auto" ? undefined : c.file_execute;
  return {
    actionPerms,
    ...(fileExecute === undefined ? {} : { fileExecute }),
    uriGrants: c.uri_grants,
    defaultAcls: c.default_acls,
    traverse: c.traverse,
  };
}

/** [webhdfs], required when the target is webhdfs. */
function webhdfsSection(raw: RawConfig, m: Mapping): WebhdfsConfig | undefined {
  const w = raw.webhdfs;
  if (raw.target.type === "webhdfs" && !w)
    throw m.invalid("[webhdfs]", "section required when [target] type = webhdfs");
  if (!w) return undefined;
  // The target checks it again when it logs in; here `validate` reports it at its line.
  if (w.auth === "kerberos" && w.keytab && !w.principal)
    throw m.invalid("[webhdfs] keytab", "needs principal (the key to log in with)");
  return {
    namenodes: w.namenodes,
    ...(w.nameservice ? { nameservice: w.nameservice } : {}),
    user: w.user,
    ...(w.doas ? { doas: w.doas } : {}),
    ...(w.delegation ? { delegation: w.delegation } : {}),
    ...(w.ca_file ? { caFile: m.at(w.ca_file) } : {}),
    connections: w.connections,
    concurrency: w.concurrency,
    timeoutMs: w.timeout,
    retries: w.retries,
    auth: w.auth,
    ...(w.principal ? { principal: w.principal } : {}),
    ...(w.keytab ? { keytab: m.at(w.keytab) } : {}),
    ...(w.delegation_tokens ? { delegationTokens: true } : {}),
  };
}

function stateSection(s: RawConfig["state"], m: Mapping): Config["state"] {
  return {
    dir: m.at(s.dir),
    keepRuns: s.keep_runs,
    ...(s.url ? { db: dbConnection(s, "state", m) } : {}),
  };
}

/** [daemon]; ha needs the database state of [state]. */
function daemonSection(raw: RawConfig, m: Mapping): DaemonConfig {
  const d = raw.daemon;
  if (d.ha && !raw.state.url)
    throw m.invalid("[daemon] ha", "needs a database state: set [state] url = postgres://… or mysql://…");
  return {
    schedule: d.schedule,
    ...(d.timezone ? { timezone: d.timezone } : {}),
    listen: d.listen,
    shutdownTimeoutMs: d.shutdown_timeout,
    debounceMs: d.debounce,
    pollIntervalMs: d.poll_interval,
    ha: d.ha,
    haCheckIntervalMs: d.ha_check_interval,
  };
}
