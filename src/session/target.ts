// Builds the configured target. Each target's module is loaded only when used, so a WebHDFS
// deployment never loads the POSIX native bindings and vice versa.

import type { Config } from "../config/types.ts";
import type { Target } from "../targets/target.ts";

export function targetId(config: Config): string {
  if (config.target.type === "posix") return "posix";
  const w = config.webhdfs!;
  return `webhdfs:${w.nameservice ?? w.namenodes[0]}`;
}

export async function createTarget(config: Config): Promise<Target> {
  if (config.target.type === "posix") {
    const { PosixTarget } = await import("../targets/posix/target.ts");
    return new PosixTarget({ roots: config.target.roots });
  }
  const { WebhdfsTarget } = await import("../targets/webhdfs/target.ts");
  return new WebhdfsTarget({ ...config.webhdfs!, roots: config.target.roots });
}
