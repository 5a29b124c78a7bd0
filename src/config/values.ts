// Checks of single config values the daemon, the sources and the targets would otherwise reject
// later: cron schedule (node-cron's own validator), time zone, listen address, database URLs,
// NameNode addresses.

import { createRequire } from "node:module";

// Loaded when a schedule is given (the default one is not checked): validating the config is part
// of every CLI run, and node-cron would add its load time to each. Its CommonJS build: the check is
// synchronous, inside the config schema.
const require = createRequire(import.meta.url);
const nodeCron = (): typeof import("node-cron").default => require("node-cron");

/** Why node-cron would refuse the expression, or undefined when it accepts it. */
export function scheduleProblem(expression: string): string | undefined {
  const check = nodeCron().validateDetailed(expression);
  if (check.valid) return undefined;
  return `"${expression}" is not a cron expression (${check.errors.map((e) => `${e.field}: ${e.message}`).join("; ")})`;
}

export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
    return undefined;
  } catch {
    return `"${timezone}" is not an IANA time zone`;
  }
}

/** `host:port` or `[v6]:port` (an empty host means 127.0.0.1); port 0 picks a free one. */
export function parseListen(listen: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(listen.trim());
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port > 65535) return undefined;
  return { host: m[1] ?? (m[2] || "127.0.0.1"), port };
}

const DB_SCHEMES = new Set(["postgres:", "postgresql:", "mysql:", "mariadb:"]);

/** The URL itself is never echoed: it may carry a password. */
export function databaseUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not a URL (postgres://user@host:port/db or mysql://user@host:port/db)";
  }
  return DB_SCHEMES.has(parsed.protocol)
    ? undefined
    : `scheme ${parsed.protocol} is not postgres:, postgresql:, mysql: or mariadb:`;
}

const NAMENODE_SCHEMES = new Set(["http", "https", "webhdfs", "swebhdfs"]);

/** The WebHDFS client takes http(s) addresses (webhdfs:// and swebhdfs:// too); no scheme means http. */
export function namenodeProblem(address: string): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(address)?.[1]?.toLowerCase();
  return scheme === undefined || NAMENODE_SCHEMES.has(scheme)
    ? undefined
    : `"${address}" is not an http(s) NameNode address (http://, https://, webhdfs:// or swebhdfs://)`;
}
