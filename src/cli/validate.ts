// `grantsync validate`: checks the policy (and, with --config, the locations and config) and
// lists every error as FILE:LINE: CODE message. Exit 0 when valid, 1 otherwise.

import type { Command } from "commander";
import { compileForConfig } from "../compile/index.ts";
import type { Config } from "../config/types.ts";
import { GsError } from "../errors.ts";
import { plural } from "../report/style.ts";
import { renderDesiredNotes, renderDiagnostics } from "../report/text.ts";
import { loadModel, loadPolicy } from "../sources/load.ts";
import { CliExit, printJson, stdoutStyle } from "./common.ts";
import { CONFIG_HELP, loadCliConfig } from "./config-file.ts";

interface ValidateOptions {
  config?: string;
  policy?: string;
  server?: string;
  json?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description("check the policy and locations; list every error as FILE:LINE")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--policy <file>", "a Sentry policy file to check on its own")
    .option("--server <name>", "the Sentry server name grants must match (with --policy)")
    .option("--json", "machine-readable output")
    .action(async (opts: ValidateOptions) => validate(opts));
}

async function validate(opts: ValidateOptions): Promise<void> {
  const s = stdoutStyle();
  if (opts.policy) {
    if (!opts.server) throw new GsError("GS_USAGE", "--policy needs --server NAME");
    const config = { policy: { type: "file", file: opts.policy, server: opts.server } } as Config;
    const r = await loadPolicy(config);
    const valid = r.errors.length === 0;
    if (opts.json)
      printJson({ valid, errors: r.errors, warnings: r.warnings, grants: r.policy?.grants.length ?? 0 });
    else {
      process.stdout.write(renderDiagnostics(r.errors, r.warnings, s));
      process.stdout.write(
        valid
          ? `${opts.policy}: valid, ${plural(r.policy!.grants.length, "grant")}\n`
          : `${plural(r.errors.length, "error")}\n`,
      );
    }
    if (!valid) throw new CliExit(1);
    return;
  }
  const config = await loadCliConfig(opts.config);
  const load = await loadModel(config);
  const valid = load.errors.length === 0 && load.model !== undefined;
  const desired = valid ? compileForConfig(config, load.model!, config.target.type === "webhdfs") : undefined;
  if (opts.json) {
    printJson({
      valid,
      errors: load.errors,
      warnings: load.warnings,
      ...(desired
        ? {
            grants: load.model!.policy.grants.length,
            objects: desired.objects.size,
            locations: desired.contexts.size,
            ignoredLocations: desired.ignoredLocations.map((l) => ({
              uri: l.uri,
              object: l.object,
              reason: l.reason,
            })),
            ignoredGrants: desired.ignoredGrants.map((g) => ({
              privilege: g.grant.privilege.text,
              reason: g.reason,
            })),
          }
        : {}),
    });
  } else {
    process.stdout.write(renderDiagnostics(load.errors, load.warnings, s));
    if (desired) {
      process.stdout.write(renderDesiredNotes(desired, s));
      process.stdout.write(
        `valid: ${plural(load.model!.policy.grants.length, "grant")}, ${plural(desired.objects.size, "object")}, ${plural(desired.contexts.size, "managed location")}\n`,
      );
    } else process.stdout.write(`${plural(load.errors.length, "error")}; nothing would be changed\n`);
  }
  if (!valid) throw new CliExit(1);
}
