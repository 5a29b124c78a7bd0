// The writer lock of a database state: a session lock (pg_try_advisory_lock / GET_LOCK) on a
// dedicated connection, a leader epoch bumped by every new holder (the fencing token the store
// checks inside each write), and a heartbeat that declares the lease lost on any doubt.

import type { DbConnection } from "../../config/types.ts";
import { leaseLost as lostError, type WriterLease } from "../store.ts";
import { mysqlLockName, PG_LEADER_KEY } from "./schema.ts";
import { clientName, inTransaction, openSql, type SqlConn } from "./sql.ts";

export interface LeaderOptions {
  /** How often the lease is confirmed; failover takes about this long after a holder dies. */
  checkIntervalMs: number;
}

/** One candidate's lock session: kept across failed attempts, handed to the lease on success. */
export class LeaderLock {
  private conn: SqlConn | undefined;
  private readonly db: DbConnection;
  private readonly opts: LeaderOptions;

  constructor(db: DbConnection, opts: LeaderOptions) {
    this.db = db;
    this.opts = opts;
  }

  async tryAcquire(purpose: string): Promise<WriterLease | { holder: string }> {
    const conn = await this.session();
    const name = conn.dialect === "mysql" ? await mysqlLockName(conn, "leader") : "";
    const [row] =
      conn.dialect === "postgres"
        ? await conn.query("SELECT pg_try_advisory_lock(?) AS ok", [PG_LEADER_KEY.toString()])
        : await conn.query("SELECT GET_LOCK(?, 0) AS ok", [name]);
    if (row?.ok !== "true" && row?.ok !== "1") {
      const [leader] = await conn.query("SELECT holder FROM gs_leader WHERE id = 1");
      return { holder: leader?.holder ?? "unknown" };
    }
    this.conn = undefined;
    const holder = `${clientName()} (${purpose})`;
    // A new term even for a holder that reconnected: writes made under the old epoch are refused.
    // The UPDATE waits for a batch the previous holder is committing under a share lock.
    const epoch = await inTransaction(conn, async () => {
      await conn.run(
        `UPDATE gs_leader SET epoch = epoch + 1, holder = ?, heartbeat_at = ${now(conn)} WHERE id = 1`,
        [holder],
      );
      const [e] = await conn.query("SELECT epoch FROM gs_leader WHERE id = 1");
      return Number(e?.epoch);
    });
    return new DbLease(conn, name, epoch, this.opts.checkIntervalMs);
  }

  async close(): Promise<void> {
    await this.conn?.close();
    this.conn = undefined;
  }

  private async session(): Promise<SqlConn> {
    if (this.conn) return this.conn;
    const conn = await openSql(this.db, this.opts.checkIntervalMs);
    let broken = false;
    conn.onGone(() => {
      broken = true;
      if (this.conn === conn) this.conn = undefined;
    });
    // The server ends a session whose client went silent, which frees the lock for a standby.
    const idleMs = Math.max(5 * this.opts.checkIntervalMs, 5000);
    if (conn.dialect === "postgres") {
      await conn.query("SELECT set_config('tcp_keepalives_idle', '5', false)");
      await conn.query("SELECT set_config('tcp_keepalives_interval', '2', false)");
      await conn.query("SELECT set_config('tcp_keepalives_count', '3', false)");
      await conn.query("SELECT set_config('idle_session_timeout', ?, false)", [String(idleMs)]);
    } else {
      await conn.run(`SET SESSION wait_timeout = ${Math.ceil(idleMs / 1000)}`);
    }
    if (!broken) this.conn = conn;
    return conn;
  }
}

function now(conn: SqlConn): string {
  return conn.dialect === "postgres" ? "now()" : "NOW(6)";
}

class DbLease implements WriterLease {
  readonly epoch: number;
  lost = false;
  private readonly conn: SqlConn;
  private readonly name: string;
  private readonly listeners: ((reason: string) => void)[] = [];
  private readonly timer: NodeJS.Timeout;
  private checking: Promise<void> | undefined;
  private released = false;

  constructor(conn: SqlConn, name: string, epoch: number, intervalMs: number) {
    this.conn = conn;
    this.name = name;
    this.epoch = epoch;
    conn.onGone((reason) => this.lose(`the lock session ended: ${reason}`));
    this.timer = setInterval(() => {
      this.check().catch(() => {});
    }, intervalMs);
    this.timer.unref();
  }

  onLost(listener: (reason: string) => void): void {
    this.listeners.push(listener);
  }

  check(): Promise<void> {
    if (this.lost) return Promise.reject(lostError(this.conn.where, "the lease was lost"));
    // Heartbeat and pre-batch checks share one round trip when they coincide.
    this.checking ??= this.confirm().finally(() => {
      this.checking = undefined;
    });
    return this.checking;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearInterval(this.timer);
    this.lost = true;
    await this.conn.close();
  }

  private async confirm(): Promise<void> {
    let reason: string | undefined;
    try {
      const [held] =
        this.conn.dialect === "postgres"
          ? await this.conn.query(
              `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                AND classid = ? AND objid = ? AND objsubid = 1 AND granted) AS ok`,
              [String(PG_LEADER_KEY >> 32n), String(PG_LEADER_KEY & 0xffffffffn)],
            )
          : await this.conn.query("SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS ok", [this.name]);
      if (held?.ok !== "true" && held?.ok !== "1") reason = "the lock is no longer held";
      else {
        const n = await this.conn.run(
          `UPDATE gs_leader SET heartbeat_at = ${now(this.conn)} WHERE id = 1 AND epoch = ?`,
          [this.epoch],
        );
        if (n === 0) reason = "another holder took a newer epoch";
      }
    } catch (err) {
      reason = `the lock session failed: ${(err as Error).message}`;
    }
    if (reason !== undefined) {
      this.lose(reason);
      throw lostError(this.conn.where, reason);
    }
  }

  private lose(reason: string): void {
    if (this.lost) return;
    this.lost = true;
    clearInterval(this.timer);
    void this.conn.close();
    for (const l of this.listeners) l(reason);
  }
}
