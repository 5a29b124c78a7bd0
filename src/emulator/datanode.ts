// The emulated DataNode (DatanodeWebHdfsMethods): the NameNode answers OPEN, CREATE and APPEND with
// a 307 to this server, which moves the bytes and answers as a DataNode does (CREATE: 201 with an
// hdfs:// Location naming the NameNode it was sent from).

import { appendFile, readFile } from "./file-ops.ts";
import { encodePath } from "./http.ts";
import type { EmulatorNamespace } from "./namespace.ts";
import type { OpRequest, OpResponse } from "./ops.ts";
import type { Params } from "./params.ts";
import { remote } from "./remote-error.ts";

/** Ops a NameNode hands to a DataNode; every other op is answered by the NameNode itself. */
export const DATANODE_OPS: readonly string[] = ["OPEN", "CREATE", "APPEND"];

export function createModes(params: Params): { permission?: number; unmasked?: number } {
  return { permission: params.permission("permission"), unmasked: params.permission("unmaskedpermission") };
}

/** Throws on a bad parameter; otherwise the op, run after the availability checks. */
export function prepareDataNodeOp(ns: EmulatorNamespace, r: OpRequest): () => OpResponse {
  const { params, path, caller } = r;
  // The NameNode's RPC address travels in the redirect; the emulator has none, so it is its HTTP one.
  const nn = params.get("namenoderpcaddress") ?? new URL(r.baseUrl).host;
  switch (r.op) {
    case "CREATE": {
      const modes = createModes(params);
      const overwrite = params.bool("overwrite", false);
      const replication = params.positiveInt("replication");
      const blockSize = params.positiveInt("blocksize");
      return () => {
        ns.create(
          path,
          { ...modes, overwrite, replication, blockSize, data: r.body, clientMachine: r.clientAddress },
          caller,
        );
        return { status: 201, headers: { Location: `hdfs://${nn}${encodePath(path)}` } };
      };
    }
    case "APPEND":
      return () => {
        appendFile(ns, path, r.body, caller);
        return { status: 200 };
      };
    case "OPEN": {
      const offset = params.positiveInt("offset") ?? 0;
      const length = params.positiveInt("length");
      return () => ({ status: 200, data: readFile(ns, path, caller, offset, length) });
    }
    default:
      throw remote.unsupported(`${r.op} is not supported`);
  }
}

/**
 * NamenodeWebHdfsMethods.redirectURI: the same op and parameters towards the DataNode, with the
 * NameNode's address and, on a secure NameNode, a delegation token of the caller's.
 */
export function dataNodeLocation(r: OpRequest, issueToken: (user: string) => string): string {
  const next = new URL(`/webhdfs/v1${encodePath(r.path)}${r.url.search}`, r.dataNodeUrl);
  next.searchParams.set("namenoderpcaddress", new URL(r.baseUrl).host);
  next.searchParams.delete("noredirect");
  if (r.kerberos && r.params.get("delegation") === undefined) {
    next.searchParams.set("delegation", issueToken(r.caller.user));
  }
  return next.toString();
}
