// One WebHDFS op from parsed parameters to response: parameters are checked first (as Jersey does
// before the NameNode method runs), and the returned thunk then touches the namespace.

import type { AclEntry } from "../acl/entry.ts";
import { parseAclSpecParam } from "./aclspec.ts";
import type { TokenStore } from "./auth.ts";
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
  /** The request URL's path and query, to rebuild the CREATE redirect. */
  url: URL;
  clientAddress: string;
  /** The emulator runs Kerberized (SPNEGO, as with hadoop.security.authentication=kerberos). */
  kerberos?: boolean;
}

export interface OpResponse {
  status: number;
  /** A JSON document; absent means an empty body. */
  json?: unknown;
  headers?: Record<string, string>;
}

const OK_EMPTY: OpResponse = { status: 200 };
const done = (f: () => void) => (): OpResponse => {
  f();
  return OK_EMPTY;
};

/** Throws on a bad parameter; otherwise returns the op, to be run after availability checks. */
export function prepareOp(ns: EmulatorNamespace, tokens: TokenStore, r: OpRequest): () => OpResponse {
  const { params, path, caller: c } = r;
  const aclSpec = (withPerm: boolean): AclEntry[] =>
    parseAclSpecParam(params.required("aclspec", r.op), withPerm);
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
    case "GETACLSTATUS":
      return () => ({ status: 200, json: { AclStatus: ns.getAclStatus(path, c) } });
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
    case "MKDIRS": {
      const modes = createModes(params);
      return () => ({ status: 200, json: { boolean: ns.mkdirs(path, modes, c) } });
    }
    case "CREATE":
      return prepareCreate(ns, tokens, r);
    case "DELETE": {
      const recursive = params.bool("recursive", false);
      return () => ({ status: 200, json: { boolean: ns.delete(path, recursive, c) } });
    }
    case "SETACL": {
      const spec = aclSpec(true);
      return done(() => ns.setAcl(path, spec, c));
    }
    case "MODIFYACLENTRIES": {
      const spec = aclSpec(true);
      return done(() => ns.modifyAclEntries(path, spec, c));
    }
    case "REMOVEACLENTRIES": {
      const spec = aclSpec(false);
      return done(() => ns.removeAclEntries(path, spec, c));
    }
    case "REMOVEDEFAULTACL":
      return done(() => ns.removeDefaultAcl(path, c));
    case "REMOVEACL":
      return done(() => ns.removeAcl(path, c));
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
      // A real op this emulator does not implement: the NameNode's own answer for unknown ops.
      throw remote.unsupported(`op=${r.op} is not supported`);
  }
}

function createModes(params: Params): { permission?: number; unmasked?: number } {
  return { permission: params.permission("permission"), unmasked: params.permission("unmaskedpermission") };
}

/**
 * CREATE is two requests: the NameNode answers 307 towards a DataNode without looking at the
 * namespace; the DataNode (here: this server, `data=true`) writes and answers 201.
 */
function prepareCreate(ns: EmulatorNamespace, tokens: TokenStore, r: OpRequest): () => OpResponse {
  const { params } = r;
  const modes = createModes(params);
  const overwrite = params.bool("overwrite", false);
  const noredirect = params.bool("noredirect", false);
  const replication = params.positiveInt("replication");
  const blockSize = params.positiveInt("blocksize");
  if (!params.bool("data", false)) {
    const next = new URL(r.url.pathname + r.url.search, r.baseUrl);
    next.searchParams.set("data", "true");
    // A secure NameNode hands the DataNode a delegation token of the caller's in the redirect.
    if (r.kerberos && params.get("delegation") === undefined)
      next.searchParams.set("delegation", tokens.issue(r.caller.user));
    const location = next.toString();
    if (noredirect) return () => ({ status: 200, json: { Location: location } });
    return () => ({ status: 307, headers: { Location: location } });
  }
  return () => {
    ns.create(
      r.path,
      { ...modes, overwrite, replication, blockSize, data: r.body, clientMachine: r.clientAddress },
      r.caller,
    );
    const hdfsUrl = new URL(r.baseUrl);
    return { status: 201, headers: { Location: `webhdfs://${hdfsUrl.host}${encodePath(r.path)}` } };
  };
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}
