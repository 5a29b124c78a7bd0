// Flattens parsed policy files into grants: each file's groups through that file's own roles, and each
// [users] user through every group it is mapped to, in whichever file that group is given roles.

import type { Diagnostic } from "../errors.ts";
import { policyDiagnostic } from "./diagnostics.ts";
import type { Grant } from "./model.ts";
import type { NameMapping, PolicyFileContent } from "./policy-file.ts";

/** `files[0]` is the global file, the only one that may hold [users]. */
export function assembleGrants(files: PolicyFileContent[]): { grants: Grant[]; diagnostics: Diagnostic[] } {
  const grants: Grant[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const content of files) {
    for (const mapping of content.groups) {
      for (const role of mapping.members) {
        if (!content.roles.has(role)) {
          diagnostics.push(
            policyDiagnostic(
              "GS_POLICY_ROLE_UNDEFINED",
              `role "${role}" for group "${mapping.name}" is not defined in [roles] of this file`,
              content.file,
              mapping.line,
            ),
          );
        }
      }
      grants.push(...groupGrants(content, mapping));
    }
  }
  const global = files[0];
  for (const user of global?.users ?? []) {
    for (const group of user.members) {
      const through = files.flatMap((content) =>
        content.groups
          .filter((m) => m.name === group)
          .flatMap((m) => groupGrants(content, m))
          .map(
            (g): Grant => ({
              ...g,
              principal: { kind: "user", name: user.name },
              via: { file: global!.file, line: user.line },
              viaGroup: group,
            }),
          ),
      );
      if (through.length === 0) {
        diagnostics.push(
          policyDiagnostic(
            "GS_POLICY_GROUP_UNDEFINED",
            `group "${group}" of user "${user.name}" grants nothing: no policy file maps it to a role with privileges`,
            global!.file,
            user.line,
          ),
        );
      }
      grants.push(...through);
    }
  }
  return { grants, diagnostics };
}

function groupGrants(content: PolicyFileContent, mapping: NameMapping): Grant[] {
  return mapping.members.flatMap((role) =>
    (content.roles.get(role)?.privileges ?? []).map((privilege) => ({
      principal: { kind: "group", name: mapping.name },
      role,
      privilege,
      via: { file: content.file, line: mapping.line },
    })),
  );
}
