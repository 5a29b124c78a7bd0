// The `aclspec` query parameter as the NameNode reads it: the default pattern check first, then
// AclEntry.parseAclSpec, whose Java split(":") drops trailing empty fields (`user:bob:` = 2 fields).

import type { AclEntry, AclScope, AclType, Perm } from "../acl/entry.ts";
import { badParam, remote } from "./remote-error.ts";

/** DFS_WEBHDFS_ACL_PERMISSION_PATTERN_DEFAULT exactly as Hadoop prints it in the error message. */
export const ACL_PATTERN_TEXT =
  "^(default:)?(user|group|mask|other):[[A-Za-z_][A-Za-z0-9._-]]*:([rwx-]{3})?(,(default:)?(user|group|mask|other):[[A-Za-z_][A-Za-z0-9._-]]*:([rwx-]{3})?)*$";

// Java reads `[[A-Za-z_][A-Za-z0-9._-]]` as the union of both classes; JS needs it spelled out.
const ENTRY = "(default:)?(user|group|mask|other):[A-Za-z0-9._-]*:([rwx-]{3})?";
const ACL_PATTERN = new RegExp(`^${ENTRY}(,${ENTRY})*$`);

const TYPES: readonly AclType[] = ["user", "group", "mask", "other"];
const FS_ACTIONS = ["---", "--x", "-w-", "-wx", "r--", "r-x", "rw-", "rwx"];

/** Validates and parses; `withPerm` is true for SETACL/MODIFY and false for REMOVEACLENTRIES. */
export function parseAclSpecParam(value: string, withPerm: boolean): AclEntry[] {
  if (!ACL_PATTERN.test(value)) {
    throw badParam("aclspec", `Invalid value: "${value}" does not belong to the domain ${ACL_PATTERN_TEXT}`);
  }
  return value
    .split(",")
    .filter((s) => s !== "")
    .map((s) => parseAclEntry(s, withPerm));
}

/** An ACL spec as WebHDFS would send it, or already-parsed entries. */
export type AclSpecInput = string | readonly AclEntry[];

/** Entries of a spec; "" is none (the RPC layer's empty SETACL), which WebHDFS itself refuses. */
export function toEntries(spec: AclSpecInput, withPerm: boolean): readonly AclEntry[] {
  return typeof spec === "string" ? (spec === "" ? [] : parseAclSpecParam(spec, withPerm)) : spec;
}

export function parseAclEntry(text: string, withPerm: boolean): AclEntry {
  const invalid = () => remote.hadoopIllegalArgument(`Invalid <aclSpec> : ${text}`);
  const split = javaSplit(text);
  if (split.length === 0) throw invalid();
  let i = 0;
  let scope: AclScope = "access";
  if (split[0] === "default") {
    scope = "default";
    i++;
  }
  if (split.length <= i) throw invalid();
  const type = TYPES.find((t) => t === split[i]?.toLowerCase());
  if (!type) throw remote.hadoopIllegalArgument(`Invalid type of acl in <aclSpec> :${text}`);
  i++;
  let name = "";
  if (split.length > i) name = split[i++] ?? "";
  let perm: Perm = 0;
  if (withPerm) {
    if (split.length <= i) throw invalid();
    const p = FS_ACTIONS.indexOf(split[i++] ?? "");
    if (p < 0) throw remote.hadoopIllegalArgument(`Invalid permission in <aclSpec> : ${text}`);
    perm = p;
  }
  if (split.length > i) throw invalid();
  return { scope, type, name, perm };
}

/** String.split(":") in Java: trailing empty strings are removed. */
function javaSplit(s: string): string[] {
  const parts = s.split(":");
  while (parts.length > 0 && parts[parts.length - 1] === "") parts.pop();
  return parts;
}
