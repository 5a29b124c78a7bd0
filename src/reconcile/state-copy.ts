// Moves a whole state between two stores (`grantsync state export` / `import`): managed entries,
// adoptions and every run's journal, into a destination that must be empty.

import { GsError } from "../errors.ts";
import type { StateStore } from "../state/store.ts";
import { withWriter } from "./lease.ts";

export interface CopySummary {
  locations: number;
  adoptions: number;
  runs: number;
}

export async function copyState(from: StateStore, to: StateStore, target: string): Promise<CopySummary> {
  return withWriter(to, "state import", undefined, async () => {
    const existing = await to.loadManaged(target);
    if ((await to.listRuns()).length > 0 || Object.keys(existing.locations).length > 0) {
      throw new GsError("GS_STATE", "the destination already holds a state; nothing was copied", {
        location: to.where,
        hint: "Import into an empty database or directory; a state is moved whole, never merged.",
      });
    }
    const runs = await from.listRuns();
    for (const info of runs) {
      const j = await from.readRun(info.run);
      const { t: _, ...start } = j.start;
      const w = await to.openRun(start);
      // Intents of one run staged together are one batch in a database.
      await Promise.all(j.changes.map((c) => w.intend(c.path, c.type, c.before, c.after)));
      for (const c of j.changes) if (c.status !== "pending") w.outcome(c.path, c.status === "done");
      if (j.end) await w.end(j.end.summary);
      else await w.close();
    }
    const source = await from.loadAdoptions();
    const dest = await to.loadAdoptions();
    const adopted = source.entries();
    for (const r of adopted) if (r.v !== null) dest.record(r.p, new Map([[r.k, r.v]]), []);
    await dest.compact();
    const managed = await from.loadManaged(target);
    await to.saveManaged(managed);
    return { locations: Object.keys(managed.locations).length, adoptions: adopted.length, runs: runs.length };
  });
}
