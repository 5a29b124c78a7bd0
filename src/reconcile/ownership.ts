// After a run died or ended unsettled, which entries it added where, read back from its journal:
// the next runs own exactly those, path by path, until a complete run settles the state again.

import { entryKey, isNamed } from "../acl/entry.ts";
import { isGsError } from "../errors.ts";
import type { StateStore } from "../state/store.ts";

export type OwnedByPath = ReadonlyMap<string, ReadonlySet<string>>;

export async function ownedByPendingRuns(
  store: StateStore,
  runs: readonly string[] | undefined,
): Promise<OwnedByPath | undefined> {
  if (!runs || runs.length === 0) return undefined;
  const owned = new Map<string, Set<string>>();
  for (const run of runs) {
    let journal: Awaited<ReturnType<StateStore["readRun"]>>;
    try {
      journal = await store.readRun(run);
    } catch (err) {
      // Died before its first write: it added nothing anywhere.
      if (isGsError(err, "GS_RUN_UNKNOWN")) continue;
      throw err;
    }
    for (const rec of journal.changes) {
      if (rec.status === "fail") continue;
      const before = new Set(rec.before.map(entryKey));
      for (const e of rec.after) {
        if (!isNamed(e) || before.has(entryKey(e))) continue;
        let keys = owned.get(rec.path);
        if (!keys) {
          keys = new Set();
          owned.set(rec.path, keys);
        }
        keys.add(entryKey(e));
      }
    }
  }
  return owned;
}
