// HDFS AclStorage: an ACL lives half in the mode bits (owner, mask as group bits, other) and half
// in the AclFeature; these functions convert between that storage and the full logical ACL.

import { type AclEntry, entry } from "../acl/entry.ts";
import type { INode } from "./inode.ts";
import { remote } from "./remote-error.ts";

const isAccess = (e: AclEntry) => e.scope === "access";
const STICKY = 0o1000;

function minimalAcl(perm: number): AclEntry[] {
  return [
    entry("access", "user", "", (perm >> 6) & 7),
    entry("access", "group", "", (perm >> 3) & 7),
    entry("access", "other", "", perm & 7),
  ];
}

/** Every inode logically has an ACL; without a feature it is the 3 entries of its mode. */
export function readLogicalAcl(inode: INode): AclEntry[] {
  if (!inode.acl) return minimalAcl(inode.perm);
  const access = inode.acl.filter(isAccess);
  const defaults = inode.acl.filter((e) => !isAccess(e));
  if (access.length === 0) return [...minimalAcl(inode.perm), ...defaults];
  return [
    entry("access", "user", "", (inode.perm >> 6) & 7),
    ...access,
    entry("access", "mask", "", (inode.perm >> 3) & 7),
    entry("access", "other", "", inode.perm & 7),
    ...defaults,
  ];
}

/** Mode bits for an ACL: owner, then mask (or group when minimal), then other; sticky kept. */
function permFor(access: readonly AclEntry[], oldPerm: number): number {
  const at = (i: number) => access[i]!.perm;
  return (oldPerm & STICKY) | (at(0) << 6) | (at(access.length - 2) << 3) | at(access.length - 1);
}

function featureFor(access: readonly AclEntry[], defaults: readonly AclEntry[]): AclEntry[] {
  const named = access.length === 3 ? [] : access.slice(1, access.length - 2);
  return [...named, ...defaults];
}

/** Stores a validated, sorted logical ACL; exactly 3 entries means minimal: the feature goes. */
export function updateAcl(inode: INode, acl: readonly AclEntry[], path: string): void {
  if (acl.length === 3) {
    inode.acl = null;
    inode.perm = permFor(acl, inode.perm);
    return;
  }
  const access = acl.filter(isAccess);
  const defaults = acl.filter((e) => !isAccess(e));
  if (defaults.length > 0 && inode.kind !== "dir") {
    throw remote.acl(`Invalid ACL: only directories may have a default ACL. Path: ${path}`);
  }
  inode.acl = featureFor(access, defaults);
  inode.perm = permFor(access, inode.perm);
}

/** REMOVEACL: the stored `group::` entry goes back into the group bits, replacing the mask. */
export function removeAcl(inode: INode): void {
  const feature = inode.acl;
  if (!feature) return;
  if (feature[0]?.scope === "access") {
    const group = feature.find((e) => isAccess(e) && e.type === "group" && e.name === "");
    if (group) inode.perm = (inode.perm & ~0o070) | (group.perm << 3);
  }
  inode.acl = null;
}

/**
 * Create/mkdir: the parent's default ACL becomes the child's access ACL, filtered by the create
 * mode (owner, mask, other; group too when the default ACL is minimal). Directories also get the
 * default ACL itself. Returns false when the parent has no default ACL to give.
 */
export function copyDefaultAcl(parent: INode, child: INode): boolean {
  const defaults = parent.acl?.filter((e) => !isAccess(e)) ?? [];
  if (defaults.length === 0) return false;
  const mode = child.perm;
  const u = (mode >> 6) & 7;
  const g = (mode >> 3) & 7;
  const o = mode & 7;
  const minimal = defaults.length === 3;
  const access = defaults.map((e) => {
    let perm = e.perm;
    if (e.type === "user" && e.name === "") perm &= u;
    else if (e.type === "group" && minimal) perm &= g;
    else if (e.type === "mask") perm &= g;
    else if (e.type === "other") perm &= o;
    return entry("access", e.type, e.name, perm);
  });
  const childDefaults = child.kind === "dir" ? defaults : [];
  if (access.length !== 3 || childDefaults.length > 0) child.acl = featureFor(access, childDefaults);
  child.perm = permFor(access, mode);
  return true;
}
