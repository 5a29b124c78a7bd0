// Maps the config onto the compiler: rules from the config, file execute bits from the target's
// default unless the config says otherwise.

import { compileDesired } from "../compile/desired.ts";
import type { DesiredState } from "../compile/model.ts";
import type { Config } from "../config/types.ts";
import type { Model } from "../sources/load.ts";
import type { Target } from "../targets/target.ts";

/** The desired ACLs for a target: its default file execute bit applies unless the config sets one. */
export function compileFor(
  config: Config,
  model: Model,
  target: Pick<Target, "fileExecuteDefault">,
): DesiredState {
  return compileDesired(model.policy, model.catalog, {
    grants: { actionPerms: config.compile.actionPerms, uriGrants: config.compile.uriGrants },
    locations: {
      target: config.target.type,
      roots: config.target.roots,
      ...(config.webhdfs?.nameservice ? { nameservice: config.webhdfs.nameservice } : {}),
    },
    traverse: config.compile.traverse,
    shape: {
      fileExecute: config.compile.fileExecute ?? target.fileExecuteDefault,
      defaultAcls: config.compile.defaultAcls,
    },
  });
}
