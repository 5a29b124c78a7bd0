// The access matrix: principals × objects, each cell what the grants give (read/write) beside what
// the principal's entry on the object's location gives now (entry ∧ mask), drift marked. Pure.

import { type Acl, R, W } from "../acl/entry.ts";
import type { DesiredState, ObjectAcl } from "../compile/model.ts";

export interface ReadWrite {
  read: boolean;
  write: boolean;
}

export interface MatrixCell {
  desired: ReadWrite;
  /** Null when the object's location could not be read. */
  actual: ReadWrite | null;
  drift: boolean;
}

export interface MatrixRow {
  object: string;
  kind: ObjectAcl["kind"];
  path: string;
  /** Keyed by principal (`group:analysts`); every principal of the page has a cell. */
  cells: Record<string, MatrixCell>;
  drift: number;
  /** Why the location could not be read, when it could not. */
  unreadable?: string;
}

export interface AccessMatrix {
  principals: string[];
  rows: MatrixRow[];
  page: number;
  pageSize: number;
  pages: number;
  /** Objects matching the filters, on every page. */
  objects: number;
}

export interface ObjectLocation {
  object: string;
  kind: ObjectAcl["kind"];
  path: string;
}

/** `*` any run of characters, `?` one; everything else literal. */
export function globMatcher(glob: string | undefined): (s: string) => boolean {
  if (glob === undefined || glob === "") return () => true;
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  const re = new RegExp(`^${body}$`);
  return (s) => re.test(s);
}

/** A principal filter matches `group:eng` or just `eng`. */
export function principalMatcher(glob: string | undefined): (key: string) => boolean {
  const m = globMatcher(glob);
  return (key) => m(key) || m(key.slice(key.indexOf(":") + 1));
}

/** Each object with a managed location, by name; its own (non-partition) location first. */
export function objectLocations(desired: DesiredState): ObjectLocation[] {
  const paths = new Map<string, { path: string; own: boolean }>();
  for (const ctx of desired.contexts.values()) {
    for (const l of ctx.locations) {
      const own = l.kind !== "partition";
      const cur = paths.get(l.object);
      if (!cur || (own && !cur.own)) paths.set(l.object, { path: ctx.path, own });
    }
  }
  return [...paths]
    .map(([object, { path }]) => ({ object, kind: desired.objects.get(object)?.kind ?? "table", path }))
    .sort((a, b) => (a.object < b.object ? -1 : a.object > b.object ? 1 : 0));
}

function bits(perm: number): ReadWrite {
  return { read: (perm & R) !== 0, write: (perm & W) !== 0 };
}

/** Each named access entry's effective bits, by principal. */
function actualByPrincipal(acl: Acl): Map<string, ReadWrite> {
  const mask = acl.find((e) => e.scope === "access" && e.type === "mask")?.perm;
  const out = new Map<string, ReadWrite>();
  for (const e of acl) {
    if (e.scope !== "access" || e.name === "" || (e.type !== "user" && e.type !== "group")) continue;
    out.set(`${e.type}:${e.name}`, bits(mask === undefined ? e.perm : e.perm & mask));
  }
  return out;
}

export interface MatrixInput {
  desired: DesiredState;
  /** The page's objects, already filtered and paged. */
  objects: readonly ObjectLocation[];
  /** Each object's location ACL, or the reason it could not be read. */
  actual: ReadonlyMap<string, Acl | { error: string }>;
  principal?: string;
  page: number;
  pageSize: number;
  total: number;
}

export function buildMatrix(input: MatrixInput): AccessMatrix {
  const keep = principalMatcher(input.principal);
  const none: ReadWrite = { read: false, write: false };
  const seen = new Set<string>();
  const prepared = input.objects.map((o) => {
    const desired = new Map<string, ReadWrite>();
    for (const [key, g] of input.desired.objects.get(o.object)?.grants ?? []) {
      desired.set(key, bits(g.perm & ~g.denied));
    }
    const acl = input.actual.get(o.path);
    const actual = acl === undefined || "error" in acl ? null : actualByPrincipal(acl);
    for (const key of [...desired.keys(), ...(actual?.keys() ?? [])]) if (keep(key)) seen.add(key);
    const unreadable = acl === undefined ? "not read" : "error" in acl ? acl.error : undefined;
    return { o, desired, actual, unreadable };
  });
  const principals = [...seen].sort();
  const rows = prepared.map(({ o, desired, actual, unreadable }): MatrixRow => {
    const cells: Record<string, MatrixCell> = {};
    let drift = 0;
    for (const p of principals) {
      const want = desired.get(p) ?? none;
      const have = actual ? (actual.get(p) ?? none) : null;
      const d =
        have === null ? want.read || want.write : want.read !== have.read || want.write !== have.write;
      if (d) drift++;
      cells[p] = { desired: want, actual: have, drift: d };
    }
    return { ...o, cells, drift, ...(unreadable ? { unreadable } : {}) };
  });
  return {
    principals,
    rows,
    page: input.page,
    pageSize: input.pageSize,
    pages: Math.max(1, Math.ceil(input.total / input.pageSize)),
    objects: input.total,
  };
}
