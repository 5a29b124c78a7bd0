// Reads what the reports show: the ACL on each object's location from the target (one page of
// objects at a time, so a matrix of a large warehouse costs only the page it shows), the journal's runs.

import type { Acl } from "../acl/entry.ts";
import type { DesiredState } from "../compile/model.ts";
import { toGsError } from "../errors.ts";
import { formatSource, type Principal } from "../policy/model.ts";
import type { StateStore } from "../state/store.ts";
import type { Target } from "../targets/target.ts";
import type { ReportData } from "./html.ts";
import { type AccessMatrix, buildMatrix, globMatcher, objectLocations } from "./matrix.ts";

export interface MatrixQuery {
  principal?: string;
  object?: string;
  page: number;
  /** Infinity for every object on one page. */
  pageSize: number;
}

export async function readMatrix(
  target: Target,
  desired: DesiredState,
  q: MatrixQuery,
): Promise<AccessMatrix> {
  const keep = globMatcher(q.object);
  const all = objectLocations(desired).filter((o) => keep(o.object));
  const start = Number.isFinite(q.pageSize) ? (q.page - 1) * q.pageSize : 0;
  const objects = all.slice(start, start + q.pageSize);
  const actual = new Map<string, Acl | { error: string }>();
  for (const o of objects) {
    if (actual.has(o.path)) continue;
    try {
      const node = await target.node(o.path);
      actual.set(o.path, node ? node.acl : { error: "missing" });
    } catch (err) {
      const e = toGsError(err);
      actual.set(o.path, { error: `${e.code} ${e.message}` });
    }
  }
  return buildMatrix({
    desired,
    objects,
    actual,
    ...(q.principal === undefined ? {} : { principal: q.principal }),
    page: q.page,
    pageSize: Number.isFinite(q.pageSize) ? q.pageSize : Math.max(1, all.length),
    total: all.length,
  });
}

/** Everything the HTML report shows, read from the target and the journal now. */
export async function collectReport(input: {
  target: Target;
  targetName: string;
  desired: DesiredState;
  /** The runs of the state in force (a directory or a database). */
  state: Pick<StateStore, "listRuns">;
  runs?: number;
  now?: Date;
}): Promise<ReportData> {
  const { target, desired } = input;
  const matrix = await readMatrix(target, desired, { page: 1, pageSize: Number.POSITIVE_INFINITY });
  const principals = new Map<string, Principal>();
  for (const o of desired.objects.values()) {
    for (const [key, g] of o.grants) principals.set(key, g.principal);
  }
  const unknown = await target.unknownPrincipals([...principals.values()]);
  const runs = (await input.state.listRuns())
    .slice(-(input.runs ?? 20))
    .reverse()
    .map((r) => ({ ...r, outcome: r.complete ? "completed" : "interrupted" }));
  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    target: input.targetName,
    matrix,
    runs,
    ignoredGrants: desired.ignoredGrants.map((i) => ({
      role: i.grant.role,
      principal: `${i.grant.principal.kind}:${i.grant.principal.name}`,
      privilege: i.grant.privilege.text,
      source: formatSource(i.grant.privilege.source),
      reason: i.reason,
    })),
    ignoredLocations: desired.ignoredLocations.map((l) => ({
      object: l.object,
      uri: l.uri,
      source: formatSource(l.location.source),
      reason: l.reason,
    })),
    unknownPrincipals: unknown.map((p) => `${p.kind}:${p.name}`).sort(),
  };
}
