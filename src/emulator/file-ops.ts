// The file-data side of the namespace a WebHDFS client needs besides ACLs: OPEN and APPEND (served
// by the DataNode), RENAME (FSDirRenameOp's old-style rename) and SETTIMES (FSDirAttrOp.setTimes).

import { addChild, type INode, isValidName, pathComponents, removeChild } from "./inode.ts";
import type { EmulatorNamespace } from "./namespace.ts";
import { type Caller, checkPermission, READ, WRITE } from "./permission.ts";
import { remote } from "./remote-error.ts";

/** OPEN: READ on the file (FSDirStatAndListingOp.getBlockLocations), then the byte range. */
export function readFile(
  ns: EmulatorNamespace,
  path: string,
  c: Caller,
  offset = 0,
  length?: number,
): Buffer {
  const iip = ns.resolveFor(path, c);
  const file = iip.last;
  if (!file) throw remote.fileNotFound(`File does not exist: ${iip.path}`);
  if (file.kind !== "file") throw remote.fileNotFound(`Path is not a file: ${iip.path}`);
  checkPermission(c, iip, { access: READ });
  if (offset > file.data.length) {
    throw remote.io(`Offset: ${offset} exceeds file length: ${file.data.length}`);
  }
  file.atime = ns.now();
  return file.data.subarray(offset, length === undefined ? undefined : offset + length);
}

/** APPEND: WRITE on the file; the NameNode refuses directories and missing files. */
export function appendFile(ns: EmulatorNamespace, path: string, data: Buffer, c: Caller): void {
  const iip = ns.resolveFor(path, c);
  const file = iip.last;
  if (!file)
    throw remote.fileNotFound(`Failed to append to non-existent file ${iip.path} for client 127.0.0.1`);
  if (file.kind !== "file") throw remote.fileNotFound(`Failed to append to non-file ${iip.path}`);
  checkPermission(c, iip, { access: WRITE });
  file.data = Buffer.concat([file.data, data]);
  file.mtime = ns.now();
}

/**
 * RENAME without options (ClientProtocol.rename): false rather than an exception when the source
 * is missing, the destination's parent is missing, or the destination exists and is not a
 * directory; into an existing directory the source keeps its name. Default ACLs are not applied.
 */
export function rename(ns: EmulatorNamespace, src: string, dst: string, c: Caller): boolean {
  if (!isValidName(dst)) throw remote.invalidPath(`Invalid name: ${dst}`);
  const from = ns.resolveFor(src, c);
  const node = from.last;
  if (!node?.parent) return false;
  let to = ns.resolveFor(dst, c);
  if (to.last?.kind === "dir") to = ns.resolveFor(`${to.path === "/" ? "" : to.path}/${node.name}`, c);
  if (to.path === from.path) return true;
  if (to.last) return false;
  const parent = to.inodes[to.inodes.length - 2];
  if (parent?.kind !== "dir") return false;
  if (`${to.path}/`.startsWith(`${from.path}/`)) {
    throw remote.io(`Rename destination ${to.path} is a directory or file under source ${from.path}`);
  }
  checkPermission(c, from, { parent: WRITE });
  checkPermission(c, to, { parent: WRITE });
  const oldParent = node.parent;
  removeChild(oldParent, node);
  node.name = pathComponents(to.path).at(-1)!;
  node.nameBytes = Buffer.from(node.name, "utf8");
  addChild(parent, node);
  const now = ns.now();
  oldParent.mtime = now;
  parent.mtime = now;
  return true;
}

/** SETTIMES: -1 leaves a time as it is; WRITE on the path unless the caller is a superuser. */
export function setTimes(ns: EmulatorNamespace, path: string, mtime: number, atime: number, c: Caller): void {
  const iip = ns.resolveFor(path, c);
  const inode: INode | null = iip.last;
  if (!inode) throw remote.fileNotFound(`File/Directory ${iip.path} does not exist.`);
  checkPermission(c, iip, { access: WRITE });
  if (mtime !== -1) inode.mtime = mtime;
  if (atime !== -1) inode.atime = atime;
}
