// The emulated NameNode namespace: the FSDir*Op logic for each supported operation (checks in
// the NameNode's order, then the change). Tests may call it directly, bypassing HTTP.

import type { AclEntry } from "../acl/entry.ts";
import { copyDefaultAcl, readLogicalAcl, removeAcl, updateAcl } from "./acl-storage.ts";
import {
  filterAclEntriesByAclSpec,
  filterDefaultAclEntries,
  mergeAclEntries,
  replaceAclEntries,
} from "./acl-transform.ts";
import { type AclSpecInput, toEntries } from "./aclspec.ts";
import {
  addChild,
  type Dir,
  type INode,
  isValidName,
  newDir,
  newFile,
  type ResolvedPath,
  removeChild,
  resolve,
  searchChild,
} from "./inode.ts";
import { ALL, type Caller, checkPermission, checkTraverse, EXECUTE, READ, WRITE } from "./permission.ts";
import { remote } from "./remote-error.ts";
import { type AclStatusJson, aclStatus, type FileStatusJson, fileStatus } from "./status-json.ts";

export interface NamespaceOptions {
  superuser?: string;
  supergroup?: string;
  /** user → groups; unknown users belong to no group, as with an empty group mapping. */
  users?: Record<string, string[]>;
  /** dfs.ls.limit: the page size of LISTSTATUS_BATCH. */
  lsLimit?: number;
  /** Milliseconds since the epoch, for inode times (Date.now unless a test moves time itself). */
  clock?: () => number;
}

export interface CreateModes {
  /** The create mode; WebHDFS applies no umask, so 755 for directories and 644 for files. */
  permission?: number;
  /** `unmaskedpermission`: used instead of `permission` when the parent has a default ACL. */
  unmasked?: number;
}

export interface CreateOptions extends CreateModes {
  overwrite?: boolean;
  data?: Buffer | string;
  replication?: number;
  blockSize?: number;
  clientMachine?: string;
}

export interface Listing {
  statuses: FileStatusJson[];
  remainingEntries: number;
}

const ROOT_INODE_ID = 16385;

export class EmulatorNamespace {
  readonly superuser: string;
  readonly supergroup: string;
  readonly lsLimit: number;
  readonly now: () => number;
  private readonly users: Record<string, string[]>;
  private readonly root: Dir;
  private nextId = ROOT_INODE_ID + 1;

  constructor(opts: NamespaceOptions = {}) {
    this.superuser = opts.superuser ?? "hdfs";
    this.supergroup = opts.supergroup ?? "supergroup";
    this.users = opts.users ?? {};
    this.lsLimit = opts.lsLimit ?? 1000;
    this.now = opts.clock ?? Date.now;
    this.root = { ...newDir(ROOT_INODE_ID, "", this.superuser, this.supergroup, 0o755), mtime: this.now() };
  }

  caller(user: string): Caller {
    const groups = new Set(this.users[user] ?? []);
    return { user, groups, isSuper: user === this.superuser || groups.has(this.supergroup) };
  }

  mkdirs(path: string, modes: CreateModes = {}, as: string | Caller = this.superuser): boolean {
    const c = this.toCaller(as);
    const iip = this.resolveForCreate(path, c);
    if (iip.last?.kind === "file") throw remote.fileAlreadyExists(`Path is not a directory: ${path}`);
    if (iip.last) return true;
    checkPermission(c, iip, { ancestor: WRITE });
    const masked = modes.permission ?? 0o755;
    const parent = this.createAncestors(iip, c, masked, modes.unmasked, false);
    this.addNode(
      parent,
      newDir(this.nextId++, iip.components.at(-1)!, c.user, parent.group, masked),
      masked,
      modes.unmasked,
    );
    return true;
  }

  create(path: string, opts: CreateOptions = {}, as: string | Caller = this.superuser): void {
    const c = this.toCaller(as);
    const iip = this.resolveForCreate(path, c);
    checkPermission(c, iip, { ancestor: WRITE });
    const existing = iip.last;
    if (existing?.kind === "dir") throw remote.fileAlreadyExists(`${iip.path} already exists as a directory`);
    if (existing && opts.overwrite) checkPermission(c, iip, { access: WRITE });
    if (existing && !opts.overwrite) {
      throw remote.fileAlreadyExists(
        `${iip.path} for client ${opts.clientMachine ?? "127.0.0.1"} already exists`,
      );
    }
    if (existing?.parent) removeChild(existing.parent, existing);
    const masked = opts.permission ?? 0o644;
    const parent = this.createAncestors(iip, c, masked, opts.unmasked, true);
    const name = iip.components.at(-1)!;
    const file = newFile(this.nextId++, name, c.user, parent.group, masked, Buffer.from(opts.data ?? ""));
    file.replication = opts.replication ?? file.replication;
    file.blockSize = opts.blockSize ?? file.blockSize;
    this.addNode(parent, file, masked, opts.unmasked);
  }

  delete(path: string, recursive = false, as: string | Caller = this.superuser): boolean {
    const c = this.toCaller(as);
    const iip = this.resolveFor(path, c);
    const last = iip.last;
    if (!recursive && last?.kind === "dir" && last.children.length > 0) {
      throw remote.pathIsNotEmptyDirectory(`\`${iip.path} is non empty': Directory is not empty`);
    }
    checkPermission(c, iip, { parent: WRITE, sub: ALL });
    if (!last?.parent) return false;
    last.parent.mtime = this.now();
    removeChild(last.parent, last);
    return true;
  }

  getFileStatus(path: string, as: string | Caller = this.superuser): FileStatusJson {
    const iip = this.resolveFor(path, this.toCaller(as));
    if (!iip.last) throw remote.fileNotFound(`File does not exist: ${iip.path}`);
    return fileStatus(iip.last, "");
  }

  /** LISTSTATUS_BATCH: children strictly after `startAfter` (which need not exist), one page. */
  listStatusBatch(
    path: string,
    startAfter = "",
    as: string | Caller = this.superuser,
    limit = this.lsLimit,
  ): Listing {
    const c = this.toCaller(as);
    const iip = this.resolveFor(path, c);
    const dir = iip.last;
    if (!dir) throw remote.fileNotFound(`File ${iip.path} does not exist.`);
    if (dir.kind === "file") return { statuses: [fileStatus(dir, "")], remainingEntries: 0 };
    checkPermission(c, iip, { access: READ | EXECUTE });
    const at = startAfter === "" ? -1 : searchChild(dir, Buffer.from(startAfter, "utf8"));
    const start = at >= 0 ? at + 1 : ~at;
    const page = dir.children.slice(start, start + limit);
    return {
      statuses: page.map((n) => fileStatus(n, n.name)),
      remainingEntries: dir.children.length - start - page.length,
    };
  }

  listStatus(path: string, as: string | Caller = this.superuser): FileStatusJson[] {
    return this.listStatusBatch(path, "", as, Number.MAX_SAFE_INTEGER).statuses;
  }

  getAclStatus(path: string, as: string | Caller = this.superuser): AclStatusJson {
    const iip = this.resolveFor(path, this.toCaller(as));
    if (!iip.last) throw remote.fileNotFound(`cannot find ${iip.path}`);
    return aclStatus(iip.last);
  }

  /** The full logical ACL (base entries included), for tests comparing with the ACL model. */
  getAcl(path: string): AclEntry[] {
    const inode = this.ownedInode(path, this.toCaller(this.superuser));
    return readLogicalAcl(inode);
  }

  modifyAclEntries(path: string, spec: AclSpecInput, as: string | Caller = this.superuser): void {
    this.transformAcl(path, as, (acl) => mergeAclEntries(acl, toEntries(spec, true)));
  }

  removeAclEntries(path: string, spec: AclSpecInput, as: string | Caller = this.superuser): void {
    this.transformAcl(path, as, (acl) => filterAclEntriesByAclSpec(acl, toEntries(spec, false)));
  }

  /** An empty spec removes the ACL, as the RPC layer does (WebHDFS refuses an empty aclspec). */
  setAcl(path: string, spec: AclSpecInput, as: string | Caller = this.superuser): void {
    const entries = toEntries(spec, true);
    if (entries.length === 0) this.removeAcl(path, as);
    else this.transformAcl(path, as, (acl) => replaceAclEntries(acl, entries));
  }

  removeDefaultAcl(path: string, as: string | Caller = this.superuser): void {
    this.transformAcl(path, as, filterDefaultAclEntries);
  }

  removeAcl(path: string, as: string | Caller = this.superuser): void {
    removeAcl(this.ownedInode(path, this.toCaller(as)));
  }

  /** chmod: with an ACL the group digit becomes the mask; the sticky bit is part of `perm`. */
  setPermission(path: string, perm: number, as: string | Caller = this.superuser): void {
    this.ownedInode(path, this.toCaller(as)).perm = perm & 0o1777;
  }

  setOwner(
    path: string,
    owner: string | undefined,
    group: string | undefined,
    as: string | Caller = this.superuser,
  ): void {
    const c = this.toCaller(as);
    const inode = this.ownedInode(path, c);
    if (!c.isSuper && owner !== undefined && owner !== c.user) {
      throw remote.accessControl(`User ${c.user} is not a super user (non-super user cannot change owner).`);
    }
    if (!c.isSuper && group !== undefined && !c.groups.has(group)) {
      throw remote.accessControl(`User ${c.user} does not belong to ${group}`);
    }
    if (owner !== undefined) inode.owner = owner;
    if (group !== undefined) inode.group = group;
  }

  private toCaller(as: string | Caller): Caller {
    return typeof as === "string" ? this.caller(as) : as;
  }

  /** Resolves with the traversal check every op makes (FSDirectory.resolvePath). */
  resolveFor(path: string, c: Caller): ResolvedPath {
    const iip = resolve(this.root, path);
    checkTraverse(c, iip, false);
    return iip;
  }

  /** Creating ops refuse names HDFS cannot store (DFSUtil.isValidName) before resolving. */
  private resolveForCreate(path: string, c: Caller): ResolvedPath {
    if (!isValidName(path)) throw remote.invalidPath(`Invalid path name Invalid file name: ${path}`);
    const iip = resolve(this.root, path);
    checkTraverse(c, iip, true);
    return iip;
  }

  /** FSDirectory.checkOwner: a missing inode is reported before ownership. */
  private ownedInode(path: string, c: Caller): INode {
    const iip = this.resolveFor(path, c);
    if (!iip.last) throw remote.fileNotFound(`Directory/File does not exist ${iip.path}`);
    checkPermission(c, iip, { owner: true });
    return iip.last;
  }

  private transformAcl(path: string, as: string | Caller, f: (acl: AclEntry[]) => AclEntry[]): void {
    const inode = this.ownedInode(path, this.toCaller(as));
    updateAcl(inode, f(readLogicalAcl(inode)), path);
  }

  /**
   * Missing ancestors get u+wx added so the caller can go on through them; create bases them on
   * the nearest existing directory's mode, mkdirs on the requested mode. Returns the parent.
   */
  private createAncestors(
    iip: ResolvedPath,
    c: Caller,
    masked: number,
    unmasked: number | undefined,
    inherit: boolean,
  ): Dir {
    let i = 1;
    while (i < iip.inodes.length - 1 && iip.inodes[i]) i++;
    let parent = iip.inodes[i - 1] as Dir;
    const base = inherit ? parent.perm : masked;
    const ancestorMode = (base & 0o777) | 0o300;
    const ancestorUnmasked = inherit ? undefined : unmasked;
    for (; i < iip.inodes.length - 1; i++) {
      const dir = newDir(this.nextId++, iip.components[i - 1]!, c.user, parent.group, ancestorMode);
      this.addNode(parent, dir, ancestorMode, ancestorUnmasked);
      parent = dir;
    }
    return parent;
  }

  /** FSDirectory.copyINodeDefaultAcl with HDFS-6962 inheritance (on by default in 3.x). */
  private addNode(parent: Dir, node: INode, masked: number, unmasked: number | undefined): void {
    addChild(parent, node);
    node.mtime = this.now();
    if (node.kind === "file") node.atime = node.mtime;
    parent.mtime = node.mtime;
    node.perm = unmasked ?? masked;
    if (!copyDefaultAcl(parent, node)) node.perm = masked;
  }
}
