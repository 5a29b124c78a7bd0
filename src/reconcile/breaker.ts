// The circuit breaker: a plan that would remove an unusual number of entries (a truncated policy
// file, an emptied catalog) is refused unless the operator forces it. The percentage rule waits for
// min_removals, so a small site moving one grant (100% of 3 entries) is not held forever.

import type { SafetyConfig } from "../config/types.ts";
import { GsError } from "../errors.ts";
import type { PlanSummary } from "./plan.ts";

export interface BreakerVerdict {
  tripped: boolean;
  removals: number;
  percent: number;
  reason?: string;
}

export function checkBreaker(summary: PlanSummary, safety: SafetyConfig): BreakerVerdict {
  const removals = summary.entriesRemoved;
  const percent = summary.managedEntries > 0 ? (removals * 100) / summary.managedEntries : 0;
  if (removals > safety.maxRemovals) {
    return {
      tripped: true,
      removals,
      percent,
      reason: `${removals} entries to remove > max_removals ${safety.maxRemovals}`,
    };
  }
  if (removals >= Math.max(1, safety.minRemovals) && percent > safety.maxRemovalsPercent) {
    const pct = percent.toFixed(1);
    return {
      tripped: true,
      removals,
      percent,
      reason: `${removals} entries to remove = ${pct}% of the ${summary.managedEntries} managed > max_removals_percent ${safety.maxRemovalsPercent}% (applies from min_removals ${safety.minRemovals})`,
    };
  }
  return { tripped: false, removals, percent };
}

export function breakerError(v: BreakerVerdict): GsError {
  return new GsError("GS_CIRCUIT_BREAKER", `refusing to apply: ${v.reason}; nothing was changed`, {
    input: { removals: v.removals, percent: Math.round(v.percent * 10) / 10 },
  });
}
