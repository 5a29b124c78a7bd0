// `grantsync state export DIR` / `state import DIR`: move the configured state (a database or a
// directory) to a state directory and back, e.g. to switch a deployment to `[state] url`; `state
// upgrade [DIR]` converts a state directory an earlier grantsync wrote.

import { resolve } from "node:path";
import type { Command } from "commander";
import { GsError } from "../errors.ts";
import { DirStateStore } from "../reconcile/dir-store.ts";
import { copyState } from "../reconcile/state-copy.ts";
import { upgradeStateDir } from "../reconcile/state-upgrade.ts";
import { openStateStore } from "../session/store.ts";
import { targetId } from "../session/target.ts";
import type { StateStore } from "../state/store.ts";
import { printJson } from "./common.ts";
import { CONFIG_HELP, loadCliConfig } from "./config-file.ts";

interface Options {
  config?: string;
  json?: boolean;
  dryRun?: boolean;
}

export function registerState(program: Command): void {
  const state = program
    .command("state")
    .description("move the state between a directory and a database; upgrade an earlier state directory");
  state
    .command("upgrade")
    .description("convert a state directory written by an earlier grantsync (records without checksums)")
    .argument("[dir]", "the state directory (default: the configured [state] dir)")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--dry-run", "check that everything converts, write nothing")
    .option("--json", "machine-readable output")
    .action(async (dir: string | undefined, opts: Options) => {
      const target = dir === undefined ? await configuredDir(opts.config) : resolve(dir);
      const s = upgradeStateDir(target, { dryRun: opts.dryRun === true });
      if (opts.json) return printJson(s);
      const what =
        s.managed === "upgraded" || s.adoptions > 0 || s.journals > 0
          ? `managed.json ${s.managed}, ${s.adoptions} adoption record(s), ${s.journals} journal(s) with ${s.changes} change(s)`
          : "nothing to convert: the state is current";
      process.stdout.write(`${s.dryRun ? "Would upgrade" : "Upgraded"} ${s.dir}: ${what}.\n`);
    });
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

async function configuredDir(config: string | undefined): Promise<string> {
  const loaded = await loadCliConfig(config);
  if (loaded.state.db !== undefined) {
    throw new GsError(
      "GS_USAGE",
      "the configured state is a database: only a state directory needs upgrading",
      {
        hint: "Name the directory: grantsync state upgrade DIR.",
      },
    );
  }
  return loaded.state.dir;
}
