// `grantsync explain PATH`: the object a path belongs to, its desired entries and, for each,
// the grants producing it (role, principal, privilege, file:line), grants producing nothing, and
// the ACL the path carries now.

import { resolve } from "node:path";
import type { Command } from "commander";
import { formatEntry } from "../acl/spec.ts";
import { explainPath } from "../compile/explain.ts";
import { normalizeAbsolutePath } from "../paths.ts";
import { renderExplain } from "../report/text.ts";
import type { TargetNode } from "../targets/target.ts";
import { closeSession, openSession, printJson, stdoutStyle } from "./common.ts";
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
  let node: TargetNode | null = null;
  if (x.managed) {
    try {
      node = await session.target.node(path);
    } catch {
      node = null;
    }
  }
  await closeSession(session);
  const type = node?.type;
  // The ACL on the path now, beside the desired entries, as getfacl would list it.
  const acl = node ? node.acl.map(formatEntry) : undefined;
  if (opts.json) printJson({ ...x, ...(type ? { type } : {}), ...(acl ? { acl } : {}) });
  else process.stdout.write(renderExplain(x, type, stdoutStyle(), acl));
}
