// WebHDFS query parameters as the NameNode parses them: names lowercased (ParamFilter), op values
// uppercased (EnumParam), typed values refused with "Invalid value for webhdfs parameter" (400).

import { badParam, remote } from "./remote-error.ts";

export type HttpMethod = "GET" | "PUT" | "POST" | "DELETE";

/** Every op each method's OpParam enum knows; anything else is "not a valid <METHOD> operation". */
const OPS: Record<HttpMethod, readonly string[]> = {
  GET: [
    "OPEN",
    "GETFILESTATUS",
    "LISTSTATUS",
    "GETCONTENTSUMMARY",
    "GETFILECHECKSUM",
    "GETHOMEDIRECTORY",
    "GETDELEGATIONTOKEN",
    "GETXATTRS",
    "LISTXATTRS",
    "GETACLSTATUS",
    "CHECKACCESS",
    "GETALLSTORAGEPOLICY",
    "GETSTORAGEPOLICY",
    "LISTSTATUS_BATCH",
    "GETTRASHROOT",
    "GETQUOTAUSAGE",
    "GETSNAPSHOTDIFF",
    "GETSNAPSHOTDIFFLISTING",
    "GETSNAPSHOTTABLEDIRECTORYLIST",
    "GETSNAPSHOTLIST",
    "GETFILEBLOCKLOCATIONS",
    "GET_BLOCK_LOCATIONS",
    "GETECPOLICY",
    "GETSERVERDEFAULTS",
    "GETLINKTARGET",
    "GETFILELINKSTATUS",
    "GETSTATUS",
    "GETECPOLICIES",
    "NULL",
  ],
  PUT: [
    "CREATE",
    "MKDIRS",
    "CREATESYMLINK",
    "RENAME",
    "SETREPLICATION",
    "SETOWNER",
    "SETPERMISSION",
    "SETTIMES",
    "RENEWDELEGATIONTOKEN",
    "CANCELDELEGATIONTOKEN",
    "MODIFYACLENTRIES",
    "REMOVEACLENTRIES",
    "REMOVEDEFAULTACL",
    "REMOVEACL",
    "SETACL",
    "SETXATTR",
    "REMOVEXATTR",
    "ENABLEECPOLICY",
    "DISABLEECPOLICY",
    "SETECPOLICY",
    "ALLOWSNAPSHOT",
    "DISALLOWSNAPSHOT",
    "CREATESNAPSHOT",
    "RENAMESNAPSHOT",
    "SETSTORAGEPOLICY",
    "SATISFYSTORAGEPOLICY",
    "SETQUOTA",
    "SETQUOTABYSTORAGETYPE",
    "NULL",
  ],
  POST: ["APPEND", "CONCAT", "TRUNCATE", "UNSETSTORAGEPOLICY", "UNSETECPOLICY", "NULL"],
  DELETE: ["DELETE", "DELETESNAPSHOT", "NULL"],
};

/** UserParam's default pattern (dfs.webhdfs.user.provider.user.pattern). */
export const USER_PATTERN_TEXT = "^[A-Za-z_][A-Za-z0-9._-]*[$]?$";
const USER_PATTERN = new RegExp(USER_PATTERN_TEXT);

export class Params {
  private readonly values = new Map<string, string>();

  constructor(search: URLSearchParams) {
    // Jersey hands a repeated parameter's first value to a single-valued param.
    for (const [k, v] of search) {
      const name = k.toLowerCase();
      if (!this.values.has(name)) this.values.set(name, v);
    }
  }

  /** Absent and empty are the same to Hadoop's params: the default applies. */
  get(name: string): string | undefined {
    const v = this.values.get(name);
    return v === "" ? undefined : v;
  }

  /** The op for this method; a missing op is the NULL op every method enum has. */
  op(method: HttpMethod): string {
    const raw = this.get("op");
    const op = raw === undefined ? "NULL" : raw.toUpperCase();
    if (!OPS[method].includes(op)) throw badParam("op", `${raw} is not a valid ${method} operation.`);
    return op;
  }

  bool(name: string, dflt: boolean): boolean {
    const v = this.get(name);
    if (v === undefined) return dflt;
    if (v.toLowerCase() === "true") return true;
    if (v.toLowerCase() === "false") return false;
    throw badParam(name, `Failed to parse "${v}" to Boolean.`);
  }

  /** PermissionParam: a radix-8 short in 0..01777. */
  permission(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    const n = /^[+-]?[0-7]+$/.test(v) ? Number.parseInt(v, 8) : Number.NaN;
    if (!Number.isInteger(n) || n < -32768 || n > 32767) {
      throw badParam(name, `Failed to parse "${v}" as a radix-8 short integer.`);
    }
    if (n < 0) throw badParam(name, `Invalid parameter range: ${name} = ${n.toString(8)} < 0`);
    if (n > 0o1777) throw badParam(name, `Invalid parameter range: ${name} = ${n.toString(8)} > 1777`);
    return n;
  }

  positiveInt(name: string): number | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw badParam(name, `Failed to parse "${v}" as a radix-10 integer.`);
    return Number(v);
  }

  /** ModificationTimeParam/AccessTimeParam: milliseconds since the epoch, -1 (the default) for unchanged. */
  time(name: string): number {
    const v = this.get(name);
    if (v === undefined) return -1;
    if (!/^-?\d+$/.test(v)) throw badParam(name, `Failed to parse "${v}" as a radix-10 long integer.`);
    return Number(v);
  }

  /** validateOpParams (3.x): a required string param that is missing or empty. */
  required(name: string, op: string): string {
    const v = this.get(name);
    if (v === undefined)
      throw remote.illegalArgument(`Required param ${name} for op: ${op} is null or empty`);
    return v;
  }

  user(name: string): string | undefined {
    const v = this.get(name);
    if (v !== undefined && !USER_PATTERN.test(v)) {
      throw badParam(name, `Invalid value: "${v}" does not belong to the domain ${USER_PATTERN_TEXT}`);
    }
    return v;
  }
}
