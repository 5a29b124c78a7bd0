// ACLs as our own records store them (journal, state): JSON data, one tuple per entry, so a name
// is always just a name, whatever characters it holds, and no record is re-read as spec text.

import type { Acl, AclEntry, AclScope, AclType } from "./entry.ts";

/** `[scope, type, name, perm]`: `["d", "group", "eng", 5]` is `default:group:eng:r-x`. */
export type EntryRecord = [scope: "a" | "d", type: AclType, name: string, perm: number];

export function aclToRecord(acl: Acl): EntryRecord[] {
  return acl.map((e) => [e.scope === "default" ? "d" : "a", e.type, e.name, e.perm]);
}

const TYPES: ReadonlySet<unknown> = new Set<AclType>(["user", "group", "mask", "other"]);

/** The ACL a record holds, or undefined when the value is not a well-formed record. */
export function aclFromRecord(value: unknown): AclEntry[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: AclEntry[] = [];
  for (const item of value) {
    if (!Array.isArray(item) || item.length !== 4) return undefined;
    const [s, type, name, perm] = item as unknown[];
    if ((s !== "a" && s !== "d") || !TYPES.has(type) || typeof name !== "string") return undefined;
    if (!Number.isInteger(perm) || (perm as number) < 0 || (perm as number) > 7) return undefined;
    if ((type === "mask" || type === "other") && name !== "") return undefined;
    const scope: AclScope = s === "d" ? "default" : "access";
    out.push({ scope, type: type as AclType, name, perm: perm as number });
  }
  return out;
}
