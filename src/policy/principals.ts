// Screens every grant source's principals through the one name rule: a grant whose user or group
// name a target could misread (or refuse) is left out, with a diagnostic naming its source.

import { type NameTarget, principalNameProblem } from "../acl/principal.ts";
import type { Diagnostic } from "../errors.ts";
import type { Grant, PolicyLoadResult } from "./model.ts";
import { screenRangerNames } from "./ranger/screen.ts";

/** The policy without grants to invalid names, and one warning per name and source that named it. */
export function screenPrincipals(result: PolicyLoadResult, target?: NameTarget): PolicyLoadResult {
  if (!result.policy) return result;
  const kept: Grant[] = [];
  const reported = new Map<string, Diagnostic>();
  for (const g of result.policy.grants) {
    const problem = principalNameProblem(g.principal.name, target);
    if (problem === undefined) {
      kept.push(g);
      continue;
    }
    const where = g.via.row ? `${g.via.file}[${g.via.row}]` : g.via.file;
    const key = `${g.principal.kind}\n${g.principal.name}\n${where}\n${g.via.line ?? ""}`;
    if (reported.has(key)) continue;
    reported.set(key, {
      severity: "warning",
      code: "GS_PRINCIPAL_INVALID",
      message: `${g.principal.kind} name ${JSON.stringify(g.principal.name)} is invalid (${problem}); its grants are left out`,
      file: where,
      ...(g.via.line ? { line: g.via.line } : {}),
    });
  }
  let ranger = result.policy.ranger;
  if (ranger) {
    const screened = screenRangerNames(ranger, (name) => principalNameProblem(name, target));
    ranger = screened.rules;
    for (const bad of screened.invalid) {
      const key = `${bad.kind}\n${bad.name}\n${bad.where}\n`;
      reported.set(key, {
        severity: "warning",
        code: "GS_PRINCIPAL_INVALID",
        message: `${bad.kind} name ${JSON.stringify(bad.name)} is invalid (${bad.problem}); its grants are left out`,
        file: bad.where,
      });
    }
  }
  if (reported.size === 0) return result;
  return {
    ...result,
    policy: { ...result.policy, grants: kept, ...(ranger ? { ranger } : {}) },
    warnings: [...result.warnings, ...reported.values()],
  };
}
