// What the config names on this host and must already be there: local roots as directories and
// the state directory (or the directory it will be created in). Shared by validate, the commands
// that act, and the daemon's start, so a config validate accepts does not fail later on these.

import { statSync } from "node:fs";
import { dirname } from "node:path";
import type { Diagnostic } from "../errors.ts";
import type { Config } from "./types.ts";

export function checkEnvironment(config: Config): Diagnostic[] {
  const out: Diagnostic[] = [];
  const problem = (message: string): void => {
    out.push({
      severity: "error",
      code: "GS_CONFIG_ENVIRONMENT",
      message,
      ...(config.file ? { file: config.file } : {}),
    });
  };
  if (config.target.type === "posix") {
    for (const root of config.target.roots) {
      const kind = kindOf(root);
      if (kind !== "dir")
        problem(`[target] roots: ${root} ${kind === "missing" ? "does not exist" : "is not a directory"}`);
    }
  }
  const state = kindOf(config.state.dir);
  if (state === "missing") {
    const parent = dirname(config.state.dir);
    if (kindOf(parent) !== "dir")
      problem(`[state] dir: ${config.state.dir} does not exist and neither does its parent ${parent}`);
  } else if (state !== "dir") problem(`[state] dir: ${config.state.dir} is not a directory`);
  return out;
}

function kindOf(path: string): "dir" | "other" | "missing" {
  try {
    return statSync(path).isDirectory() ? "dir" : "other";
  } catch {
    return "missing";
  }
}
