// What the daemon says about its runs outside their JSON summary: how a run ended, what /readyz
// answers, with short error texts, and the first problems of a run as log lines.

import type { Logger } from "../log.ts";
import type { PathProblem } from "../reconcile/plan.ts";
import type { ApplyResult } from "../reconcile/run.ts";
import type { Readiness } from "./health.ts";
import type { RunResult } from "./metrics.ts";

const MAX_LOGGED_PROBLEMS = 20;

// Problems the user chose to tolerate (`unknown_principal = skip`): reported, not a failed run.
const TOLERATED = new Set(["GS_PRINCIPAL_UNKNOWN"]);

/** How a run that completed or was interrupted ends, and the problems that made it an error. */
export function outcomeOf(
  result: ApplyResult,
  aborted: boolean,
): { outcome: RunResult; problems: PathProblem[] } {
  if (aborted) return { outcome: "interrupted", problems: [] };
  const problems = result.plan.problems.filter((p) => !TOLERATED.has(p.code));
  return { outcome: result.failed > 0 || problems.length > 0 ? "error" : "success", problems };
}

/**
 * What /readyz shows of an error: its code and where, never its message, which may quote a
 * source's text (a policy line, a driver's answer) to whoever can reach the port.
 */
export function codeAt(code: string, location: string | undefined): string {
  return location ? `${location}: ${code}` : code;
}

export function describeProblems(failed: number, problems: PathProblem[]): string {
  const first = problems[0];
  const what = first ? codeAt(first.code, first.path) : "";
  return `${failed} write(s) failed, ${problems.length} problem(s)${what ? `; first: ${what}` : ""}`;
}

export function logProblems(log: Logger, run: string, problems: readonly PathProblem[]): void {
  for (const p of problems.slice(0, MAX_LOGGED_PROBLEMS))
    log.warn({ run, path: p.path, code: p.code }, `${p.path}: ${p.code} ${p.message}`);
  if (problems.length > MAX_LOGGED_PROBLEMS)
    log.warn({ run, more: problems.length - MAX_LOGGED_PROBLEMS }, "more problems not logged");
}

export interface ReadinessState {
  configError: string | undefined;
  sourceErrors: readonly string[];
  breaker: string | undefined;
  lastRun: { ok: boolean; error?: string } | undefined;
  /** A standby with ha: healthy with valid sources, the leader's runs are not its own. */
  standby: boolean;
  configFile: string | undefined;
}

/** What /readyz answers: the first of config, sources, breaker and last run that keeps the daemon unready. */
export function readinessOf(s: ReadinessState): Readiness {
  if (s.configError) return { ready: false, reason: "config invalid", errors: [s.configError] };
  if (s.sourceErrors.length > 0)
    return {
      ready: false,
      reason: "sources invalid; the last good model stays in force",
      errors: [...s.sourceErrors],
    };
  if (s.breaker)
    return {
      ready: false,
      reason: `the circuit breaker holds the daemon; review \`grantsync plan\`, then release it with \`grantsync apply --force --config ${s.configFile ?? "FILE"}\``,
      errors: [s.breaker],
    };
  if (s.standby) return { ready: true };
  if (!s.lastRun) return { ready: false, reason: "no reconcile has completed yet" };
  if (!s.lastRun.ok)
    return { ready: false, reason: "last reconcile failed", errors: [s.lastRun.error ?? ""] };
  return { ready: true };
}

/** The one info line every daemon run ends with. */
export function logRun(
  log: Logger,
  fields: Record<string, unknown>,
  result: ApplyResult,
  outcome: string,
  seconds: number,
): void {
  const s = result.plan.summary;
  log.info(
    {
      ...fields,
      run: result.run,
      result: outcome,
      journaled: result.journaled,
      failed: result.failed,
      durationMs: Math.round(seconds * 1000),
      summary: s,
    },
    `reconcile ${outcome}: ${s.changed} changed, ${s.unchanged} unchanged, ${s.problems} problem(s)`,
  );
}
