// Foreign entries we widened, per path, as both stores hold them for a walk: rebuilt by replaying
// the adoption records in the order written, where a null permission releases the entry.

import type { Perm } from "../acl/entry.ts";
import type { AdoptionRecord } from "./model.ts";

const EMPTY: ReadonlyMap<string, Perm> = new Map();

/** The records that note `adopted` and `released` at `path`, in the order they must be applied. */
export function adoptionRecords(
  path: string,
  adopted: ReadonlyMap<string, Perm>,
  released: readonly string[],
): AdoptionRecord[] {
  const out: AdoptionRecord[] = [];
  for (const [k, v] of adopted) out.push({ p: path, k, v });
  for (const k of released) out.push({ p: path, k, v: null });
  return out;
}

export class AdoptionMap {
  private readonly byPath = new Map<string, Map<string, Perm>>();

  get(path: string): ReadonlyMap<string, Perm> {
    return this.byPath.get(path) ?? EMPTY;
  }

  /** One record per adopted entry: what a compacted log holds. */
  entries(): (AdoptionRecord & { v: Perm })[] {
    const out: (AdoptionRecord & { v: Perm })[] = [];
    for (const [p, m] of this.byPath) for (const [k, v] of m) out.push({ p, k, v });
    return out;
  }

  apply({ p, k, v }: AdoptionRecord): void {
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
