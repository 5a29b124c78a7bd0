// HDFS ACLs ↔ the shared model: GETACLSTATUS plus permission bits become one full Acl, and the
// difference between two Acls becomes the MODIFY/REMOVE ACL entry requests that turn one into the other.

import {
  type Acl,
  type AclEntry,
  type AclScope,
  aclFromMode,
  entry,
  entryKey,
  isGroupClass,
  isNamed,
  sortEntries,
} from "../../acl/entry.ts";
import { parseEntry } from "../../acl/spec.ts";
import { GsError } from "../../errors.ts";
import type { AclStatus } from "./types.ts";

/** The NameNode's limit on entries per ACL scope: access and default are counted apart (HDFS-7582). */
export const HDFS_MAX_ACL_ENTRIES = 32;

/** `"1750"` → 0o750: the sticky bit is not part of the ACL. */
function modeBits(permission: string): number {
  return Number.parseInt(permission, 8) & 0o777;
}

/**
 * The full ACL: owner and other always come from the permission bits, where HDFS keeps them. When
 * the AclFeature stores `group::` the access ACL is extended and the permission's group digit is
 * its mask, with or without named entries: Hadoop 3 keeps a recalculated mask when the last named
 * entry goes, so `["group::r-x"]` with permission 740 means group r-x masked to r--.
 */
export function aclFromHdfs(permission: string, status?: Pick<AclStatus, "entries">): AclEntry[] {
  const base = aclFromMode(modeBits(permission));
  if (!status || status.entries.length === 0) return base;
  const stored = status.entries.map((e) => parseEntry(e));
  const storedGroup = stored.some((e) => e.scope === "access" && e.type === "group" && e.name === "");
  const acl = [base[0]!, ...stored, base[2]!];
  acl.push(storedGroup ? entry("access", "mask", "", base[1]!.perm) : base[1]!);
  return sortEntries(acl);
}

export interface AclWritePlan {
  /** Sent first: REMOVEACLENTRIES with these keys. */
  remove: AclEntry[];
  /** Sent second: MODIFYACLENTRIES with these entries. */
  modify: AclEntry[];
  /** REMOVEDEFAULTACL replaces every default-scope removal. */
  removeDefault: boolean;
}

/**
 * Only the entries that differ are sent, so an entry another client adds between our read and our
 * write survives (a read-modify-SETACL would erase it). Removals go first: a REMOVE recomputes the
 * mask of its scope, and the MODIFY after it must be the one that sets the mask we want.
 */
export function planAclWrite(observed: Acl, next: Acl): AclWritePlan {
  const before = new Map(observed.map((e) => [entryKey(e), e]));
  const after = new Map(next.map((e) => [entryKey(e), e]));
  const removeDefault = hasScope(observed, "default") && !hasScope(next, "default");
  const remove: AclEntry[] = [];
  for (const [key, e] of before) {
    if (after.has(key) || (removeDefault && e.scope === "default")) continue;
    if (e.type !== "mask" && !isNamed(e)) {
      throw new GsError("GS_ACL_SPEC", `the next ACL lacks the base entry ${key}:, which HDFS keeps`, {
        input: key,
      });
    }
    remove.push(e);
  }
  const modify = [...after.values()].filter((e) => {
    const old = before.get(entryKey(e));
    return !old || old.perm !== e.perm;
  });
  // The NameNode recomputes a touched scope's mask as the union of its group class unless the
  // request carries one: send ours (even unchanged) where it differs, or a masked entry would
  // become effective in full.
  for (const scope of ["access", "default"] as const) {
    const mask = after.get(entryKey({ scope, type: "mask", name: "" }));
    if (!mask || modify.includes(mask)) continue;
    if (![...remove, ...modify].some((e) => e.scope === scope)) continue;
    const union = next.filter((e) => e.scope === scope && isGroupClass(e)).reduce((p, e) => p | e.perm, 0);
    if (union !== mask.perm) modify.push(mask);
  }
  return { remove: sortEntries(remove), modify: sortEntries(modify), removeDefault };
}

export function isEmptyPlan(plan: AclWritePlan): boolean {
  return plan.remove.length === 0 && plan.modify.length === 0 && !plan.removeDefault;
}

/** Entries in one scope of an ACL, as the NameNode counts them against its per-scope limit. */
export interface ScopeEntryCount {
  scope: AclScope;
  count: number;
}

/**
 * The fuller scope of `acl` as the NameNode would store it (AclTransformation.checkMaxEntries):
 * base entries included, with the default base entries and masks it adds itself.
 */
export function hdfsEntryCount(acl: Acl): ScopeEntryCount {
  let fullest: ScopeEntryCount = { scope: "access", count: 0 };
  for (const scope of ["access", "default"] as const) {
    const inScope = acl.filter((e) => e.scope === scope);
    if (inScope.length === 0) continue;
    const keys = new Set(inScope.map(entryKey));
    for (const type of ["user", "group", "other"] as const) keys.add(entryKey({ scope, type, name: "" }));
    if (inScope.some(isNamed)) keys.add(entryKey({ scope, type: "mask", name: "" }));
    if (keys.size > fullest.count) fullest = { scope, count: keys.size };
  }
  return fullest;
}

/** Throws GS_ACL_TOO_MANY, naming the scope and its principals, when HDFS would refuse `acl`. */
export function checkEntryLimit(path: string, acl: Acl): void {
  const { scope, count } = hdfsEntryCount(acl);
  if (count <= HDFS_MAX_ACL_ENTRIES) return;
  const principals = [
    ...new Set(acl.filter((e) => e.scope === scope && isNamed(e)).map((e) => `${e.type}:${e.name}`)),
  ];
  throw new GsError(
    "GS_ACL_TOO_MANY",
    `${path} would carry ${count} ${scope} ACL entries, over the HDFS limit of ${HDFS_MAX_ACL_ENTRIES} per scope; ` +
      `principals: ${principals.join(", ")}`,
    { location: path, input: principals },
  );
}

function hasScope(acl: Acl, scope: AclScope): boolean {
  return acl.some((e) => e.scope === scope);
}
