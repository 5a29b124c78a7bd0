// Adoptions in the state database: held in memory for the walk, staged as recorded, and committed
// with the next journal batch (or on flush), so each is durable before the write that relies on it.

import type { Perm } from "../../acl/entry.ts";
import { AdoptionMap, adoptionRecords } from "../adoptions.ts";
import type { AdoptionRecord } from "../model.ts";
import type { AdoptionLog } from "../store.ts";

export interface AdoptionSink {
  /** Commits `records` in one fenced transaction; `replace` first empties the log. */
  writeAdoptions(records: AdoptionRecord[], replace: boolean): Promise<void>;
}

export class DbAdoptionLog implements AdoptionLog {
  private readonly map = new AdoptionMap();
  private staged: AdoptionRecord[] = [];
  private readonly sink: AdoptionSink;

  constructor(sink: AdoptionSink, records: Iterable<AdoptionRecord>) {
    this.sink = sink;
    for (const r of records) this.map.apply(r);
  }

  get(path: string): ReadonlyMap<string, Perm> {
    return this.map.get(path);
  }

  record(path: string, adopted: ReadonlyMap<string, Perm>, released: readonly string[]): void {
    for (const r of adoptionRecords(path, adopted, released)) {
      this.staged.push(r);
      this.map.apply(r);
    }
  }

  /** What was recorded since the last commit; the caller commits it in its own transaction. */
  take(): AdoptionRecord[] {
    const out = this.staged;
    this.staged = [];
    return out;
  }

  async flush(): Promise<void> {
    if (this.staged.length > 0) await this.sink.writeAdoptions(this.take(), false);
  }

  async compact(): Promise<void> {
    this.staged = [];
    await this.sink.writeAdoptions(this.entries(), true);
  }

  entries(): AdoptionRecord[] {
    return this.map.entries();
  }
}
