// What compiling left out, as diagnostics at their source (`file:line` or database row) naming
// the role: warnings for what a user most likely got wrong (a location outside every root, a grant
// on an object no catalog knows), notes for grants that by design produce no ACL.

import type { Diagnostic } from "../errors.ts";
import { formatSource, type Grant, type SourceRef } from "../policy/model.ts";
import type { DesiredState } from "./model.ts";

export interface DesiredNotices {
  warnings: Diagnostic[];
  notes: Diagnostic[];
}

export function desiredNotices(desired: DesiredState): DesiredNotices {
  const warnings: Diagnostic[] = [];
  const notes: Diagnostic[] = [];
  for (const l of desired.ignoredLocations) {
    warnings.push({
      severity: "warning",
      code: "GS_LOCATION_IGNORED",
      message: `not managed: ${l.object} at ${l.uri}: ${l.reason}`,
      ...at(l.location.source),
    });
  }
  for (const g of desired.ignoredGrants) {
    const d: Diagnostic = {
      severity: "warning",
      code: g.unlocated ? "GS_OBJECT_UNLOCATED" : "GS_GRANT_IGNORED",
      message: `${grantName(g.grant)}: ${g.reason}`,
      ...at(g.grant.privilege.source),
    };
    (g.unlocated ? warnings : notes).push(d);
  }
  return { warnings, notes };
}

export function grantName(g: Grant): string {
  return `role ${g.role} → ${g.principal.kind}:${g.principal.name} (${g.privilege.text})`;
}

/** Database rows have no line: the row goes into the file part, as formatSource writes it. */
function at(source: SourceRef): { file: string; line?: number } {
  if (source.row || source.line === undefined) return { file: formatSource(source) };
  return { file: source.file, line: source.line };
}
