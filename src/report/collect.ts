// Reads what the reports show from the target: the ACL on each object's location, one page of
// objects at a time, so a matrix of a large warehouse costs only the page it shows.

import type { Acl } from "../acl/entry.ts";
import type { DesiredState } from "../compile/model.ts";
import { toGsError } from "../errors.ts";
import type { Target } from "../targets/target.ts";
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
