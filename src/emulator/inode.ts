// The in-memory inode tree: directories keep children in HDFS's byte-wise name order, and a path
// resolves to an INodesInPath-like list (null from the first missing component on).

import type { AclEntry } from "../acl/entry.ts";

interface INodeBase {
  readonly id: number;
  name: string;
  /** UTF-8 bytes of the name: HDFS orders children by unsigned byte comparison, not by UTF-16. */
  nameBytes: Buffer;
  parent: Dir | null;
  owner: string;
  group: string;
  /** Mode bits 0..0o1777, sticky bit included; with an ACL the group bits hold the mask. */
  perm: number;
  /** The AclFeature: named entries and `group::` of the access ACL, then every default entry. */
  acl: AclEntry[] | null;
  mtime: number;
  atime: number;
}

export interface Dir extends INodeBase {
  readonly kind: "dir";
  readonly children: INode[];
}

export interface File extends INodeBase {
  readonly kind: "file";
  data: Buffer;
  replication: number;
  blockSize: number;
}

export type INode = Dir | File;

/** Resolved path: `inodes[0]` is the root; `inodes[i]` is the inode for `components[i - 1]`. */
export interface ResolvedPath {
  readonly path: string;
  readonly components: readonly string[];
  readonly inodes: readonly (INode | null)[];
  readonly last: INode | null;
}

/** The fields every new inode starts with: detached, no ACL feature, times set when it is added. */
function baseInode(id: number, name: string, owner: string, group: string, perm: number) {
  return { id, name, nameBytes: Buffer.from(name, "utf8"), parent: null, owner, group, perm, acl: null };
}

export function newDir(id: number, name: string, owner: string, group: string, perm: number): Dir {
  return {
    ...baseInode(id, name, owner, group, perm),
    kind: "dir",
    children: [],
    mtime: 0,
    atime: 0,
  };
}

export function newFile(
  id: number,
  name: string,
  owner: string,
  group: string,
  perm: number,
  data: Buffer,
): File {
  return {
    ...baseInode(id, name, owner, group, perm),
    kind: "file",
    data,
    replication: 3,
    blockSize: 134217728,
    mtime: 0,
    atime: 0,
  };
}

/** DFSUtil.isValidName: absolute, no `.`/`..` components, no `:`, no `//` inside. */
export function isValidName(path: string): boolean {
  const parts = path.split("/");
  return (
    path.startsWith("/") &&
    !parts.some(
      (p, i) => p === "." || p === ".." || p.includes(":") || (p === "" && i !== 0 && i !== parts.length - 1),
    )
  );
}

/** Index of the child named `nameBytes`, or the bitwise complement of its insertion point. */
export function searchChild(dir: Dir, nameBytes: Buffer): number {
  let lo = 0;
  let hi = dir.children.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = Buffer.compare(dir.children[mid]!.nameBytes, nameBytes);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return ~lo;
}

export function getChild(dir: Dir, name: string): INode | null {
  const i = searchChild(dir, Buffer.from(name, "utf8"));
  return i >= 0 ? dir.children[i]! : null;
}

export function addChild(dir: Dir, child: INode): void {
  const i = searchChild(dir, child.nameBytes);
  if (i >= 0) throw new Error(`duplicate child ${child.name}`);
  dir.children.splice(~i, 0, child);
  child.parent = dir;
}

export function removeChild(dir: Dir, child: INode): void {
  const i = searchChild(dir, child.nameBytes);
  if (i >= 0) dir.children.splice(i, 1);
  child.parent = null;
}

/** `/a/b/` → ["a", "b"]; empty components are dropped, as a lookup would never match them. */
export function pathComponents(path: string): string[] {
  return path.split("/").filter((c) => c !== "");
}

/** The path of the first `i` components, as FSPermissionChecker prints inodes in messages. */
export function pathPrefix(components: readonly string[], i: number): string {
  return `/${components.slice(0, i).join("/")}`;
}

export function resolve(root: Dir, path: string): ResolvedPath {
  const components = pathComponents(path);
  const inodes: (INode | null)[] = [root];
  let cur: INode | null = root;
  for (const name of components) {
    cur = cur?.kind === "dir" ? getChild(cur, name) : null;
    inodes.push(cur);
  }
  return {
    path: components.length === 0 ? "/" : pathPrefix(components, components.length),
    components,
    inodes,
    last: cur,
  };
}

/** FsPermission.toString(): rwx triplets, with the sticky bit shown as t/T in the last place. */
export function permString(perm: number): string {
  const sym = (p: number) => `${p & 4 ? "r" : "-"}${p & 2 ? "w" : "-"}${p & 1 ? "x" : "-"}`;
  const s = sym((perm >> 6) & 7) + sym((perm >> 3) & 7) + sym(perm & 7);
  if (!(perm & 0o1000)) return s;
  return s.slice(0, 8) + (perm & 1 ? "t" : "T");
}

export function modeString(inode: INode): string {
  return (inode.kind === "dir" ? "d" : "-") + permString(inode.perm);
}
