// The state in PostgreSQL or MySQL/MariaDB: every write is one transaction that first reads the
// leader epoch under a share lock and refuses to commit under an epoch that is no longer current.

import { createHash } from "node:crypto";
import type { DbConnection } from "../../config/types.ts";
import { GsError } from "../../errors.ts";
import {
  type AdoptionRecord,
  emptyState,
  foldJournal,
  type JournalChange,
  type JournalEnd,
  type JournalOutcome,
  type JournalStart,
  type ManagedState,
  type RunInfo,
  type RunJournal,
} from "../model.ts";
import type { StateBatch, StateStore, WriterLease } from "../store.ts";
import { LeaderLock, type LeaderOptions, lostError } from "./leader.ts";
import { migrate } from "./schema.ts";
import { inTransaction, openSql, type Row, type SqlConn } from "./sql.ts";

/** Rows per INSERT: well under PostgreSQL's 65535 parameters and MySQL's packet size. */
const CHUNK = 500;

export class DbStateStore implements StateStore {
  readonly where: string;
  private readonly conn: SqlConn;
  private readonly leader: LeaderLock;
  private lease: WriterLease | undefined;

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
    const [head] = await this.conn.query("SELECT target, pending FROM gs_state WHERE id = 1");
    if (!head || head.target !== target) return emptyState(target);
    const state: ManagedState = emptyState(target);
    for (const r of await this.conn.query("SELECT path, objects, dir, file FROM gs_location")) {
      state.locations[r.path!] = {
        objects: json(r.objects, this.where),
        dir: json(r.dir, this.where),
        file: json(r.file, this.where),
      };
    }
    if (head.pending) state.pending = { runs: json(head.pending, this.where) };
    return state;
  }

  saveManaged(state: ManagedState): Promise<void> {
    return this.write(async (epoch) => {
      await this.conn.run("DELETE FROM gs_state");
      await this.conn.run("DELETE FROM gs_location");
      await this.conn.run("INSERT INTO gs_state (id, target, pending, epoch) VALUES (1, ?, ?, ?)", [
        state.target,
        state.pending ? JSON.stringify(state.pending.runs) : null,
        epoch,
      ]);
      const mysql = this.conn.dialect === "mysql";
      const rows = Object.entries(state.locations).map(([path, l]) => [
        ...(mysql ? [sha256(path)] : []),
        path,
        JSON.stringify(l.objects),
        JSON.stringify(l.dir),
        JSON.stringify(l.file),
      ]);
      await this.insert(`gs_location (${mysql ? "path_hash, " : ""}path, objects, dir, file)`, rows);
    });
  }

  async loadAdoptions(): Promise<AdoptionRecord[]> {
    const rows = await this.conn.query("SELECT path, entry, perm FROM gs_adoption ORDER BY seq");
    return rows.map((r) => ({ p: r.path!, k: r.entry!, v: r.perm ?? null }));
  }

  replaceAdoptions(current: AdoptionRecord[]): Promise<void> {
    return this.write(async (epoch) => {
      await this.conn.run("DELETE FROM gs_adoption");
      await this.insertAdoptions(current, epoch);
    });
  }

  startRun(start: JournalStart): Promise<void> {
    return this.write(async (epoch) => {
      await this.conn.run(
        `INSERT INTO gs_run (run, kind, started, target, of_run, user_name, epoch)
          VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [start.run, start.kind, start.time, start.target, start.of ?? null, start.user ?? null, epoch],
      );
    });
  }

  commit(batch: StateBatch): Promise<void> {
    return this.write((epoch) => this.insertBatch(batch, epoch));
  }

  endRun(run: string, end: JournalEnd, last: StateBatch): Promise<void> {
    return this.write(async (epoch) => {
      await this.insertBatch(last, epoch);
      await this.conn.run("UPDATE gs_run SET ended = ?, summary = ? WHERE run = ?", [
        end.time,
        JSON.stringify(end.summary),
        run,
      ]);
    });
  }

  async readRun(run: string): Promise<RunJournal> {
    const [r] = await this.conn.query("SELECT * FROM gs_run WHERE run = ?", [run]);
    if (!r)
      throw new GsError("GS_RUN_UNKNOWN", `no journal for run ${run}`, { input: run, location: this.where });
    const rows = await this.conn.query(
      "SELECT t, path, type, before_acl, after_acl, code, message FROM gs_journal WHERE run = ? ORDER BY seq",
      [run],
    );
    return foldJournal(startOf(r), endOf(r, this.where), rows.map(lineOf));
  }

  async listRuns(): Promise<RunInfo[]> {
    const rows = await this.conn.query(
      `SELECT r.run, r.kind, r.started, r.of_run, r.ended,
        (SELECT COUNT(DISTINCT j.path) FROM gs_journal j WHERE j.run = r.run AND j.t = 'change') AS changes
        FROM gs_run r ORDER BY r.run`,
    );
    return rows.map((r) => ({
      run: r.run!,
      kind: r.kind as RunInfo["kind"],
      time: r.started!,
      ...(r.of_run ? { of: r.of_run } : {}),
      complete: r.ended !== null,
      changes: Number(r.changes),
    }));
  }

  async close(): Promise<void> {
    await this.lease?.release();
    await this.leader.close();
    await this.conn.close();
  }

  /** One fenced transaction: refused unless this process holds the lease of the current epoch. */
  private async write(fn: (epoch: number) => Promise<void>): Promise<void> {
    const lease = this.lease;
    if (!lease || lease.lost) throw lostError(this.where, "this process does not hold the writer lease");
    await inTransaction(this.conn, async () => {
      const share = this.conn.dialect === "postgres" ? "FOR SHARE" : "LOCK IN SHARE MODE";
      const [row] = await this.conn.query(`SELECT epoch FROM gs_leader WHERE id = 1 ${share}`);
      if (Number(row?.epoch) !== lease.epoch) {
        throw lostError(this.where, `the leader epoch moved from ${lease.epoch} to ${row?.epoch}`);
      }
      await fn(lease.epoch);
    });
  }

  private async insertBatch(batch: StateBatch, epoch: number): Promise<void> {
    if (batch.lines.length > 0) {
      if (!batch.run) throw new GsError("GS_INTERNAL", "journal lines without a run");
      const run = batch.run;
      const rows = batch.lines.map((l) =>
        l.t === "change"
          ? [run, l.t, l.path, l.type, l.before, l.after, null, null, epoch]
          : [run, l.t, l.path, null, null, null, l.code ?? null, l.message ?? null, epoch],
      );
      await this.insert("gs_journal (run, t, path, type, before_acl, after_acl, code, message, epoch)", rows);
    }
    await this.insertAdoptions(batch.adoptions, epoch);
  }

  private insertAdoptions(records: readonly AdoptionRecord[], epoch: number): Promise<void> {
    return this.insert(
      "gs_adoption (path, entry, perm, epoch)",
      records.map((a) => [a.p, a.k, a.v, epoch]),
    );
  }

  private async insert(into: string, rows: unknown[][]): Promise<void> {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const one = `(${chunk[0]!.map(() => "?").join(", ")})`;
      await this.conn.run(`INSERT INTO ${into} VALUES ${chunk.map(() => one).join(", ")}`, chunk.flat());
    }
  }
}

function sha256(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

function json<T>(text: string | null | undefined, where: string): T {
  try {
    return JSON.parse(text ?? "") as T;
  } catch (err) {
    throw new GsError("GS_STATE", `a state row is not JSON: ${(err as Error).message}`, { location: where });
  }
}

function startOf(r: Row): JournalStart {
  return {
    t: "start",
    run: r.run!,
    kind: r.kind as JournalStart["kind"],
    time: r.started!,
    target: r.target!,
    ...(r.of_run ? { of: r.of_run } : {}),
    ...(r.user_name ? { user: r.user_name } : {}),
  };
}

function endOf(r: Row, where: string): JournalEnd | undefined {
  return r.ended ? { t: "end", time: r.ended, summary: json(r.summary, where) } : undefined;
}

function lineOf(r: Row): JournalChange | JournalOutcome {
  if (r.t === "change") {
    return {
      t: "change",
      path: r.path!,
      type: r.type as JournalChange["type"],
      before: r.before_acl!,
      after: r.after_acl!,
    };
  }
  return {
    t: r.t as JournalOutcome["t"],
    path: r.path!,
    ...(r.code ? { code: r.code } : {}),
    ...(r.message ? { message: r.message } : {}),
  };
}
