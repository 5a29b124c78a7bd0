// Hive metastore role membership (ROLES, ROLE_MAP): who holds each role, through nested roles, with
// the ROLE_MAP row that made the first link, as Hive's SQL-standard authorizer resolves it.

/** One ROLE_MAP row: `principal` (USER, GROUP or ROLE) is a member of `role`. */
export interface RoleMapRow {
  grantId: string;
  role: string;
  principalName: string;
  principalType: string;
}

export interface RoleHolder {
  user: string;
  /** The ROLE_MAP row that puts the user into the first role of the chain. */
  grantId: string;
  /** The chain from the role granted down to the user's own role, e.g. `etl>analyst`. */
  path: string;
}

export interface RoleMembership {
  /** Users holding each role, directly or through member roles. */
  users: Map<string, RoleHolder[]>;
  /** Group members of roles (Hive's SQL-standard authorizer does not honour them), for the report. */
  groups: RoleMapRow[];
}

export function resolveRoles(rows: readonly RoleMapRow[]): RoleMembership {
  const members = new Map<string, RoleMapRow[]>();
  for (const r of rows) members.set(r.role, [...(members.get(r.role) ?? []), r]);
  const users = new Map<string, RoleHolder[]>();
  const collect = (role: string, path: string[], out: RoleHolder[]) => {
    for (const m of members.get(role) ?? []) {
      const type = m.principalType.toUpperCase();
      if (type === "USER")
        out.push({ user: m.principalName, grantId: m.grantId, path: [...path, role].join(">") });
      // `GRANT ROLE r1 TO ROLE r2` stores r2 as a member of r1; Hive refuses cycles, a reader guards anyway.
      else if (type === "ROLE" && !path.includes(m.principalName) && m.principalName !== role)
        collect(m.principalName, [...path, role], out);
    }
  };
  for (const role of members.keys()) {
    const out: RoleHolder[] = [];
    collect(role, [], out);
    users.set(role, out);
  }
  return { users, groups: rows.filter((r) => r.principalType.toUpperCase() === "GROUP") };
}
