// `grantsync explain PATH`: the object a path belongs to, its desired entries and, for each,
// the grants producing it (role, principal, privilege, file:line), plus grants producing nothing.

import { resolve } from "node:path";
import type { Command } from "commander";
import { explainPath } from "../compile/explain.ts";
import { normalizeAbsolutePath } from "../compile/locations.ts";
import { renderExplain } from "../report/text.ts";
import { openSession, printJson, stdoutStyle } from "./common.ts";
import { CONFIG_HELP } from "./config-file.ts";

interface ExplainOptions {
  config?: string;
  json?: boolean;
}

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("show which object a path belongs to and which grants produce its entries")
    .argument("<path>", "a path on the target")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--json", "machine-readable output")
    .action(async (path: string, opts: ExplainOptions) => explain(path, opts));
}

async function explain(rawPath: string, opts: ExplainOptions): Promise<void> {
  const { config, desired, session } = await openSession(opts.config, opts);
  const path = normalizeAbsolutePath(config.target.type === "posix" ? resolve(rawPath) : rawPath) ?? rawPath;
  const x = explainPath(desired, config.target.roots, path);
  let type: "dir" | "file" | undefined;
  if (x.managed) {
    try {
      type = (await session.target.node(path))?.type;
    } catch {
      type = undefined;
    }
  }
  await session.target.close();
  if (opts.json) printJson({ ...x, ...(type ? { type } : {}) });
  else process.stdout.write(renderExplain(x, type, stdoutStyle()));
}
