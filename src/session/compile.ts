// Maps the config onto the compiler: rules from the config, file execute bits from the target's
// default unless the config says otherwise.

import { compileDesired } from "../compile/desired.ts";
import type { DesiredState } from "../compile/model.ts";
import type { Config } from "../config/types.ts";
import type { Model } from "../sources/load.ts";

export function compileForConfig(config: Config, model: Model, fileExecuteDefault: boolean): DesiredState {
  return compileDesired(model.policy, model.catalog, {
    grants: { actionPerms: config.compile.actionPerms, uriGrants: config.compile.uriGrants },
    locations: {
      target: config.target.type,
      roots: config.target.roots,
      ...(config.webhdfs?.nameservice ? { nameservice: config.webhdfs.nameservice } : {}),
    },
    traverse: config.compile.traverse,
    shape: {
      fileExecute: config.compile.fileExecute ?? fileExecuteDefault,
      defaultAcls: config.compile.defaultAcls,
    },
  });
}
