// Grants × catalog → the desired ACL of every managed location. A table gets the union of its own
// grants and its database's (through the catalog, not the path); locations outside roots are reported.

import type { AclEntry, Perm } from "../acl/entry.ts";
import type { Catalog, RawLocation } from "../catalog/model.ts";
import { tableObjectName } from "../catalog/model.ts";
import type { Grant, Policy } from "../policy/model.ts";
import { type RangerObject, rangerGrants } from "../policy/ranger/evaluate.ts";
import { type GrantRules, nameMatches, reachOf } from "./grants.ts";
import { type LocationRules, resolveLocation } from "./locations.ts";
import {
  directoryEntries,
  type EntryShape,
  fileEntries,
  type PrincipalPerm,
  principalKey,
} from "./mapping.ts";
import type { DesiredState, EntryReason, IgnoredGrant, LocationContext, ObjectAcl } from "./model.ts";
import { traverseEntries } from "./traverse.ts";

export interface CompileOptions {
  grants: GrantRules;
  locations: LocationRules;
  shape: EntryShape;
  /** Write traverse entries (true) or only report where they are missing (false). */
  traverse?: boolean;
}

export function compileDesired(policy: Policy, catalog: Catalog, opts: CompileOptions): DesiredState {
  const index = indexObjects(catalog);
  const ignoredGrants: IgnoredGrant[] = [];
  const uriLocations: UriLocation[] = [];
  for (const grant of [...policy.grants, ...evaluatedGrants(policy, catalog)])
    placeGrant(grant, reachOf(grant, opts.grants), index, ignoredGrants, uriLocations);

  const desired: DesiredState = {
    objects: index.objects,
    contexts: new Map(),
    ignoredGrants,
    ignoredLocations: [],
  };
  for (const db of catalog.databases) addLocations(desired, db.name, db.locations, opts);
  for (const t of catalog.tables) addLocations(desired, tableObjectName(t.db, t.name), t.locations, opts);
  for (const u of uriLocations) {
    const location: RawLocation = { uri: u.uri, kind: "table", source: u.grant.privilege.source };
    addLocations(desired, u.object, [location], opts, "uri");
  }
  const shared = new Map<string, AclEntry[]>();
  for (const ctx of desired.contexts.values()) fillEntries(ctx, index.objects, opts.shape, shared);
  if (opts.traverse !== undefined)
    desired.traverse = {
      entries: traverseEntries(desired.contexts, opts.locations.roots),
      write: opts.traverse,
    };
  return desired;
}

interface ObjectIndex {
  objects: Map<string, ObjectAcl>;
  tablesByDb: Map<string, string[]>;
  dbNames: Set<string>;
}

interface UriLocation {
  object: string;
  uri: string;
  grant: Grant;
}

/** One object per database and table of the catalog, and each database's tables. */
function indexObjects(catalog: Catalog): ObjectIndex {
  const objects = new Map<string, ObjectAcl>();
  const tablesByDb = new Map<string, string[]>();
  for (const db of catalog.databases) objects.set(db.name, newObject(db.name, "database"));
  for (const t of catalog.tables) {
    const name = tableObjectName(t.db, t.name);
    objects.set(name, newObject(name, "table"));
    tablesByDb.set(t.db, [...(tablesByDb.get(t.db) ?? []), t.name]);
  }
  const dbNames = new Set([...catalog.databases.map((d) => d.name), ...tablesByDb.keys()]);
  return { objects, tablesByDb, dbNames };
}

/** Adds one grant to every object it reaches, or says why it reaches none. */
function placeGrant(
  grant: Grant,
  reach: ReturnType<typeof reachOf>,
  index: ObjectIndex,
  ignoredGrants: IgnoredGrant[],
  uriLocations: UriLocation[],
): void {
  const { objects } = index;
  if (reach.kind === "none") {
    ignoredGrants.push({ grant, reason: reach.reason, ...(reach.object ? { object: reach.object } : {}) });
    return;
  }
  if (reach.kind === "uri") {
    const name = `uri:${reach.uri}`;
    if (!objects.has(name)) objects.set(name, newObject(name, "uri"));
    uriLocations.push({ object: name, uri: reach.uri, grant });
    addGrant(objects.get(name)!, grant, reach.perm, "uri");
    return;
  }
  const reached = reachedObjects(grant, reach, index);
  if (grant.effect === "deny" && grant.principal.kind === "group") {
    for (const object of reached)
      ignoredGrants.push({
        grant,
        object,
        reason:
          `a group deny cannot be expressed in ACLs: group ${grant.principal.name} gets no entry for it here, ` +
          "but its members may still reach the files through another group or their own entry",
      });
  }
  if (reached.length === 0) {
    const named = reach.kind === "table" ? `${reach.db}.${reach.table}` : reach.db;
    ignoredGrants.push({
      grant,
      reason: `no location is known for ${named} in the catalog`,
      object: named,
      unlocated: true,
    });
  }
}

/** The databases and tables a database- or table-level grant reaches, its permission added to each. */
function reachedObjects(
  grant: Grant,
  reach: Extract<ReturnType<typeof reachOf>, { kind: "database" | "table" }>,
  { objects, tablesByDb, dbNames }: ObjectIndex,
): string[] {
  const reached: string[] = [];
  for (const db of dbNames) {
    if (!nameMatches(reach.db, db)) continue;
    if (reach.kind === "database") {
      const dbObject = objects.get(db);
      if (dbObject) {
        addGrant(dbObject, grant, reach.perm, "database");
        reached.push(db);
      }
    }
    if (grant.privilege.databaseOnly) continue;
    for (const table of tablesByDb.get(db) ?? []) {
      if (reach.kind === "table" && !nameMatches(reach.table, table)) continue;
      const name = tableObjectName(db, table);
      addGrant(objects.get(name)!, grant, reach.perm, reach.kind === "database" ? "database" : "table");
      reached.push(name);
    }
  }
  return reached;
}

/** Grants that depend on the catalog's names: Ranger's wildcards and excludes are decided per object. */
function evaluatedGrants(policy: Policy, catalog: Catalog): Grant[] {
  if (!policy.ranger) return [];
  const objects: RangerObject[] = [
    ...catalog.databases.map((d) => ({ name: d.name, database: d.name })),
    ...catalog.tables.map((t) => ({ name: tableObjectName(t.db, t.name), database: t.db, table: t.name })),
  ];
  return rangerGrants(policy.ranger, objects);
}

function newObject(name: string, kind: ObjectAcl["kind"]): ObjectAcl {
  return { name, kind, grants: new Map() };
}

function addGrant(obj: ObjectAcl, grant: Grant, perm: Perm, through: EntryReason["through"]): void {
  const key = principalKey(grant.principal);
  const cur = obj.grants.get(key) ?? { principal: grant.principal, perm: 0, denied: 0, reasons: [] };
  if (grant.effect === "deny") cur.denied |= perm;
  else cur.perm |= perm;
  cur.reasons.push({ grant, through });
  obj.grants.set(key, cur);
}

function addLocations(
  desired: DesiredState,
  object: string,
  locations: readonly RawLocation[],
  opts: CompileOptions,
  kindOverride?: "uri",
): void {
  const seen = new Set<string>();
  for (const location of locations) {
    const resolved = resolveLocation(location.uri, opts.locations);
    if (!resolved.ok) {
      if (seen.has(location.uri)) continue;
      seen.add(location.uri);
      desired.ignoredLocations.push({ uri: location.uri, object, reason: resolved.reason, location });
      continue;
    }
    const ctx: LocationContext = desired.contexts.get(resolved.path) ?? {
      path: resolved.path,
      objects: [],
      locations: [],
      dir: [],
      file: [],
    };
    if (!ctx.objects.includes(object)) ctx.objects.push(object);
    ctx.locations.push({ object, kind: kindOverride ?? location.kind, location });
    desired.contexts.set(resolved.path, ctx);
  }
}

/**
 * One frozen array per distinct entry list: thousands of tables granted alike share it, so what is
 * kept (and memoised downstream by array identity) per table is a pointer, not a copy.
 */
function sharedEntries(entries: AclEntry[], shared: Map<string, AclEntry[]>): AclEntry[] {
  const key = entries.map((e) => `${e.scope}:${e.type}:${e.name}:${e.perm}`).join("\n");
  let kept = shared.get(key);
  if (!kept) {
    kept = Object.freeze(entries) as AclEntry[];
    shared.set(key, kept);
  }
  return kept;
}

/** Several objects at one path: bits for one principal are OR'd. */
function fillEntries(
  ctx: LocationContext,
  objects: Map<string, ObjectAcl>,
  shape: EntryShape,
  shared: Map<string, AclEntry[]>,
): void {
  const merged = new Map<string, PrincipalPerm>();
  for (const name of ctx.objects) {
    for (const [key, g] of objects.get(name)?.grants ?? []) {
      const cur = merged.get(key) ?? { principal: g.principal, perm: 0, denied: 0 };
      cur.perm |= g.perm;
      cur.denied = (cur.denied ?? 0) | g.denied;
      merged.set(key, cur);
    }
  }
  // A deny wins over an allow of the same bits, whichever object of this path gives them.
  for (const p of merged.values()) p.perm &= ~(p.denied ?? 0);
  const perms = [...merged.values()].sort((a, b) =>
    principalKey(a.principal).localeCompare(principalKey(b.principal)),
  );
  ctx.dir = sharedEntries(directoryEntries(perms, shape), shared);
  ctx.file = sharedEntries(fileEntries(perms, shape), shared);
}
