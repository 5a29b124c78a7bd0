// FSPermissionChecker: who the caller is, traversal (EXECUTE on every existing ancestor), the
// POSIX-ACL access algorithm, owner checks and the sticky bit, with the NameNode's messages.

import { type INode, modeString, pathPrefix, type ResolvedPath } from "./inode.ts";
import { remote } from "./remote-error.ts";

export const READ = 4;
export const WRITE = 2;
export const EXECUTE = 1;
export const ALL = 7;
const ACTION_NAMES = [
  "NONE",
  "EXECUTE",
  "WRITE",
  "WRITE_EXECUTE",
  "READ",
  "READ_EXECUTE",
  "READ_WRITE",
  "ALL",
];

export interface Caller {
  readonly user: string;
  readonly groups: ReadonlySet<string>;
  /** The NameNode process user, or a member of dfs.permissions.superusergroup. */
  readonly isSuper: boolean;
}

export interface Checks {
  owner?: boolean;
  /** On the nearest existing ancestor of the path (create, mkdir). */
  ancestor?: number;
  /** On the parent; WRITE here also enforces the parent's sticky bit (delete). */
  parent?: number;
  access?: number;
  /** On every non-empty directory of the subtree (recursive delete). */
  sub?: number;
}

/** Default entries never grant anything; only the access part of the feature is consulted. */
export function hasPermission(c: Caller, inode: INode, access: number): boolean {
  const mode = inode.perm;
  const accessAcl = inode.acl?.[0]?.scope === "access" ? inode.acl.filter((e) => e.scope === "access") : null;
  if (!accessAcl) {
    let bits = mode & 7;
    if (c.user === inode.owner) bits = (mode >> 6) & 7;
    else if (c.groups.has(inode.group)) bits = (mode >> 3) & 7;
    return (bits & access) === access;
  }
  if (c.user === inode.owner) return ((mode >> 6) & 7 & access) === access;
  const mask = (mode >> 3) & 7;
  let matched = false;
  for (const e of accessAcl) {
    if (e.type === "user" && e.name === c.user) return (e.perm & mask & access) === access;
    if (e.type === "group" && c.groups.has(e.name === "" ? inode.group : e.name)) {
      if ((e.perm & mask & access) === access) return true;
      matched = true;
    }
  }
  return !matched && (mode & 7 & access) === access;
}

function denied(c: Caller, inode: INode, path: string, access: number) {
  return remote.accessControl(
    `Permission denied: user=${c.user}, access=${ACTION_NAMES[access]}, inode="${path}":${inode.owner}:${inode.group}:${modeString(inode)}`,
  );
}

function check(c: Caller, iip: ResolvedPath, i: number, access: number): void {
  const inode = i >= 0 ? iip.inodes[i] : null;
  if (inode && !hasPermission(c, inode, access))
    throw denied(c, inode, pathPrefix(iip.components, i), access);
}

/**
 * FSDirectory.resolvePath's traversal: every existing ancestor must be a directory (for everyone)
 * and searchable (for non-superusers). Only creating ops report ParentNotDirectoryException; the
 * rest turn it into AccessControlException, as FSDirectory does.
 */
export function checkTraverse(c: Caller, iip: ResolvedPath, creating: boolean): void {
  for (let i = 0; i < iip.inodes.length - 1; i++) {
    const inode = iip.inodes[i];
    if (!inode) break;
    if (inode.kind !== "dir") {
      const msg = `${pathPrefix(iip.components, i)} (is not a directory)`;
      throw creating ? remote.parentNotDirectory(msg) : remote.accessControl(msg);
    }
    if (!c.isSuper) check(c, iip, i, EXECUTE);
  }
}

/** FSDirectory.checkPermission: superusers skip everything; traversal was done on resolve. */
export function checkPermission(c: Caller, iip: ResolvedPath, checks: Checks): void {
  if (c.isSuper) return;
  const n = iip.inodes.length;
  let ancestor = n - 2;
  while (ancestor >= 0 && !iip.inodes[ancestor]) ancestor--;
  const last = iip.inodes[n - 1];
  if (checks.parent !== undefined && checks.parent & WRITE && n > 1 && last) checkStickyBit(c, iip, n - 2);
  if (checks.ancestor !== undefined && n > 1) check(c, iip, ancestor, checks.ancestor);
  if (checks.parent !== undefined && n > 1) check(c, iip, n - 2, checks.parent);
  if (checks.access !== undefined) check(c, iip, n - 1, checks.access);
  if (checks.sub !== undefined && last) checkSubAccess(c, last, iip.path, checks.sub);
  if (checks.owner && last && c.user !== last.owner) {
    throw remote.accessControl(`Permission denied. user=${c.user} is not the owner of inode=${iip.path}`);
  }
}

function stickyViolated(c: Caller, parent: INode, child: INode): boolean {
  return parent.owner !== c.user && child.owner !== c.user;
}

function stickyError(c: Caller, child: INode, childPath: string, parent: INode, parentPath: string) {
  return remote.accessControl(
    `Permission denied by sticky bit: user=${c.user}, path="${childPath}":${child.owner}:${child.group}:${modeString(child)}, parent="${parentPath}":${parent.owner}:${parent.group}:${modeString(parent)}`,
  );
}

function checkStickyBit(c: Caller, iip: ResolvedPath, index: number): void {
  const parent = iip.inodes[index];
  const child = iip.inodes[index + 1];
  if (!parent || !child || !(parent.perm & 0o1000) || !stickyViolated(c, parent, child)) return;
  throw stickyError(
    c,
    child,
    pathPrefix(iip.components, index + 1),
    parent,
    pathPrefix(iip.components, index),
  );
}

/** Empty directories are skipped (ignoreEmptyDir), as a recursive delete does. */
function checkSubAccess(c: Caller, root: INode, rootPath: string, access: number): void {
  const stack: [INode, string][] = [[root, rootPath]];
  while (stack.length > 0) {
    const [d, p] = stack.pop()!;
    if (d.kind !== "dir" || d.children.length === 0) continue;
    if (!hasPermission(c, d, access)) throw denied(c, d, p, access);
    const prefix = p === "/" ? "/" : `${p}/`;
    for (const child of d.children) {
      if (d.perm & 0o1000 && stickyViolated(c, d, child))
        throw stickyError(c, child, prefix + child.name, d, p);
      if (child.kind === "dir") stack.push([child, prefix + child.name]);
    }
  }
}
