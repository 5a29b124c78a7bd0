// The compiler's entry point for a configured target: rules from the config, file execute bits
// from the target's default unless the config says otherwise.

import type { Config } from "../config/types.ts";
import type { Model } from "../sources/load.ts";
import { compileDesired } from "./desired.ts";
import type { DesiredState } from "./model.ts";

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

export { compileDesired } from "./desired.ts";
export type { DesiredState } from "./model.ts";
