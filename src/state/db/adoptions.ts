// Adoptions in the state database: held in memory for the walk, staged as recorded, and committed
// with the next journal batch (or on flush), so each is durable before the write that relies on it.

import type { Perm } from "../../acl/entry.ts";
import type { AdoptionRecord } from "../model.ts";
import type { AdoptionLog } from "../store.ts";

export interface AdoptionSink {
  /** Commits `records` in one fenced transaction; `replace` first empties the log. */
  writeAdoptions(records: AdoptionRecord[], replace: boolean): Promise<void>;
}

const EMPTY: ReadonlyMap<string, Perm> = new Map();

export class DbAdoptionLog implements AdoptionLog {
  private readonly byPath = new Map<string, Map<string, Perm>>();
  private staged: AdoptionRecord[] = [];
  private readonly sink: AdoptionSink;

  constructor(sink: AdoptionSink, records: Iterable<AdoptionRecord>) {
    this.sink = sink;
    for (const r of records) this.apply(r);
  }

  get(path: string): ReadonlyMap<string, Perm> {
    return this.byPath.get(path) ?? EMPTY;
  }

  record(path: string, adopted: ReadonlyMap<string, Perm>, released: readonly string[]): void {
    for (const [k, v] of adopted) this.stage({ p: path, k, v });
    for (const k of released) this.stage({ p: path, k, v: null });
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
    const out: AdoptionRecord[] = [];
    for (const [p, m] of this.byPath) for (const [k, v] of m) out.push({ p, k, v });
    return out;
  }

  private stage(r: AdoptionRecord): void {
    this.staged.push(r);
    this.apply(r);
  }

  private apply({ p, k, v }: AdoptionRecord): void {
    let m = this.byPath.get(p);
    if (v === null) {
      m?.delete(k);
      if (m && m.size === 0) this.byPath.delete(p);
      return;
    }
    if (!m) {
      m = new Map();
      this.byPath.set(p, m);
    }
    m.set(k, v);
  }
}
