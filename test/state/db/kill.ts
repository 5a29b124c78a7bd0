// Ends the session that holds the leader lock, as a DBA (or a failing network) would.

import { mysqlLockName, PG_LEADER_KEY } from "../../../src/state/db/schema.ts";
import { openSql } from "../../../src/state/db/sql.ts";
import type { Dialect, TestDb } from "../../sources/fixtures.ts";

export async function killLockSession(db: TestDb, dialect: Dialect): Promise<void> {
  const conn = await openSql({ url: db.url }, 1000);
  try {
    if (dialect === "postgres") {
      const n = await conn.query(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_locks WHERE locktype = 'advisory'
          AND classid = ? AND objid = ? AND objsubid = 1 AND granted AND database =
          (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [String(PG_LEADER_KEY >> 32n), String(PG_LEADER_KEY & 0xffffffffn)],
      );
      if (n.length !== 1) throw new Error(`expected one holder, found ${n.length}`);
    } else {
      const [row] = await conn.query("SELECT IS_USED_LOCK(?) AS id", [await mysqlLockName(conn, "leader")]);
      if (!row?.id) throw new Error("nobody holds the leader lock");
      await conn.run(`KILL ${Number(row.id)}`);
    }
  } finally {
    await conn.close();
  }
}
