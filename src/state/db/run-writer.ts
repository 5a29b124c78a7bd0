// A run's journal in the state database, group-committed: the intents staged in one turn of the
// event loop (with the outcomes and adoptions before them) are one fenced transaction, committed
// after the lease is confirmed and before any of those paths is written.

import type { Acl } from "../../acl/entry.ts";
import { aclToRecord } from "../../acl/record.ts";
import { GsError } from "../../errors.ts";
import type { JournalChange, NodeKind } from "../model.ts";
import type { RunWriter } from "../store.ts";
import type { JournalOutcome } from "./rows.ts";

/** A batch this large is committed at once rather than at the end of the event loop's turn. */
const MAX_BATCH = 2000;

export interface JournalSink {
  /** Confirms the lease (synchronously known loss first), then commits lines and staged adoptions. */
  commitBatch(run: string, lines: (JournalChange | JournalOutcome)[]): Promise<void>;
  endRun(run: string, lines: JournalOutcome[], summary: Record<string, number>): Promise<void>;
  /** Throws when the lease is already known lost: no path may be written. */
  assertLeased(): void;
}

interface Pending {
  promise: Promise<void>;
  resolve(): void;
  reject(err: unknown): void;
}

function pending(): Pending {
  let resolve!: () => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A batch nobody awaits any more (the run stopped) must not surface as unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

export class DbRunWriter implements RunWriter {
  readonly run: string;
  private readonly sink: JournalSink;
  private staged: JournalChange[] = [];
  private outcomes: JournalOutcome[] = [];
  private batch: Pending | undefined;
  /** Commits run one after another, in the order their batches were staged. */
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  private closed = false;

  constructor(sink: JournalSink, run: string) {
    this.sink = sink;
    this.run = run;
  }

  intend(path: string, type: NodeKind, before: Acl, after: Acl): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    try {
      this.sink.assertLeased();
    } catch (err) {
      return Promise.reject(err);
    }
    this.staged.push({ t: "change", path, type, before: aclToRecord(before), after: aclToRecord(after) });
    if (!this.batch) {
      this.batch = pending();
      setImmediate(() => this.commit());
    }
    const { promise } = this.batch;
    if (this.staged.length >= MAX_BATCH) this.commit();
    return promise;
  }

  outcome(path: string, ok: boolean, error?: { code: string; message: string }): void {
    this.outcomes.push(ok ? { t: "done", path } : { t: "fail", path, ...error });
  }

  async end(summary: Record<string, number>): Promise<void> {
    if (this.batch) throw new GsError("GS_INTERNAL", "the run ended with paths still waiting on the journal");
    await this.chain;
    if (this.failure !== undefined) throw this.failure;
    this.closed = true;
    const lines = this.outcomes;
    this.outcomes = [];
    await this.sink.endRun(this.run, lines, summary);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.chain;
    if (this.failure !== undefined || this.outcomes.length === 0) return;
    const lines = this.outcomes;
    this.outcomes = [];
    // The run is already stopping for another reason, which must not be masked: outcomes that
    // cannot be written read back as pending, and undo checks those paths' current ACL anyway.
    await this.sink.commitBatch(this.run, lines).catch(() => {});
  }

  private commit(): void {
    const batch = this.batch;
    if (!batch) return;
    this.batch = undefined;
    const lines = [...this.outcomes, ...this.staged];
    this.outcomes = [];
    this.staged = [];
    this.chain = this.chain.then(async () => {
      if (this.failure !== undefined) return batch.reject(this.failure);
      try {
        await this.sink.commitBatch(this.run, lines);
        batch.resolve();
      } catch (err) {
        this.failure = err;
        batch.reject(err);
      }
    });
  }
}
