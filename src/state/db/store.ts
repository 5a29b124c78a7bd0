// The state in PostgreSQL or MySQL/MariaDB: every write is one transaction that first reads the
// leader epoch under a share lock and refuses to commit under an epoch that is no longer current.

import type { DbConnection } from "../../config/types.ts";
import { GsError } from "../../errors.ts";
import {
  type AdoptionRecord,
  type JournalChange,
  type JournalStart,
  type ManagedState,
  type RunInfo,
  type RunJournal,
  runInfo,
} from "../model.ts";
import {
  type AdoptionLog,
  leaseLost as lostError,
  type RunWriter,
  type StateStore,
  type WriterLease,
} from "../store.ts";
import { type AdoptionSink, DbAdoptionLog } from "./adoptions.ts";
import { LeaderLock, type LeaderOptions } from "./leader.ts";
import { readManaged, writeManaged } from "./managed.ts";
import {
  endOf,
  foldJournal,
  JOURNAL_COLUMNS,
  type JournalOutcome,
  journalRow,
  lineOf,
  startOf,
} from "./rows.ts";
import { DbRunWriter, type JournalSink } from "./run-writer.ts";
import { migrate } from "./schema.ts";
import { insertRows, inTransaction, openSql, type SqlConn } from "./sql.ts";

export class DbStateStore implements StateStore, AdoptionSink, JournalSink {
  readonly where: string;
  private readonly conn: SqlConn;
  private readonly leader: LeaderLock;
  private lease: WriterLease | undefined;
  private adoptions: DbAdoptionLog | undefined;
  /** One connection: transactions must not interleave on it. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(conn: SqlConn, leader: LeaderLock) {
    this.conn = conn;
    this.where = conn.where;
    this.leader = leader;
  }

  /** Connects and migrates the schema (under its own lock, before any leadership is contested). */
  static async open(db: DbConnection, opts: LeaderOptions): Promise<DbStateStore> {
    const conn = await openSql(db, opts.checkIntervalMs);
    try {
      await migrate(conn);
    } catch (err) {
      await conn.close();
      throw err;
    }
    return new DbStateStore(conn, new LeaderLock(db, opts));
  }

  async tryAcquireWriter(purpose: string): Promise<WriterLease | { holder: string }> {
    if (this.lease && !this.lease.lost) {
      throw new GsError("GS_INTERNAL", "the writer lease is already held by this process");
    }
    const got = await this.leader.tryAcquire(purpose);
    if ("epoch" in got) this.lease = got;
    return got;
  }

  async loadManaged(target: string): Promise<ManagedState> {
    return this.serial(() => readManaged(this.conn, target));
  }

  saveManaged(state: ManagedState): Promise<void> {
    return this.fenced((epoch) => writeManaged(this.conn, state, epoch));
  }

  async loadAdoptions(): Promise<AdoptionLog> {
    const rows = await this.serial(() =>
      this.conn.query("SELECT path, entry, perm FROM gs_adoption ORDER BY seq"),
    );
    this.adoptions = new DbAdoptionLog(
      this,
      rows.map((r) => ({ p: r.path!, k: r.entry!, v: r.perm === null ? null : Number(r.perm) })),
    );
    return this.adoptions;
  }

  writeAdoptions(records: AdoptionRecord[], replace: boolean): Promise<void> {
    return this.fenced(async (epoch) => {
      if (replace) await this.conn.run("DELETE FROM gs_adoption");
      await this.insertAdoptions(records, epoch);
    });
  }

  async openRun(start: Omit<JournalStart, "t" | "time"> & { time?: string }): Promise<RunWriter> {
    await this.fenced(async (epoch) => {
      await this.conn.run(
        `INSERT INTO gs_run (run, kind, started, target, of_run, user_name, trigger_kind, epoch)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          start.run,
          start.kind,
          start.time ?? new Date().toISOString(),
          start.target,
          start.of ?? null,
          start.user ?? null,
          start.trigger ?? null,
          epoch,
        ],
      );
    });
    return new DbRunWriter(this, start.run);
  }

  assertLeased(): void {
    if (!this.lease || this.lease.lost)
      throw lostError(this.where, "this process does not hold the writer lease");
  }

  async commitBatch(run: string, lines: (JournalChange | JournalOutcome)[]): Promise<void> {
    this.assertLeased();
    await this.lease!.check();
    await this.fenced((epoch) => this.insertBatch(run, lines, epoch));
  }

  endRun(run: string, lines: JournalOutcome[], summary: Record<string, number>): Promise<void> {
    return this.fenced(async (epoch) => {
      await this.insertBatch(run, lines, epoch);
      await this.conn.run("UPDATE gs_run SET ended = ?, summary = ? WHERE run = ?", [
        new Date().toISOString(),
        JSON.stringify(summary),
        run,
      ]);
    });
  }

  async readRun(run: string): Promise<RunJournal> {
    return this.serial(async () => {
      const [r] = await this.conn.query("SELECT * FROM gs_run WHERE run = ?", [run]);
      if (!r)
        throw new GsError("GS_RUN_UNKNOWN", `no journal for run ${run}`, {
          input: run,
          location: this.where,
        });
      const rows = await this.conn.query(
        "SELECT t, path, type, before_acl, after_acl, code, message FROM gs_journal WHERE run = ? ORDER BY seq",
        [run],
      );
      const where = `${this.where} run ${run}`;
      return foldJournal(
        startOf(r),
        endOf(r, this.where),
        rows.map((row) => lineOf(row, where)),
        where,
      );
    });
  }

  async listRuns(): Promise<RunInfo[]> {
    const rows = await this.serial(() =>
      this.conn.query(
        `SELECT r.*,
          (SELECT COUNT(DISTINCT j.path) FROM gs_journal j WHERE j.run = r.run AND j.t = 'change') AS changes,
          (SELECT COUNT(DISTINCT j.path) FROM gs_journal j WHERE j.run = r.run AND j.t = 'fail') AS failed
          FROM gs_run r ORDER BY r.run`,
      ),
    );
    return rows.map((r) => runInfo(startOf(r), endOf(r, this.where), Number(r.changes), Number(r.failed)));
  }

  async pruneRuns(keep: number, pending: ReadonlySet<string>): Promise<string[]> {
    const removed: string[] = [];
    await this.fenced(async () => {
      const rows = await this.conn.query("SELECT run, ended FROM gs_run ORDER BY run");
      let excess = rows.length - keep;
      // Run ids start with their UTC time: the oldest first, never the newest.
      for (const r of rows.slice(0, -1)) {
        if (excess <= 0) break;
        if (pending.has(r.run!) || r.ended === null) continue;
        await this.conn.run("DELETE FROM gs_journal WHERE run = ?", [r.run]);
        await this.conn.run("DELETE FROM gs_run WHERE run = ?", [r.run]);
        removed.push(r.run!);
        excess--;
      }
    });
    return removed;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => {});
    await this.lease?.release();
    await this.leader.close();
    await this.conn.close();
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => {});
    return next;
  }

  /** One fenced transaction: refused unless this process holds the lease of the current epoch. */
  private fenced(fn: (epoch: number) => Promise<void>): Promise<void> {
    return this.serial(async () => {
      this.assertLeased();
      const lease = this.lease!;
      await inTransaction(this.conn, async () => {
        const share = this.conn.dialect === "postgres" ? "FOR SHARE" : "LOCK IN SHARE MODE";
        const [row] = await this.conn.query(`SELECT epoch FROM gs_leader WHERE id = 1 ${share}`);
        if (Number(row?.epoch) !== lease.epoch) {
          throw lostError(this.where, `the leader epoch moved from ${lease.epoch} to ${row?.epoch}`);
        }
        await fn(lease.epoch);
      });
    });
  }

  private async insertBatch(run: string, lines: (JournalChange | JournalOutcome)[], epoch: number) {
    await insertRows(
      this.conn,
      JOURNAL_COLUMNS,
      lines.map((l) => journalRow(run, l, epoch)),
    );
    await this.insertAdoptions(this.adoptions?.take() ?? [], epoch);
  }

  private insertAdoptions(records: readonly AdoptionRecord[], epoch: number): Promise<void> {
    return insertRows(
      this.conn,
      "gs_adoption (path, entry, perm, epoch)",
      records.map((a) => [a.p, a.k, a.v === null ? null : String(a.v), epoch]),
    );
  }
}
