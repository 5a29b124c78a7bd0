// Ranger's users and groups through the one principal-name rule: a name that fails it is taken out
// of every item that names it (it could not be an ACL entry on the target anyway).

import type { RangerItem, RangerRules } from "./rules.ts";

/** Ranger's stand-ins for "every user", which are never written as entries. */
const EVERYONE = { user: "{USER}", group: "public" } as const;

export interface InvalidName {
  kind: "user" | "group";
  name: string;
  problem: string;
  /** `ranger policy 7 "name" policyItems[0]`. */
  where: string;
}

export function screenRangerNames(
  rules: RangerRules,
  problemOf: (name: string) => string | undefined,
): { rules: RangerRules; invalid: InvalidName[] } {
  const invalid: InvalidName[] = [];
  const screened = rules.rules.map((rule) => {
    const screen = (item: RangerItem): RangerItem => {
      const keep = (kind: "user" | "group") => (name: string) => {
        const problem = name === EVERYONE[kind] ? undefined : problemOf(name);
        if (problem === undefined) return true;
        invalid.push({ kind, name, problem, where: `ranger policy ${rule.id} "${rule.name}" ${item.ref}` });
        return false;
      };
      return { ...item, users: item.users.filter(keep("user")), groups: item.groups.filter(keep("group")) };
    };
    return {
      ...rule,
      allow: rule.allow.map(screen),
      deny: rule.deny.map(screen),
      allowExceptions: rule.allowExceptions.map(screen),
      denyExceptions: rule.denyExceptions.map(screen),
    };
  });
  return { rules: { ...rules, rules: screened }, invalid };
}
