// The WebHDFS Target: walks HDFS trees and writes ACLs entry by entry through a WebhdfsClient,
// so the reconcile engine drives HDFS exactly as it drives a POSIX filesystem.

import type { InodeView } from "../../acl/access.ts";
import type { Acl } from "../../acl/entry.ts";
import type { Principal } from "../../acl/principal.ts";
import { GsError } from "../../errors.ts";
import type {
  AboveRoot,
  EntryCount,
  NodeType,
  Target,
  TargetIdentity,
  TargetNode,
  WalkOptions,
} from "../target.ts";
import {
  aclFromHdfs,
  checkEntryLimit,
  HDFS_MAX_ACL_ENTRIES,
  hdfsEntryCount,
  isEmptyPlan,
  planAclWrite,
} from "./acl.ts";
import { Backlog } from "./backlog.ts";
import { readHdfsChain } from "./chain.ts";
import { WebhdfsClient } from "./client.ts";
import { WebhdfsRemoteError } from "./errors.ts";
import type { RetryPolicy } from "./ha.ts";
import { normalizeHdfsPath, requireUnderRoots } from "./paths.ts";
import type { AclStatus, FileStatus } from "./types.ts";
import { hasChildren, walkBelow } from "./walk.ts";

/** What the target needs to reach the cluster; the wiring maps the `[webhdfs]` config onto it. */
export interface WebhdfsTargetConfig {
  namenodes: string[];
  user: string;
  doas?: string;
  delegation?: string;
  caFile?: string;
  connections: number;
  /** Requests in flight at once, and paths observed in parallel. */
  concurrency: number;
  timeoutMs: number;
  /** Retries per request after the first attempt. */
  retries: number;
  auth: "simple" | "kerberos";
  /** Kerberos client principal (`grantsync@REALM`); with `keytab`, the key to log in with. */
  principal?: string;
  /** Keytab to log in from; without it, the ticket cache KRB5CCNAME names. */
  keytab?: string;
  /** With Kerberos: fetch a delegation token after SPNEGO and send it instead of the cookie. */
  delegationTokens?: boolean;
  roots: string[];
  /** Backoff base and cap; attempts per NameNode come from `retries`. */
  retry?: Partial<Omit<RetryPolicy, "maxAttempts">>;
}

/** Distinct ACLs kept decoded; a tree with more than this starts over (memory stays bounded). */
const DECODED_MAX = 10_000;

/**
 * Roots walked at once: a root starts with a few round trips in a row (its status, then its ACL
 * and first listing) and ends with its last reads draining, with few requests in flight; another
 * root's walk fills them. The walks share the client's slots and one read backlog.
 */
const ROOTS_AT_ONCE = 4;

export class WebhdfsTarget implements Target {
  readonly kind = "webhdfs";
  readonly fileExecuteDefault = true;
  readonly maxEntries = HDFS_MAX_ACL_ENTRIES;
  readonly concurrentRoots = ROOTS_AT_ONCE;
  private readonly client: WebhdfsClient;
  private readonly backlog: Backlog;
  private readonly roots: string[];
  private readonly parallel: number;
  private readonly decoded = new Map<string, Acl>();
  private readonly decodedStatus = new WeakMap<AclStatus, Acl>();

  constructor(config: WebhdfsTargetConfig) {
    this.roots = config.roots.map(normalizeHdfsPath);
    this.parallel = Math.max(1, config.concurrency);
    this.backlog = new Backlog(this.parallel);
    this.client = new WebhdfsClient({
      namenodes: config.namenodes,
      user: config.user,
      doas: config.doas,
      delegation: config.delegation,
      ...(config.auth === "kerberos"
        ? {
            kerberos: {
              principal: config.principal,
              keytab: config.keytab,
              delegationTokens: config.delegationTokens ?? false,
            },
          }
        : {}),
      caFile: config.caFile,
      connections: config.connections,
      maxInFlight: this.parallel,
      timeoutMs: config.timeoutMs,
      retry: { ...config.retry, maxAttempts: config.retries + 1 },
    });
  }

  async walk(root: string, options: WalkOptions): Promise<void> {
    const path = requireUnderRoots(root, this.roots);
    const status = await this.statusOrNull(path, options.signal);
    if (!status) return options.skip({ path, reason: "missing" });
    if (status.type === "SYMLINK") return options.skip({ path, reason: "symlink", detail: status.symlink });
    const visited = (async () => {
      const node = await this.observe(path, status, options.signal);
      await options.visit(node);
      return options.descend?.(node) ?? true;
    })();
    if (status.type !== "DIRECTORY" || !hasChildren(status)) return void (await visited);
    // The root's first listing goes out with its ACL request; its children wait for its visit.
    await walkBelow(
      path,
      options,
      {
        listPages: (dir, signal) => this.client.listStatusBatches(dir, signal),
        observe: (child, childStatus, signal) => this.observe(child, childStatus, signal),
        parallel: this.parallel,
        backlog: this.backlog,
      },
      visited,
    );
  }

  async node(path: string): Promise<TargetNode | null> {
    const p = requireUnderRoots(path, this.roots);
    const status = await this.statusOrNull(p);
    if (!status || status.type === "SYMLINK") return null;
    try {
      return await this.observe(p, status);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** As the NameNode counts: the fuller scope, with the base entries and masks it adds itself. */
  entryCount(acl: Acl): EntryCount {
    return hdfsEntryCount(acl);
  }

  async statAbove(path: string): Promise<AboveRoot | null> {
    const status = await this.statusOrNull(path).catch(() => null);
    if (!status) return null;
    return { mode: Number.parseInt(status.permission, 8) & 0o777, owner: status.owner, group: status.group };
  }

  async unknownPrincipals(_principals: readonly Principal[]): Promise<Principal[]> {
    // The NameNode resolves names through its own group mapping; it never says a name is unknown.
    return [];
  }

  chain(path: string): Promise<InodeView[]> {
    return readHdfsChain(this.client, path);
  }

  /** The NameNode maps users to groups itself and WebHDFS does not expose the mapping. */
  async identity(user: string): Promise<TargetIdentity> {
    return { user, groups: null, superuser: false };
  }

  /** SPNEGO handshakes so far; 0 unless [webhdfs] auth = kerberos. */
  get handshakes(): number {
    return this.client.handshakes;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async statusOrNull(path: string, signal?: AbortSignal): Promise<FileStatus | null> {
    try {
      return await this.client.getFileStatus(path, signal);
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  /** Without aclBit the permission bits are the whole ACL, so most paths cost no request of their own. */
  private async observe(path: string, status: FileStatus, signal?: AbortSignal): Promise<TargetNode> {
    const aclStatus = status.aclBit ? await this.client.getAclStatus(path, signal) : undefined;
    const acl = this.decode(aclStatus?.permission ?? status.permission, aclStatus);
    const type = status.type === "DIRECTORY" ? "dir" : "file";
    return new WebhdfsNode(this.client, path, type, acl, status.owner, status.group);
  }

  /**
   * One frozen Acl per distinct answer: a tree's paths share a few ACLs, and handing out the same
   * object lets the engine merge once per ACL instead of parsing, sorting and merging per path.
   */
  private decode(permission: string, status: AclStatus | undefined): Acl {
    // The client hands out one AclStatus per distinct answer: decoded once, found by identity
    // (when the answer carries the mode; old NameNodes leave it out, then it is the path's own).
    const whole = status?.permission !== undefined ? status : undefined;
    if (whole) {
      let acl = this.decodedStatus.get(whole);
      if (!acl) {
        acl = frozenAcl(permission, whole);
        this.decodedStatus.set(whole, acl);
      }
      return acl;
    }
    const key = status ? `${permission}\n${status.entries.join("\n")}` : permission;
    let acl = this.decoded.get(key);
    if (!acl) {
      acl = frozenAcl(permission, status);
      if (this.decoded.size >= DECODED_MAX) this.decoded.clear();
      this.decoded.set(key, acl);
    }
    return acl;
  }
}

class WebhdfsNode implements TargetNode {
  constructor(
    private readonly client: WebhdfsClient,
    readonly path: string,
    readonly type: NodeType,
    private observed: Acl,
    readonly owner: string,
    readonly group: string,
  ) {}

  get acl(): Acl {
    return this.observed;
  }

  async write(next: Acl, stop?: AbortSignal): Promise<void> {
    checkEntryLimit(this.path, next);
    const plan = planAclWrite(this.observed, next);
    if (isEmptyPlan(plan)) return;
    try {
      if (plan.removeDefault) await this.client.removeDefaultAcl(this.path, stop);
      if (plan.remove.length > 0) await this.client.removeAclEntries(this.path, plan.remove, stop);
      if (plan.modify.length > 0) await this.client.modifyAclEntries(this.path, plan.modify, stop);
    } catch (err) {
      throw explainAclFailure(this.path, err);
    }
    this.observed = next;
  }
}

/** Three AclExceptions have a grantsync meaning: ACLs are off, or someone else's entries got in the way. */
function explainAclFailure(path: string, err: unknown): unknown {
  if (!(err instanceof WebhdfsRemoteError) || !err.is("AclException")) return err;
  if (/Support for ACLs has been disabled/.test(err.remoteMessage)) {
    return new GsError(
      "GS_WEBHDFS_REMOTE",
      `${path}: the NameNode has ACLs disabled (dfs.namenode.acls.enabled=false)`,
      {
        location: path,
        cause: err,
        hint: "Set dfs.namenode.acls.enabled=true in hdfs-site.xml on every NameNode and restart them; HDFS refuses every ACL operation until then.",
      },
    );
  }
  if (/exceeds maximum of/.test(err.remoteMessage)) {
    return new GsError("GS_ACL_TOO_MANY", `${path}: ${err.remoteMessage}`, { location: path, cause: err });
  }
  if (/mask is required/.test(err.remoteMessage)) {
    return new GsError("GS_ACL_CHANGED", `${path}: named entries were added while we removed ours`, {
      location: path,
      cause: err,
    });
  }
  return err;
}

function frozenAcl(permission: string, status: AclStatus | undefined): Acl {
  return Object.freeze(aclFromHdfs(permission, status).map((e) => Object.freeze(e)));
}

function isNotFound(err: unknown): boolean {
  return err instanceof WebhdfsRemoteError && err.is("FileNotFoundException");
}
