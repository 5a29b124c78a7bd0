// One read-write connection to the state database (PostgreSQL or MySQL/MariaDB), unpooled, behind
// a small interface: `?` parameters, rows as text, and a callback when the connection is gone.

import { hostname } from "node:os";
import type { Connection as MysqlConnection, ResultSetHeader } from "mysql2/promise";
import type { DbConnection } from "../../config/types.ts";
import {
  type Dialect,
  loadMysql,
  loadPg,
  mysqlOptions,
  normalizeRows,
  parseDbUrl,
  pgOptions,
  resolvePassword,
} from "../../db/connection.ts";
import { GsError } from "../../errors.ts";
import { scrubSecret } from "../../secrets.ts";

export type Row = Record<string, string | null>;

export interface SqlConn {
  readonly dialect: Dialect;
  readonly where: string;
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a statement and returns the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Called once when the server or the network ends the connection. */
  onGone(listener: (reason: string) => void): void;
  close(): Promise<void>;
}

/** Names this process in the server's session list, so an operator can see who holds the lock. */
export function clientName(): string {
  return `grantsync@${hostname()}:${process.pid}`.slice(0, 63);
}

export async function openSql(conn: DbConnection, keepAliveMs: number): Promise<SqlConn> {
  const { url, where, dialect } = parseDbUrl(conn, "state");
  const password = await resolvePassword(conn, url, where);
  const wrap = (err: unknown, what: string) =>
    new GsError(
      "GS_STATE",
      `${what}: ${scrubSecret(err instanceof Error ? err.message : String(err), password)}`,
      {
        location: where,
        cause: err,
      },
    );
  return dialect === "postgres"
    ? openPg(url, where, password, keepAliveMs, wrap)
    : openMysql(url, where, password, keepAliveMs, wrap);
}

type Wrap = (err: unknown, what: string) => GsError;

function gone(): { fire: (reason: string) => void; add: (l: (reason: string) => void) => void } {
  const listeners: ((reason: string) => void)[] = [];
  let fired: string | undefined;
  return {
    fire(reason) {
      if (fired !== undefined) return;
      fired = reason;
      for (const l of listeners) l(reason);
    },
    add(l) {
      if (fired !== undefined) l(fired);
      else listeners.push(l);
    },
  };
}

async function openPg(
  url: URL,
  where: string,
  password: string | undefined,
  keepAliveMs: number,
  wrap: Wrap,
) {
  const pg = await loadPg();
  const client = new pg.Client({
    ...pgOptions(url, password, clientName()),
    keepAlive: true,
    keepAliveInitialDelayMillis: keepAliveMs,
  });
  const ended = gone();
  client.on("error", (err) => ended.fire(err.message));
  client.on("end", () => ended.fire("connection closed"));
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    throw wrap(err, "cannot connect to the state database");
  }
  const exec = async (sql: string, params: readonly unknown[]) => {
    let n = 0;
    try {
      return await client.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params as unknown[],
      );
    } catch (err) {
      throw wrap(err, "state database query failed");
    }
  };
  const conn: SqlConn = {
    dialect: "postgres",
    where,
    query: async (sql, params = []) => normalizeRows((await exec(sql, params)).rows),
    run: async (sql, params = []) => (await exec(sql, params)).rowCount ?? 0,
    onGone: ended.add,
    close: async () => {
      await client.end().catch(() => {});
    },
  };
  return conn;
}

async function openMysql(
  url: URL,
  where: string,
  password: string | undefined,
  keepAliveMs: number,
  wrap: Wrap,
): Promise<SqlConn> {
  let c: MysqlConnection;
  try {
    c = await (await loadMysql()).createConnection({
      ...mysqlOptions(url, password),
      enableKeepAlive: true,
      keepAliveInitialDelay: keepAliveMs,
    });
  } catch (err) {
    throw wrap(err, "cannot connect to the state database");
  }
  const ended = gone();
  c.on("error", (err) => ended.fire(err.message));
  c.on("end", () => ended.fire("connection closed"));
  const exec = async (sql: string, params: readonly unknown[]) => {
    try {
      return (await c.query(sql, params as unknown[]))[0];
    } catch (err) {
      // A query on a connection the server killed fails without an 'error' event.
      if ((err as { fatal?: boolean }).fatal) ended.fire((err as Error).message);
      throw wrap(err, "state database query failed");
    }
  };
  return {
    dialect: "mysql",
    where,
    query: async (sql, params = []) => normalizeRows((await exec(sql, params)) as Record<string, unknown>[]),
    run: async (sql, params = []) => ((await exec(sql, params)) as ResultSetHeader).affectedRows,
    onGone: ended.add,
    close: async () => {
      await c.end().catch(() => c.destroy());
    },
  };
}

/** Runs `fn` in one transaction on `conn`: committed when it returns, rolled back when it throws. */
export async function inTransaction<T>(conn: SqlConn, fn: () => Promise<T>): Promise<T> {
  await conn.run(conn.dialect === "postgres" ? "BEGIN" : "START TRANSACTION");
  try {
    const out = await fn();
    await conn.run("COMMIT");
    return out;
  } catch (err) {
    await conn.run("ROLLBACK").catch(() => {});
    throw err;
  }
}

/** Rows per INSERT: well under PostgreSQL's 65535 parameters and MySQL's packet size. */
const CHUNK = 500;

/** Inserts `rows` (each one value per column of `into`) in as few statements as the limits allow. */
export async function insertRows(conn: SqlConn, into: string, rows: readonly unknown[][]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const one = `(${chunk[0]!.map(() => "?").join(", ")})`;
    await conn.run(`INSERT INTO ${into} VALUES ${chunk.map(() => one).join(", ")}`, chunk.flat());
  }
}
