// The text form of ACL entries both ways: getfacl/setfacl (`default:group:eng:r-x`, `g:eng:rx`)
// and HDFS aclspec, including the permission-less form used for removals (`user:bob:`).
// These texts are for people and for HDFS (targets/webhdfs/aclspec.ts checks names before it sends
// one); our own records store entries as data. `#` is never a comment except in parseGetfaclText.

import { GsError } from "../errors.ts";
import {
  type Acl,
  type AclEntry,
  type AclScope,
  type AclType,
  type Perm,
  permText,
  R,
  W,
  X,
} from "./entry.ts";

const TYPE_ALIASES: Record<string, AclType> = {
  u: "user",
  user: "user",
  g: "group",
  group: "group",
  m: "mask",
  mask: "mask",
  o: "other",
  other: "other",
};

export function formatEntry(e: AclEntry): string {
  return `${formatEntryKeyOnly(e)}${permText(e.perm)}`;
}

/** Removal form: no permission, both colons kept, as HDFS REMOVEACLENTRIES requires. */
export function formatEntryKeyOnly(e: Pick<AclEntry, "scope" | "type" | "name">): string {
  return `${e.scope === "default" ? "default:" : ""}${e.type}:${e.name}:`;
}

export function formatAclSpec(acl: Acl): string {
  return acl.map(formatEntry).join(",");
}

export function parsePerm(text: string, where = text): Perm {
  let p = 0;
  const t = text.trim();
  if (t.length === 0 || t.length > 3) throw specError(`invalid permission "${text}"`, where);
  for (const c of t) {
    if (c === "r") p |= R;
    else if (c === "w") p |= W;
    else if (c === "x" || c === "X") p |= X;
    else if (c !== "-") throw specError(`invalid permission "${text}"`, where);
  }
  return p;
}

export interface ParseEntryOptions {
  /** false for removal specs (`user:bob` / `user:bob:`). */
  requirePerm?: boolean;
}

/** Parses one entry in setfacl or HDFS form; `#` is an ordinary character here. */
export function parseEntry(text: string, opts: ParseEntryOptions = {}): AclEntry {
  const requirePerm = opts.requirePerm ?? true;
  let t = text.trim();
  let scope: AclScope = "access";
  if (t.startsWith("default:")) {
    scope = "default";
    t = t.slice("default:".length);
  } else if (t.startsWith("d:")) {
    scope = "default";
    t = t.slice(2);
  }
  const parts = t.split(":");
  const type = TYPE_ALIASES[parts[0] ?? ""];
  if (!type) throw specError(`unknown entry type in "${text}"`, text);
  const name = parts[1] ?? "";
  if ((type === "mask" || type === "other") && name !== "") {
    throw specError(`a ${type} entry takes no name: "${text}"`, text);
  }
  if (parts.length > 3) throw specError(`too many fields in "${text}"`, text);
  const permField = parts[2];
  if (permField === undefined || permField === "") {
    if (requirePerm) throw specError(`missing permission in "${text}"`, text);
    return { scope, type, name, perm: 0 };
  }
  if (!requirePerm) throw specError(`a removal entry takes no permission: "${text}"`, text);
  return { scope, type, name, perm: parsePerm(permField, text) };
}

/** Parses a comma-separated spec (setfacl, HDFS aclspec); nothing in it is a comment. */
export function parseAclSpec(text: string, opts: ParseEntryOptions = {}): AclEntry[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => parseEntry(s, opts));
}

/** Parses getfacl's output: one entry a line, `# file:` headers and `#effective:` notes dropped. */
export function parseGetfaclText(text: string): AclEntry[] {
  return text
    .split("\n")
    .map((line) => line.replace(/\s#.*$/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => parseEntry(line));
}

function specError(message: string, input: string): GsError {
  return new GsError("GS_ACL_SPEC", message, { input });
}
