// The `aclspec` parameter built from entries: the only place WebHDFS entry text is made, and it
// refuses a name that the NameNode would read as more fields or more entries than we meant.

import type { AclEntry } from "../../acl/entry.ts";
import { principalNameProblem } from "../../acl/principal.ts";
import { formatEntry, formatEntryKeyOnly } from "../../acl/spec.ts";
import { GsError } from "../../errors.ts";

type EntryKey = Pick<AclEntry, "scope" | "type" | "name">;

export function aclSpecParam(entries: readonly AclEntry[]): string {
  return entries.map((e) => formatEntry(checked(e))).join(",");
}

/** Removal form (`user:bob:`): REMOVEACLENTRIES rejects permissions. */
export function keySpecParam(entries: readonly EntryKey[]): string {
  return entries.map((e) => formatEntryKeyOnly(checked(e))).join(",");
}

function checked<E extends EntryKey>(e: E): E {
  if (e.name === "") return e;
  const problem = principalNameProblem(e.name);
  if (problem === undefined) return e;
  throw new GsError(
    "GS_ACL_SPEC",
    `refusing to send an entry for ${e.type} ${JSON.stringify(e.name)}: ${problem}`,
    {
      input: e.name,
    },
  );
}
