// Read-only connections to the Hive Metastore and Sentry backing databases (PostgreSQL or MySQL/MariaDB),
// behind one small query interface so the readers write their SQL once.

import { readFile } from "node:fs/promises";
import type { Connection as MysqlConnection, ConnectionOptions as MysqlOptions } from "mysql2/promise";
import type { ClientConfig as PgOptions } from "pg";
import { GsError } from "../errors.ts";
import { redactUrl, scrubSecret } from "../secrets.ts";

export interface DbConnection {
  /** postgres://user@host:port/db or mysql://user@host:port/db, without the password. */
  url: string;
  /** Absolute path of a file holding the password, if any. */
  passwordFile?: string;
  /** Password given inline in the config (discouraged); never logged. */
  password?: string;
}

export type Dialect = "postgres" | "mysql";

export interface DbSession {
  readonly dialect: Dialect;
  /** The URL without any password, for messages and `sources`. */
  readonly where: string;
  /**
   * Runs one SELECT. Write identifiers PostgreSQL-style (`"DBS"."NAME"`) and parameters as `?`;
   * the session rewrites both for the dialect. Every value comes back as a string or null, so
   * BIGINT ids look the same from both drivers.
   */
  query(sql: string, params?: readonly unknown[]): Promise<Record<string, string | null>[]>;
  hasTable(table: string): Promise<boolean>;
  hasColumn(table: string, column: string): Promise<boolean>;
  close(): Promise<void>;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * The drivers load when a connection is opened, not with this module: loading both costs every
 * CLI run about 100 ms of CPU, and most runs (file sources, a state directory) open none.
 */
export const loadPg = async () => (await import("pg")).default;
export const loadMysql = async () => (await import("mysql2/promise")).default;

export function dialectOf(url: URL): Dialect | undefined {
  switch (url.protocol) {
    case "postgres:":
    case "postgresql:":
      return "postgres";
    case "mysql:":
    case "mariadb:":
      return "mysql";
    default:
      return undefined;
  }
}

const URL_WORDS = {
  source: { code: "GS_DB_CONNECT", url: "the database URL", scheme: "database" },
  state: { code: "GS_STATE", url: "the [state] url", scheme: "state database" },
} as const;

/** A connection's URL parsed, its redacted form for messages, and its dialect; refused otherwise. */
export function parseDbUrl(
  conn: DbConnection,
  kind: keyof typeof URL_WORDS,
): { url: URL; where: string; dialect: Dialect } {
  const words = URL_WORDS[kind];
  const where = redactUrl(conn.url);
  let url: URL;
  try {
    url = new URL(conn.url);
  } catch {
    throw new GsError(words.code, `${words.url} is not a valid URL`, { location: where });
  }
  const dialect = dialectOf(url);
  if (!dialect) {
    throw new GsError(words.code, `unsupported ${words.scheme} URL scheme ${url.protocol}`, {
      location: where,
      hint: "Use postgres://user@host:port/db or mysql://user@host:port/db.",
    });
  }
  return { url, where, dialect };
}

export async function resolvePassword(
  conn: DbConnection,
  url: URL,
  where: string,
): Promise<string | undefined> {
  if (conn.passwordFile) {
    try {
      return (await readFile(conn.passwordFile, "utf8")).trim();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? "error";
      throw new GsError("GS_DB_CONNECT", `cannot read password file ${conn.passwordFile} (${code})`, {
        location: where,
      });
    }
  }
  if (conn.password !== undefined) return conn.password;
  return url.password ? decodeURIComponent(url.password) : undefined;
}

function toText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Rows with every value as text (or null), so BIGINT ids, dates and blobs read alike from both drivers. */
export function normalizeRows(rows: Record<string, unknown>[]): Record<string, string | null>[] {
  return rows.map((r) => {
    const out: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(r)) out[k] = toText(v);
    return out;
  });
}

function toPgSql(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

function toMysqlSql(sql: string): string {
  return sql.replace(/"([A-Za-z0-9_]+)"/g, "`$1`");
}

/**
 * Opens a session that can only read. With `snapshot`, every query sees the same consistent
 * snapshot (one REPEATABLE READ read-only transaction), so paged reads of a live metastore agree
 * with each other and with the event id read alongside them.
 */
export async function openReadOnly(
  conn: DbConnection,
  opts: { snapshot?: boolean } = {},
): Promise<DbSession> {
  const { url, where, dialect } = parseDbUrl(conn, "source");
  const password = await resolvePassword(conn, url, where);
  const fail = (err: unknown, what: string): GsError => {
    const msg = scrubSecret(err instanceof Error ? err.message || String(err) : String(err), password);
    const code = (err as { code?: string }).code;
    return new GsError("GS_DB_CONNECT", `${what}: ${msg}${code && !msg.includes(code) ? ` (${code})` : ""}`, {
      location: where,
    });
  };
  return dialect === "postgres"
    ? openPg(url, where, password, opts.snapshot === true, fail)
    : openMysql(url, where, password, opts.snapshot === true, fail);
}

type Fail = (err: unknown, what: string) => GsError;

function queryError(err: unknown, where: string, password: string | undefined): GsError {
  const msg = scrubSecret(err instanceof Error ? err.message : String(err), password);
  return new GsError("GS_DB_QUERY", `query failed: ${msg}`, { location: where });
}

/** What every PostgreSQL connection of ours is opened with: the password apart from the URL. */
export function pgOptions(url: URL, password: string | undefined, applicationName: string): PgOptions {
  const noPassword = new URL(url.toString());
  noPassword.password = "";
  return {
    connectionString: noPassword.toString(),
    password,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    application_name: applicationName,
  };
}

async function openPg(
  url: URL,
  where: string,
  password: string | undefined,
  snapshot: boolean,
  fail: Fail,
): Promise<DbSession> {
  const pg = await loadPg();
  const client = new pg.Client(pgOptions(url, password, "grantsync"));
  // A dropped connection emits 'error' on the client; without a listener it would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    if (snapshot) await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  } catch (err) {
    await client.end().catch(() => {});
    throw fail(err, "cannot connect");
  }
  const query = async (sql: string, params: readonly unknown[] = []) => {
    try {
      const res = await client.query(toPgSql(sql), params as unknown[]);
      return normalizeRows(res.rows);
    } catch (err) {
      throw queryError(err, where, password);
    }
  };
  return session("postgres", where, query, "current_schema()", async () => {
    if (snapshot) await client.query("ROLLBACK").catch(() => {});
    await client.end().catch(() => {});
  });
}

/** What every MySQL/MariaDB connection of ours is opened with, from its URL and password. */
export function mysqlOptions(url: URL, password: string | undefined): MysqlOptions {
  return {
    host: url.hostname || "localhost",
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password,
    database: decodeURIComponent(url.pathname.replace(/^\//, "")) || undefined,
    connectTimeout: CONNECT_TIMEOUT_MS,
    supportBigNumbers: true,
    bigNumberStrings: true,
    dateStrings: true,
    charset: "utf8mb4",
  };
}

async function openMysql(
  url: URL,
  where: string,
  password: string | undefined,
  snapshot: boolean,
  fail: Fail,
): Promise<DbSession> {
  let conn: MysqlConnection;
  try {
    conn = await (await loadMysql()).createConnection(mysqlOptions(url, password));
  } catch (err) {
    throw fail(err, "cannot connect");
  }
  conn.on("error", () => {});
  try {
    // Older servers lack session read-only mode; grantsync only issues SELECTs regardless.
    await conn.query("SET SESSION TRANSACTION READ ONLY").catch(() => {});
    if (snapshot) {
      await conn.query("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
      await conn.query("START TRANSACTION WITH CONSISTENT SNAPSHOT");
    }
  } catch (err) {
    await conn.end().catch(() => {});
    throw fail(err, "cannot set up a read-only session");
  }
  const query = async (sql: string, params: readonly unknown[] = []) => {
    try {
      const [rows] = await conn.query(toMysqlSql(sql), params as unknown[]);
      return normalizeRows(rows as Record<string, unknown>[]);
    } catch (err) {
      throw queryError(err, where, password);
    }
  };
  return session("mysql", where, query, "DATABASE()", async () => {
    if (snapshot) await conn.query("ROLLBACK").catch(() => {});
    await conn.end().catch(() => {});
  });
}

/** The driver-independent part of a session: schema probes through information_schema. */
function session(
  dialect: DbSession["dialect"],
  where: string,
  query: DbSession["query"],
  currentSchema: string,
  close: () => Promise<void>,
): DbSession {
  const exists = async (view: "tables" | "columns", conds: string, params: string[]) =>
    (
      await query(
        `SELECT 1 AS x FROM information_schema.${view} WHERE table_schema = ${currentSchema} AND ${conds}`,
        params,
      )
    ).length > 0;
  return {
    dialect,
    where,
    query,
    hasTable: (table) => exists("tables", "table_name = ?", [table]),
    hasColumn: (table, column) => exists("columns", "table_name = ? AND column_name = ?", [table, column]),
    close,
  };
}

/** Runs `fn` on a fresh read-only session and always closes it. */
export async function withReadOnly<T>(
  conn: DbConnection,
  fn: (s: DbSession) => Promise<T>,
  opts: { snapshot?: boolean } = {},
): Promise<T> {
  const s = await openReadOnly(conn, opts);
  try {
    return await fn(s);
  } finally {
    await s.close();
  }
}
