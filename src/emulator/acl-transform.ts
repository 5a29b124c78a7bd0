// HDFS AclTransformation: how MODIFY/REMOVE/SET/REMOVEDEFAULT turn the current logical ACL and a
// spec into the next ACL, with the NameNode's mask rules and its exact AclException messages.

import { type AclEntry, type AclScope, compareEntries, entry } from "../acl/entry.ts";
import { formatEntry } from "../acl/spec.ts";
import { remote } from "./remote-error.ts";

const MAX_ENTRIES = 32;
const SCOPES: readonly AclScope[] = ["access", "default"];
const BASE_TYPES = ["user", "group", "other"] as const;

const sameKey = (a: AclEntry, b: AclEntry) => compareEntries(a, b) === 0;
const isDefault = (e: AclEntry) => e.scope === "default";

/** ValidatedAclSpec: the per-scope size check runs before any work so a huge spec is cheap to refuse. */
function validatedSpec(spec: readonly AclEntry[]): AclEntry[] {
  checkMaxEntries(spec);
  return [...spec].sort(compareEntries);
}

/** HDFS-7582 (Hadoop 2.7+): the limit of 32 holds for the access and the default scope apart. */
function checkMaxEntries(entries: readonly AclEntry[]): void {
  const defaults = entries.filter(isDefault).length;
  const access = entries.length - defaults;
  for (const [scope, n] of [
    ["access", access],
    ["default", defaults],
  ] as const) {
    if (n > MAX_ENTRIES) {
      throw remote.acl(
        `Invalid ACL: ACL has ${n} ${scope} entries, which exceeds maximum of ${MAX_ENTRIES}.`,
      );
    }
  }
}

/** Book-keeping shared by the transformations; masks are held aside and re-added at the end. */
class Builder {
  readonly entries: AclEntry[] = [];
  readonly providedMask = new Map<AclScope, AclEntry>();
  readonly maskDirty = new Set<AclScope>();
  readonly scopeDirty = new Set<AclScope>();

  /** Adds an entry, or holds a mask aside; `fromSpec` marks the mask as given by the caller. */
  add(e: AclEntry, fromSpec: boolean): void {
    if (e.type !== "mask") {
      this.entries.push(e);
      return;
    }
    this.providedMask.set(e.scope, e);
    if (fromSpec) this.maskDirty.add(e.scope);
  }

  finish(): AclEntry[] {
    copyDefaultsIfNeeded(this.entries);
    calculateMasks(this);
    return buildAndValidate(this.entries);
  }
}

/** MODIFYACLENTRIES: spec entries replace same-key entries or are added. */
export function mergeAclEntries(existing: readonly AclEntry[], spec: readonly AclEntry[]): AclEntry[] {
  const sorted = validatedSpec(spec);
  const b = new Builder();
  const found: AclEntry[] = [];
  for (const cur of existing) {
    const replacement = sorted.find((s) => sameKey(s, cur));
    if (replacement) {
      found.push(replacement);
      b.scopeDirty.add(replacement.scope);
      b.add(replacement, true);
    } else {
      b.add(cur, false);
    }
  }
  for (const s of sorted) {
    // Java looks replacements up by key, so a duplicated spec entry counts as found too.
    if (found.some((f) => sameKey(f, s))) continue;
    b.scopeDirty.add(s.scope);
    b.add(s, true);
  }
  return b.finish();
}

/** REMOVEACLENTRIES: drops entries whose key is in the spec; permissions in the spec are ignored. */
export function filterAclEntriesByAclSpec(
  existing: readonly AclEntry[],
  spec: readonly AclEntry[],
): AclEntry[] {
  const sorted = validatedSpec(spec);
  const b = new Builder();
  for (const cur of existing) {
    if (sorted.some((s) => sameKey(s, cur))) {
      b.scopeDirty.add(cur.scope);
      if (cur.type === "mask") b.maskDirty.add(cur.scope);
    } else {
      b.add(cur, false);
    }
  }
  return b.finish();
}

/** SETACL: replaces each scope the spec mentions and keeps the other scope as it was. */
export function replaceAclEntries(existing: readonly AclEntry[], spec: readonly AclEntry[]): AclEntry[] {
  const sorted = validatedSpec(spec);
  const b = new Builder();
  for (const s of sorted) {
    b.scopeDirty.add(s.scope);
    b.add(s, true);
  }
  for (const cur of existing) {
    if (!b.scopeDirty.has(cur.scope)) b.add(cur, false);
  }
  return b.finish();
}

/** REMOVEDEFAULTACL: keeps the access entries only. */
export function filterDefaultAclEntries(existing: readonly AclEntry[]): AclEntry[] {
  return buildAndValidate(existing.filter((e) => !isDefault(e)));
}

/** A default ACL missing its owner, group or other entry borrows it from the access ACL. */
function copyDefaultsIfNeeded(entries: AclEntry[]): void {
  if (!entries.some(isDefault)) return;
  const copied: AclEntry[] = [];
  for (const type of BASE_TYPES) {
    const has = (scope: AclScope) =>
      entries.some((e) => e.scope === scope && e.type === type && e.name === "");
    if (has("default")) continue;
    const access = entries.find((e) => e.scope === "access" && e.type === type && e.name === "");
    if (access) copied.push(entry("default", type, "", access.perm));
  }
  entries.push(...copied);
}

/**
 * Per scope: a mask deleted while named entries remain is an error; a mask from the spec (or an
 * untouched scope's old mask, however stale) is kept; otherwise a scope with named entries, or
 * one that had a mask before (Hadoop 3: the mask is recalculated, never silently dropped), gets
 * the union of its group class.
 */
function calculateMasks(b: Builder): void {
  const found = new Set<AclScope>();
  const union = new Map<AclScope, number>();
  const needed = new Set<AclScope>();
  for (const e of b.entries) {
    found.add(e.scope);
    if (e.type === "group" || e.name !== "") union.set(e.scope, (union.get(e.scope) ?? 0) | e.perm);
    if (e.name !== "") needed.add(e.scope);
  }
  for (const scope of SCOPES) {
    if (!found.has(scope)) continue;
    const provided = b.providedMask.get(scope);
    if (!provided && needed.has(scope) && b.maskDirty.has(scope)) {
      throw remote.acl("Invalid ACL: mask is required and cannot be deleted.");
    }
    if (provided && (!b.scopeDirty.has(scope) || b.maskDirty.has(scope))) {
      b.entries.push(provided);
    } else if (needed.has(scope) || provided) {
      b.entries.push(entry(scope, "mask", "", union.get(scope) ?? 0));
    }
  }
}

function buildAndValidate(entries: AclEntry[]): AclEntry[] {
  const sorted = [...entries].sort(compareEntries);
  sorted.forEach((e, i) => {
    const prev = sorted[i - 1];
    if (prev && sameKey(prev, e)) {
      throw remote.acl("Invalid ACL: multiple entries with same scope, type and name.");
    }
    if (e.name !== "" && (e.type === "mask" || e.type === "other")) {
      throw remote.acl(`Invalid ACL: this entry type must not have a name: ${formatEntry(e)}.`);
    }
  });
  checkMaxEntries(sorted);
  const hasDefault = sorted.some(isDefault);
  for (const type of BASE_TYPES) {
    const has = (scope: AclScope) =>
      sorted.some((e) => e.scope === scope && e.type === type && e.name === "");
    if (!has("access")) throw remote.acl("Invalid ACL: the user, group and other entries are required.");
    if (hasDefault && !has("default")) {
      throw remote.acl("Invalid default ACL: the user, group and other entries are required.");
    }
  }
  return sorted;
}
