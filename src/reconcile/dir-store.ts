// The state store in a local directory (the default): managed.json, adopted.jsonl, journal/ and
// the lock file, behind the same interface as a database state.

import type { AdoptionLog, RunWriter, StateStore, WriterLease } from "../state/store.ts";
import { readRun } from "./journal.ts";
import { JournalWriter } from "./journal-writer.ts";
import { acquireLock } from "./lock.ts";
import { listRuns, pruneRuns } from "./runs.ts";
import { StateStore as StateDir } from "./state.ts";

export class DirStateStore implements StateStore {
  readonly where: string;
  private readonly files: StateDir;

  constructor(dir: string) {
    this.where = dir;
    this.files = new StateDir(dir);
  }

  async tryAcquireWriter(purpose: string): Promise<WriterLease | { holder: string }> {
    this.files.ensure();
    // A held lock file throws its own GS_LOCKED, naming the pid that holds it.
    const lock = acquireLock(this.files.dir, purpose);
    let released = false;
    return {
      epoch: 0,
      get lost() {
        return released;
      },
      check: async () => {},
      onLost: () => {},
      release: async () => {
        released = true;
        lock.release();
      },
    };
  }

  async loadManaged(target: string) {
    return this.files.load(target);
  }

  async saveManaged(state: Parameters<StateDir["save"]>[0]): Promise<void> {
    this.files.save(state);
  }

  async loadAdoptions(): Promise<AdoptionLog> {
    const log = this.files.loadAdoptions();
    return {
      get: (path) => log.get(path),
      record: (path, adopted, released) => log.record(path, adopted, released),
      // Appended as recorded, before the journal line of the write that relies on it.
      flush: async () => log.closeLog(),
      compact: async () => log.compact(),
      entries: () => log.entries(),
    };
  }

  async openRun(start: ConstructorParameters<typeof JournalWriter>[1]): Promise<RunWriter> {
    this.files.ensure();
    const journal = new JournalWriter(this.files.journalDir, start);
    return {
      run: journal.run,
      intend: (path, type, before, after) => journal.intend(path, type, before, after),
      outcome: (path, ok, error) => journal.outcome(path, ok, error),
      end: (summary) => journal.end(summary),
      close: () => journal.close(),
    };
  }

  async readRun(run: string) {
    return readRun(this.files.journalDir, run);
  }

  async listRuns() {
    return listRuns(this.files.journalDir);
  }

  async pruneRuns(keep: number, pending: ReadonlySet<string>): Promise<string[]> {
    return pruneRuns(this.files.journalDir, keep, pending);
  }

  async close(): Promise<void> {}
}
