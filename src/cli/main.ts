#!/usr/bin/env node
// The grantsync command line: one module per command, loaded when it runs (commands.ts); this file
// turns errors into `CODE message` plus a hint on stderr (or JSON with --json) and the exit code.

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, CommanderError } from "commander";
import { toGsError } from "../errors.ts";
import { colourEnabled, makeStyle } from "../report/style.ts";
import { registerCommands } from "./commands.ts";
import { configFileFor, withConfigArg } from "./config-file.ts";
import { CliExit, daemonStopped } from "./exit.ts";

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  version: string;
};

export function buildProgram(): Command {
  const program = new Command()
    .name("grantsync")
    .description("Keep filesystem ACLs (POSIX, HDFS via WebHDFS) in step with Hive/Sentry grants.")
    .version(pkg.version)
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CliExit) return err.exitCode;
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    const e = toGsError(err);
    if (argv.includes("--json")) process.stdout.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
    else {
      const s = makeStyle(colourEnabled(process.stderr));
      const hint = withConfigArg(e.hint, resolveConfigFile(argv));
      process.stderr.write(`${s.red(`error: ${e.format()}`)}\n${s.dim(`hint: ${hint}`)}\n`);
      if (e.code === "GS_INTERNAL" && e.stack) process.stderr.write(`${e.stack}\n`);
    }
    return 1;
  }
}

/** The config file the command named (or defaulted to), for hints; commander has not parsed it when usage fails. */
function resolveConfigFile(argv: string[]): string {
  const at = argv.findIndex((a) => a === "--config" || a === "-c");
  const given =
    at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith("--config="))?.slice("--config=".length);
  return resolve(configFileFor(given).file);
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
    if (daemonStopped) process.exit(code);
  },
  (err) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
    if (daemonStopped) process.exit(1);
  },
);
