// The users and groups the desired ACLs name, once each, for checking that the target knows them.

import { entryKey } from "../acl/entry.ts";
import type { Principal } from "../policy/model.ts";
import type { DesiredState } from "./model.ts";

export function desiredPrincipals(desired: DesiredState): Principal[] {
  const seen = new Map<string, Principal>();
  for (const ctx of desired.contexts.values()) {
    for (const e of ctx.dir.concat(ctx.file)) {
      if (e.type === "user" || e.type === "group")
        seen.set(entryKey({ ...e, scope: "access" }), { kind: e.type, name: e.name });
    }
  }
  return [...seen.values()];
}
