// `grantsync undo RUN` restores the "before" ACLs of a run, skipping paths changed since;
// `grantsync runs` lists the runs the journal holds.

import type { Command } from "commander";
import { listRuns } from "../reconcile/journal.ts";
import { StateStore } from "../reconcile/state.ts";
import { undoRun } from "../reconcile/undo.ts";
import { renderRuns, renderUndo } from "../report/text.ts";
import { createTarget, targetId } from "../targets/create.ts";
import { CliExit, printJson, stdoutStyle } from "./common.ts";
import { CONFIG_HELP, loadCliConfig } from "./config-file.ts";

interface Options {
  config?: string;
  json?: boolean;
}

export function registerUndo(program: Command): void {
  program
    .command("undo")
    .description("restore the ACLs a run changed (paths changed since are left alone and reported)")
    .argument("<run>", "a run id, as printed by apply or listed by `grantsync runs`")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--json", "machine-readable output")
    .action(async (run: string, opts: Options) => {
      const config = await loadCliConfig(opts.config);
      const target = await createTarget(config);
      try {
        const result = await undoRun(
          target,
          targetId(config),
          new StateStore(config.state.dir),
          run,
          config.target.roots,
        );
        if (opts.json) printJson(result);
        else process.stdout.write(renderUndo(result, stdoutStyle()));
        if (result.failed > 0) throw new CliExit(1);
      } finally {
        await target.close();
      }
    });

  program
    .command("runs")
    .description("list the journaled runs")
    .option("-c, --config <file>", CONFIG_HELP)
    .option("--json", "machine-readable output")
    .action(async (opts: Options) => {
      const config = await loadCliConfig(opts.config);
      const runs = listRuns(new StateStore(config.state.dir).journalDir);
      if (opts.json) printJson(runs);
      else process.stdout.write(renderRuns(runs, stdoutStyle()));
    });
}
