// One WebHDFS op from parsed parameters to response: parameters are checked first (as Jersey does
// before the NameNode method runs), and the returned thunk then touches the namespace.

import type { AclEntry } from "../acl/entry.ts";
import { parseAclSpecParam } from "./aclspec.ts";
import type { TokenStore } from "./auth.ts";
import { createModes, DATANODE_OPS, dataNodeLocation, prepareDataNodeOp } from "./datanode.ts";
import { rename, setTimes } from "./file-ops.ts";
import type { EmulatorNamespace } from "./namespace.ts";
import type { Params } from "./params.ts";
import type { Caller } from "./permission.ts";
import { remote } from "./remote-error.ts";

export interface OpRequest {
  op: string;
  params: Params;
  /** The HDFS path, decoded; "/" for the root. */
  path: string;
  body: Buffer;
  caller: Caller;
  /** `http://host:port` as the client reached us, for redirects. */
  baseUrl: string;
  /** `http://host:port` of the emulated DataNode, where OPEN, CREATE and APPEND are redirected. */
  dataNodeUrl: string;
  /** The request URL's path and query, to rebuild the redirects. */
  url: URL;
  clientAddress: string;
  /** The emulator runs Kerberized (SPNEGO, as with hadoop.security.authentication=kerberos). */
  kerberos?: boolean;
  /** dfs.namenode.acls.enabled (default true since Hadoop 3.3 / HDFS-13505). */
  aclsEnabled?: boolean;
}

export interface OpResponse {
  status: number;
  /** A JSON document; absent means a body of `data`, or an empty one. */
  json?: unknown;
  data?: Buffer;
  headers?: Record<string, string>;
}

const OK_EMPTY: OpResponse = { status: 200 };
const done = (f: () => void) => (): OpResponse => {
  f();
  return OK_EMPTY;
};
const ACL_OPS = [
  "GETACLSTATUS",
  "SETACL",
  "MODIFYACLENTRIES",
  "REMOVEACLENTRIES",
  "REMOVEDEFAULTACL",
  "REMOVEACL",
];

type Prepared = () => OpResponse;

/** Throws on a bad parameter; otherwise returns the op, to be run after availability checks. */
export function prepareOp(ns: EmulatorNamespace, tokens: TokenStore, r: OpRequest): Prepared {
  if (ACL_OPS.includes(r.op)) return prepareAclOp(ns, r);
  // HttpFS writes where it was asked (`data=true`); the NameNode sends the bytes to a DataNode.
  if (r.op === "CREATE" && r.params.bool("data", false)) return prepareDataNodeOp(ns, r);
  if (DATANODE_OPS.includes(r.op)) return redirect(ns, tokens, r);
  const prepared = prepareReadOp(ns, r) ?? prepareTokenOp(tokens, r) ?? prepareWriteOp(ns, r);
  // A real op this emulator does not implement: the NameNode's own answer for unknown ops.
  if (!prepared) throw remote.unsupported(`op=${r.op} is not supported`);
  return prepared;
}

/** Status, listings and the home directory; undefined for any other op. */
function prepareReadOp(ns: EmulatorNamespace, r: OpRequest): Prepared | undefined {
  const { params, path, caller: c } = r;
  switch (r.op) {
    case "GETFILESTATUS":
      return () => ({ status: 200, json: { FileStatus: ns.getFileStatus(path, c) } });
    case "LISTSTATUS":
      return () => ({ status: 200, json: { FileStatuses: { FileStatus: ns.listStatus(path, c) } } });
    case "LISTSTATUS_BATCH": {
      const startAfter = params.get("startafter") ?? "";
      return () => {
        const { statuses, remainingEntries } = ns.listStatusBatch(path, startAfter, c);
        const partialListing = { FileStatuses: { FileStatus: statuses } };
        return { status: 200, json: { DirectoryListing: { partialListing, remainingEntries } } };
      };
    }
    case "GETHOMEDIRECTORY":
      return () => ({ status: 200, json: { Path: `/user/${c.user}` } });
    default:
      return undefined;
  }
}

/** Delegation tokens: get, renew, cancel; undefined for any other op. */
function prepareTokenOp(tokens: TokenStore, r: OpRequest): Prepared | undefined {
  const { params, caller: c } = r;
  switch (r.op) {
    case "GETDELEGATIONTOKEN":
      if (params.get("delegation") !== undefined) {
        throw remote.illegalArgument("delegation parameter is not null.");
      }
      return () => ({ status: 200, json: { Token: { urlString: tokens.issue(c.user) } } });
    case "RENEWDELEGATIONTOKEN": {
      const token = params.required("token", r.op);
      if (r.kerberos && params.get("delegation") !== undefined) {
        throw remote.io("Delegation Token can be renewed only with kerberos or web authentication");
      }
      return () => ({ status: 200, json: { long: tokens.renew(token, c.user) } });
    }
    case "CANCELDELEGATIONTOKEN": {
      const token = params.required("token", r.op);
      return () => {
        if (!tokens.cancel(token)) throw remote.invalidToken("Token not found");
        return OK_EMPTY;
      };
    }
    default:
      return undefined;
  }
}

/** Namespace changes other than ACLs; undefined for any other op. */
function prepareWriteOp(ns: EmulatorNamespace, r: OpRequest): Prepared | undefined {
  const { params, path, caller: c } = r;
  switch (r.op) {
    case "MKDIRS": {
      const modes = createModes(params);
      return () => ({ status: 200, json: { boolean: ns.mkdirs(path, modes, c) } });
    }
    case "RENAME": {
      const destination = params.required("destination", r.op);
      return () => ({ status: 200, json: { boolean: rename(ns, path, destination, c) } });
    }
    case "DELETE": {
      const recursive = params.bool("recursive", false);
      return () => ({ status: 200, json: { boolean: ns.delete(path, recursive, c) } });
    }
    case "SETTIMES": {
      const mtime = params.time("modificationtime");
      const atime = params.time("accesstime");
      return done(() => setTimes(ns, path, mtime, atime, c));
    }
    case "SETPERMISSION": {
      const perm = params.permission("permission") ?? 0o755;
      return done(() => ns.setPermission(path, perm, c));
    }
    case "SETOWNER": {
      const owner = params.get("owner");
      const group = params.get("group");
      if (owner === undefined && group === undefined) {
        throw remote.illegalArgument("Both owner and group are empty.");
      }
      return done(() => ns.setOwner(path, owner, group, c));
    }
    default:
      return undefined;
  }
}

/** FSDirAclOp: every ACL op, reads included, first checks dfs.namenode.acls.enabled. */
function prepareAclOp(ns: EmulatorNamespace, r: OpRequest): Prepared {
  const { params, path, caller: c } = r;
  const aclSpec = (withPerm: boolean): AclEntry[] =>
    parseAclSpecParam(params.required("aclspec", r.op), withPerm);
  const run = (f: () => OpResponse) => (): OpResponse => {
    if (r.aclsEnabled === false) {
      throw remote.acl(
        "The ACL operation has been rejected.  Support for ACLs has been disabled by setting dfs.namenode.acls.enabled to false.",
      );
    }
    return f();
  };
  switch (r.op) {
    case "GETACLSTATUS":
      return run(() => ({ status: 200, json: { AclStatus: ns.getAclStatus(path, c) } }));
    case "SETACL": {
      const spec = aclSpec(true);
      return run(done(() => ns.setAcl(path, spec, c)));
    }
    case "MODIFYACLENTRIES": {
      const spec = aclSpec(true);
      return run(done(() => ns.modifyAclEntries(path, spec, c)));
    }
    case "REMOVEACLENTRIES": {
      const spec = aclSpec(false);
      return run(done(() => ns.removeAclEntries(path, spec, c)));
    }
    case "REMOVEDEFAULTACL":
      return run(done(() => ns.removeDefaultAcl(path, c)));
    default:
      return run(done(() => ns.removeAcl(path, c)));
  }
}

/**
 * OPEN, CREATE and APPEND: the NameNode answers 307 towards a DataNode (or, with `noredirect`,
 * 200 with the Location); only OPEN looks at the namespace first (getBlockLocations).
 */
function redirect(ns: EmulatorNamespace, tokens: TokenStore, r: OpRequest): Prepared {
  const noredirect = r.params.bool("noredirect", false);
  return () => {
    if (r.op === "OPEN") ns.getFileStatus(r.path, r.caller);
    const location = dataNodeLocation(r, (user) => tokens.issue(user));
    if (noredirect) return { status: 200, json: { Location: location } };
    return { status: 307, headers: { Location: location } };
  };
}
