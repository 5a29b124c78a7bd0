// Why a path carries what it carries: the object it belongs to, each desired entry with the grants
// producing it, and the grants on that object that produce nothing (with the reason).

import { formatEntry } from "../acl/spec.ts";
import { deepestAtOrAbove, findRoot } from "../paths.ts";
import { formatSource, type Grant } from "../policy/model.ts";
import type { DesiredState, LocationContext } from "./model.ts";

export interface GrantExplanation {
  role: string;
  principal: string;
  /** `database sales`, `table sales.customer` or a URI. */
  through: string;
  privilege: string;
  source: string;
  via: string;
  viaGroup?: string;
}

export interface ExplainedEntry {
  dir?: string;
  file?: string;
  principal: string;
  grants: GrantExplanation[];
}

export interface Explanation {
  path: string;
  managed: boolean;
  reason?: string;
  root?: string;
  context?: {
    path: string;
    objects: string[];
    locations: { object: string; kind: string; uri: string; source: string }[];
  };
  entries: ExplainedEntry[];
  inert: {
    object?: string;
    privilege: string;
    source: string;
    role: string;
    principal: string;
    reason: string;
  }[];
}

export function explainPath(desired: DesiredState, roots: readonly string[], path: string): Explanation {
  const root = findRoot(path, roots);
  if (!root)
    return {
      path,
      managed: false,
      reason: `outside every configured root (${roots.join(", ")})`,
      entries: [],
      inert: [],
    };
  const ctx = deepestAtOrAbove(path, (p) => desired.contexts.get(p));
  if (!ctx) {
    return {
      path,
      managed: false,
      root,
      reason: "not at or under any database, table or partition location",
      entries: [],
      inert: [],
    };
  }
  const entries = grantsByPrincipal(desired, ctx);
  for (const e of entries) describeEntries(e, ctx);
  return {
    path,
    managed: true,
    root,
    context: describeContext(ctx),
    entries: entries.sort((a, b) => a.principal.localeCompare(b.principal)),
    inert: inertGrants(desired, ctx),
  };
}

/** One entry per principal the location's objects grant to, with every grant behind it. */
function grantsByPrincipal(desired: DesiredState, ctx: LocationContext): ExplainedEntry[] {
  const entries: ExplainedEntry[] = [];
  for (const name of ctx.objects) {
    const obj = desired.objects.get(name);
    for (const g of obj?.grants.values() ?? []) {
      const principal = `${g.principal.kind}:${g.principal.name}`;
      let e = entries.find((x) => x.principal === principal);
      if (!e) {
        e = { principal, grants: [] };
        entries.push(e);
      }
      for (const r of g.reasons)
        e.grants.push(
          explainGrant(
            r.grant,
            r.through === "database"
              ? `database ${r.grant.privilege.db}`
              : r.through === "uri"
                ? `uri ${r.grant.privilege.uri}`
                : `table ${name}`,
          ),
        );
    }
  }
  return entries;
}

/** The principal's desired entries: on directories (access, then default) and on files. */
function describeEntries(e: ExplainedEntry, ctx: LocationContext): void {
  const dir = ctx.dir.find((x) => x.scope === "access" && `${x.type}:${x.name}` === e.principal);
  const file = ctx.file.find((x) => `${x.type}:${x.name}` === e.principal);
  if (dir)
    e.dir = [dir, ...ctx.dir.filter((x) => x.scope === "default" && `${x.type}:${x.name}` === e.principal)]
      .map(formatEntry)
      .join(" ");
  if (file) e.file = formatEntry(file);
}

/** Grants that produce nothing here: on these objects, their databases, or on no database at all. */
function inertGrants(desired: DesiredState, ctx: LocationContext): Explanation["inert"] {
  const dbs = new Set(ctx.objects.map((o) => o.split(".")[0]!));
  return desired.ignoredGrants
    .filter(
      (i) =>
        !i.object ||
        ctx.objects.includes(i.object) ||
        dbs.has(i.object) ||
        i.grant.privilege.db === undefined,
    )
    .map((i) => ({
      ...(i.object ? { object: i.object } : {}),
      privilege: i.grant.privilege.text,
      source: formatSource(i.grant.privilege.source),
      role: i.grant.role,
      principal: `${i.grant.principal.kind}:${i.grant.principal.name}`,
      reason: i.reason,
    }));
}

function describeContext(ctx: LocationContext): NonNullable<Explanation["context"]> {
  return {
    path: ctx.path,
    objects: ctx.objects,
    locations: ctx.locations.map((l) => ({
      object: l.object,
      kind: l.kind,
      uri: l.location.uri,
      source: formatSource(l.location.source),
    })),
  };
}

function explainGrant(grant: Grant, through: string): GrantExplanation {
  return {
    role: grant.role,
    principal: `${grant.principal.kind}:${grant.principal.name}`,
    through,
    privilege: grant.privilege.text,
    source: formatSource(grant.privilege.source),
    via: formatSource(grant.via),
    ...(grant.viaGroup ? { viaGroup: grant.viaGroup } : {}),
  };
}
