// JsonUtil's shapes: FileStatus, DirectoryListing and AclStatus maps, keys in TreeMap (alphabetical)
// order, permissions as String.format("%o") of the mode including the sticky bit.

import { formatEntry } from "../acl/spec.ts";
import type { INode } from "./inode.ts";

export type FileStatusJson = Record<string, string | number | boolean>;

export interface AclStatusJson {
  entries: string[];
  group: string;
  owner: string;
  permission: string;
  stickyBit: boolean;
}

const octal = (perm: number) => perm.toString(8);

export function fileStatus(inode: INode, pathSuffix: string): FileStatusJson {
  const isFile = inode.kind === "file";
  const m: FileStatusJson = {
    accessTime: isFile ? inode.atime : 0,
    ...(inode.acl ? { aclBit: true } : {}),
    blockSize: isFile ? inode.blockSize : 0,
    childrenNum: isFile ? 0 : inode.children.length,
    fileId: inode.id,
    group: inode.group,
    length: isFile ? inode.data.length : 0,
    modificationTime: inode.mtime,
    owner: inode.owner,
    pathSuffix,
    permission: octal(inode.perm),
    replication: isFile ? inode.replication : 0,
    storagePolicy: 0,
    type: isFile ? "FILE" : "DIRECTORY",
  };
  return m;
}

/** Only the AclFeature is listed; owner, mask and other live in `permission`. */
export function aclStatus(inode: INode): AclStatusJson {
  return {
    entries: (inode.acl ?? []).map(formatEntry),
    group: inode.group,
    owner: inode.owner,
    permission: octal(inode.perm),
    stickyBit: (inode.perm & 0o1000) !== 0,
  };
}
