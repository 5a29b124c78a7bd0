// The state database schema, created and migrated by grantsync itself: numbered steps, each
// re-runnable, applied under a migration lock so two hosts starting at once cannot race.

import { createHash } from "node:crypto";
import { GsError } from "../../errors.ts";
import { inTransaction, type SqlConn } from "./sql.ts";

/** PostgreSQL advisory keys (per database); the leader key must differ from the migration key. */
export const PG_LEADER_KEY = 7_104_110_116_001n;
export const PG_MIGRATE_KEY = 7_104_110_116_002n;

/**
 * MySQL/MariaDB user locks are per server, not per database: the name carries the database, hashed
 * to stay within MySQL's 64 characters. MariaDB names are case-sensitive, so it is all lower case.
 */
export async function mysqlLockName(conn: SqlConn, purpose: "leader" | "migrate"): Promise<string> {
  const [row] = await conn.query("SELECT DATABASE() AS db");
  const db = createHash("sha256")
    .update(row?.db ?? "")
    .digest("hex")
    .slice(0, 16);
  return `grantsync.${db}.${purpose}`;
}

interface Step {
  postgres: string[];
  mysql: string[];
}

const MY = "ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";

/** Step n brings the schema to version n. Every statement must be safe to run twice. */
const STEPS: Step[] = [
  {
    postgres: [
      `CREATE TABLE IF NOT EXISTS gs_leader (id integer PRIMARY KEY, epoch bigint NOT NULL,
        holder text, heartbeat_at timestamptz)`,
      "INSERT INTO gs_leader (id, epoch) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
      `CREATE TABLE IF NOT EXISTS gs_state (id integer PRIMARY KEY, target text NOT NULL,
        pending text, epoch bigint NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS gs_location (path text PRIMARY KEY, objects text NOT NULL,
        dir text NOT NULL, file text NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS gs_adoption (seq bigserial PRIMARY KEY, path text NOT NULL,
        entry text NOT NULL, perm text, epoch bigint NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS gs_run (run varchar(64) PRIMARY KEY, kind varchar(8) NOT NULL,
        started varchar(40) NOT NULL, target text NOT NULL, of_run varchar(64), user_name text,
        trigger_kind varchar(16), ended varchar(40), summary text, epoch bigint NOT NULL)`,
      `CREATE TABLE IF NOT EXISTS gs_journal (seq bigserial PRIMARY KEY, run varchar(64) NOT NULL,
        t varchar(8) NOT NULL, path text NOT NULL, type varchar(8), before_acl text, after_acl text,
        code varchar(64), message text, epoch bigint NOT NULL)`,
      "CREATE INDEX IF NOT EXISTS gs_journal_run ON gs_journal (run, seq)",
    ],
    mysql: [
      `CREATE TABLE IF NOT EXISTS gs_leader (id INT PRIMARY KEY, epoch BIGINT NOT NULL,
        holder VARCHAR(255), heartbeat_at DATETIME(6)) ${MY}`,
      "INSERT IGNORE INTO gs_leader (id, epoch) VALUES (1, 0)",
      `CREATE TABLE IF NOT EXISTS gs_state (id INT PRIMARY KEY, target TEXT NOT NULL,
        pending LONGTEXT, epoch BIGINT NOT NULL) ${MY}`,
      // Paths can be longer than an InnoDB key allows: locations are keyed by their hash.
      `CREATE TABLE IF NOT EXISTS gs_location (path_hash CHAR(64) PRIMARY KEY, path TEXT NOT NULL,
        objects LONGTEXT NOT NULL, dir LONGTEXT NOT NULL, file LONGTEXT NOT NULL) ${MY}`,
      `CREATE TABLE IF NOT EXISTS gs_adoption (seq BIGINT AUTO_INCREMENT PRIMARY KEY, path TEXT NOT NULL,
        entry TEXT NOT NULL, perm VARCHAR(16), epoch BIGINT NOT NULL) ${MY}`,
      `CREATE TABLE IF NOT EXISTS gs_run (run VARCHAR(64) PRIMARY KEY, kind VARCHAR(8) NOT NULL,
        started VARCHAR(40) NOT NULL, target TEXT NOT NULL, of_run VARCHAR(64), user_name TEXT,
        trigger_kind VARCHAR(16), ended VARCHAR(40), summary TEXT, epoch BIGINT NOT NULL) ${MY}`,
      `CREATE TABLE IF NOT EXISTS gs_journal (seq BIGINT AUTO_INCREMENT PRIMARY KEY, run VARCHAR(64) NOT NULL,
        t VARCHAR(8) NOT NULL, path TEXT NOT NULL, type VARCHAR(8), before_acl TEXT, after_acl TEXT,
        code VARCHAR(64), message TEXT, epoch BIGINT NOT NULL, KEY gs_journal_run (run, seq)) ${MY}`,
    ],
  },
  // 2: the traverse entries we put on directories (version 1 kept none, so none to carry over).
  {
    postgres: ["CREATE TABLE IF NOT EXISTS gs_traverse (path text PRIMARY KEY, entries text NOT NULL)"],
    mysql: [
      `CREATE TABLE IF NOT EXISTS gs_traverse (path_hash CHAR(64) PRIMARY KEY, path TEXT NOT NULL,
        entries LONGTEXT NOT NULL) ${MY}`,
    ],
  },
];

export const SCHEMA_VERSION = STEPS.length;

/**
 * Brings the schema to SCHEMA_VERSION (tests name an older `version` to build a database as an
 * older grantsync left it); refuses a database migrated by a newer grantsync.
 */
export async function migrate(conn: SqlConn, version = SCHEMA_VERSION): Promise<void> {
  if (conn.dialect === "postgres") {
    // DDL is transactional here, and concurrent CREATE TABLE IF NOT EXISTS still collides on
    // pg_type: the transaction-scoped lock makes the second host wait, then find everything done.
    await inTransaction(conn, async () => {
      await conn.query("SELECT pg_advisory_xact_lock(?)", [PG_MIGRATE_KEY.toString()]);
      await runSteps(conn, version);
    });
    return;
  }
  // DDL commits implicitly here, so the lock is a session lock and every step is re-runnable.
  const name = await mysqlLockName(conn, "migrate");
  const [got] = await conn.query("SELECT GET_LOCK(?, 60) AS ok", [name]);
  if (got?.ok !== "1") {
    throw new GsError("GS_STATE", "another host held the schema migration lock for 60 s", {
      location: conn.where,
    });
  }
  try {
    await runSteps(conn, version);
  } finally {
    await conn.query("SELECT RELEASE_LOCK(?) AS ok", [name]).catch(() => {});
  }
}

async function runSteps(conn: SqlConn, version: number): Promise<void> {
  await conn.run(
    conn.dialect === "postgres"
      ? "CREATE TABLE IF NOT EXISTS gs_schema (id integer PRIMARY KEY, version integer NOT NULL)"
      : `CREATE TABLE IF NOT EXISTS gs_schema (id INT PRIMARY KEY, version INT NOT NULL) ${MY}`,
  );
  const [row] = await conn.query("SELECT version FROM gs_schema WHERE id = 1");
  const current = row ? Number(row.version) : 0;
  if (current > SCHEMA_VERSION) {
    throw new GsError(
      "GS_STATE",
      `the state database has schema version ${current}; this grantsync knows up to ${SCHEMA_VERSION}`,
      { location: conn.where, hint: "Upgrade grantsync on this host to the version the other hosts run." },
    );
  }
  for (let v = current + 1; v <= version; v++) {
    for (const sql of STEPS[v - 1]![conn.dialect]) await conn.run(sql);
    await conn.run(
      v === 1
        ? "INSERT INTO gs_schema (id, version) VALUES (1, 1)"
        : "UPDATE gs_schema SET version = ? WHERE id = 1",
      v === 1 ? [] : [v],
    );
  }
}
