// `grantsync state export DIR` / `state import DIR`: move the configured state (a database or a
// directory) to a state directory and back, e.g. to switch a deployment to `[state] url`.

import { resolve } from "node:path";
import type { Command } from "commander";
import { DirStateStore } from "../reconcile/dir-store.ts";
import { copyState } from "../reconcile/state-copy.ts";
import { openStateStore } from "../session/store.ts";
import { targetId } from "../session/target.ts";
import type { StateStore } from "../state/store.ts";
import { printJson } from "./common.ts";
import { CONFIG_HELP, loadCliConfig } from "./config-file.ts";

interface Options {
  config?: string;
  json?: boolean;
}

export function registerState(program: Command): void {
  const state = program.command("state").description("move the state between a directory and a database");
  for (const [name, description] of [
    ["export", "copy the configured state into DIR (which must not hold a state yet)"],
    ["import", "copy the state in DIR into the configured state (which must be empty)"],
  ] as const) {
    state
      .command(name)
      .description(description)
      .argument("<dir>", "a state directory")
      .option("-c, --config <file>", CONFIG_HELP)
      .option("--json", "machine-readable output")
      .action(async (dir: string, opts: Options) => {
        const config = await loadCliConfig(opts.config);
        const configured = await openStateStore(config);
        const other: StateStore = new DirStateStore(resolve(dir));
        try {
          const [from, to] = name === "export" ? [configured, other] : [other, configured];
          const summary = await copyState(from, to, targetId(config));
          if (opts.json) printJson({ from: from.where, to: to.where, ...summary });
          else
            process.stdout.write(
              `Copied ${summary.locations} location(s), ${summary.adoptions} adoption(s) and ${summary.runs} run(s) from ${from.where} to ${to.where}.\n`,
            );
        } finally {
          await configured.close();
        }
      });
  }
}
