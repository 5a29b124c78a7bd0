// Which paths a run left out of line (a write refused, an entry limit, a path it could not read),
// so a run with any of them is never reported as a success, and what to do about the usual causes.

import type { PathProblem, Plan } from "./plan.ts";

/** Problems that concern no path's ACL: a principal skipped everywhere, a location now outside the roots. */
const NOT_A_PATH_FAILURE = new Set(["GS_PRINCIPAL_UNKNOWN", "GS_PATH_OUTSIDE_ROOTS"]);

/** One problem per path left as it was although the grants want it otherwise (or unknown). */
export function unsyncedPaths(plan: Pick<Plan, "problems" | "skipped">): PathProblem[] {
  const byPath = new Map<string, PathProblem>();
  for (const p of plan.problems) {
    if (p.path !== "" && !NOT_A_PATH_FAILURE.has(p.code) && !byPath.has(p.path)) byPath.set(p.path, p);
  }
  for (const s of plan.skipped) {
    if ((s.reason === "error" || s.reason === "not-permitted") && !byPath.has(s.path))
      byPath.set(s.path, { path: s.path, code: "GS_TARGET_IO", message: s.detail ?? `skipped: ${s.reason}` });
  }
  return [...byPath.values()];
}

/** What the operator can do about the first failures, from their errors. */
export function failureHint(failures: readonly PathProblem[]): string {
  const text = failures.map((f) => `${f.code} ${f.message}`).join("\n");
  if (/EPERM|EACCES|Operation not permitted|Permission denied/i.test(text))
    return "The service must own the paths or run with CAP_FOWNER (see config/grantsync.service); immutable files (chattr +i) refuse every write.";
  if (/EROFS/.test(text))
    return "The filesystem is read-only for grantsync: add the root to ReadWritePaths= of the unit.";
  if (/GS_ACL_TOO_MANY/.test(text))
    return "Reduce the principals granted on these paths (use groups); the target caps ACL entries.";
  if (/GS_PLAN_STALE/.test(text))
    return "The ACLs changed since the plan was made; run `grantsync plan` again.";
  return "Fix the cause named and run apply again; it changes only what is still out of line.";
}
