// Ends the session that holds the leader lock, as a DBA (or a failing network) would, and returns
// once the server has let go of the lock: a backend tells its client it is terminated before it
// releases its locks, so a standby trying at once could still find the lock held.

import { mysqlLockName, PG_LEADER_KEY } from "../../../src/state/db/schema.ts";
import { openSql } from "../../../src/state/db/sql.ts";
import type { Dialect, TestDb } from "../../sources/fixtures.ts";

const HOLDERS = `FROM pg_locks WHERE locktype = 'advisory' AND classid = ? AND objid = ? AND objsubid = 1
  AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

export async function killLockSession(db: TestDb, dialect: Dialect): Promise<void> {
  const conn = await openSql({ url: db.url }, 1000);
  try {
    let held: () => Promise<boolean>;
    if (dialect === "postgres") {
      const key = [String(PG_LEADER_KEY >> 32n), String(PG_LEADER_KEY & 0xffffffffn)];
      const n = await conn.query(`SELECT pg_terminate_backend(pid) AS ok ${HOLDERS}`, key);
      if (n.length !== 1) throw new Error(`expected one holder, found ${n.length}`);
      held = async () => (await conn.query(`SELECT pid ${HOLDERS}`, key)).length > 0;
    } else {
      const name = await mysqlLockName(conn, "leader");
      const [row] = await conn.query("SELECT IS_USED_LOCK(?) AS id", [name]);
      if (!row?.id) throw new Error("nobody holds the leader lock");
      await conn.run(`KILL ${Number(row.id)}`);
      held = async () => Boolean((await conn.query("SELECT IS_USED_LOCK(?) AS id", [name]))[0]?.id);
    }
    for (let i = 0; await held(); i++) {
      if (i > 500) throw new Error("the killed session still holds the leader lock after 5 s");
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    await conn.close();
  }
}
