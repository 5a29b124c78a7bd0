// A unit of work for the daemon's run queue: why it runs (the reasons, merged while it waits) and
// whether it walks everything; and the trigger its journal records.

import type { RunTrigger } from "../reconcile/journal.ts";

export interface Job {
  /** Walk every managed location, not only the contexts whose desired ACL changed. */
  full: boolean;
  reasons: string[];
}

export function mergeJobs(a: Job, b: Job): Job {
  return { full: a.full || b.full, reasons: [...new Set([...a.reasons, ...b.reasons])] };
}

/** The journal's trigger for a job: its first reason, as the daemon's parts name them. */
export function triggerOf(reasons: readonly string[]): RunTrigger {
  const first = reasons[0] ?? "";
  if (first === "schedule" || first === "watch") return first;
  if (first === "sighup") return "signal";
  if (first === "start" || first === "once") return "start";
  return "sources";
}
