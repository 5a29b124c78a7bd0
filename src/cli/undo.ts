// `grantsync undo RUN` restores the "before" ACLs of a run, skipping paths changed since;
// `grantsync runs` lists the runs the journal holds.

import type { Config } from "../config/types.ts";
import { lockHolder } from "../reconcile/lock.ts";
import { undoRun } from "../reconcile/undo.ts";
import { renderRuns, renderUndo } from "../report/text.ts";
import { openTargetAndStore } from "../session/build.ts";
import { openStateStore } from "../session/store.ts";
import { targetId } from "../session/target.ts";
import { CliExit, confirm, printJson, stdoutStyle } from "./common.ts";
import { configArg } from "./config-file.ts";
import { loadCliConfig } from "./load-config.ts";

interface Options {
  config?: string;
  json?: boolean;
  dryRun?: boolean;
  yes?: boolean;
}

export async function runs(opts: Options): Promise<void> {
  const config = await loadCliConfig(opts.config);
  const store = await openStateStore(config);
  const list = await store.listRuns().finally(() => store.close());
  if (opts.json) printJson(list);
  else process.stdout.write(renderRuns(list, stdoutStyle()));
}

export async function undo(run: string, opts: Options): Promise<void> {
  const config = await loadCliConfig(opts.config);
  const { target, store } = await openTargetAndStore(config);
  const undoWith = (dryRun: boolean) =>
    undoRun(target, targetId(config), store, run, config.target.roots, { dryRun });
  try {
    const ask = !opts.yes && !opts.json && !opts.dryRun && process.stdin.isTTY;
    if (ask || opts.dryRun) {
      const preview = await undoWith(true);
      if (opts.json) printJson(preview);
      else process.stdout.write(renderUndo(preview, stdoutStyle()));
      if (!opts.json) process.stderr.write(reapplyWarning(config, run));
      if (opts.dryRun || preview.restored === 0) return;
      if (!(await confirm("Restore these ACLs? [y/N] "))) {
        process.stdout.write("Nothing was changed.\n");
        return;
      }
    }
    const result = await undoWith(false);
    if (opts.json) printJson(result);
    else {
      process.stdout.write(renderUndo(result, stdoutStyle()));
      if (!ask) process.stderr.write(reapplyWarning(config, run));
    }
    if (result.failed > 0) throw new CliExit(1);
  } finally {
    await target.close();
    await store.close();
  }
}

/** Undo restores old ACLs, but unless the grants changed, the next run writes the new ones again. */
function reapplyWarning(config: Config, run: string): string {
  const configFile = config.file;
  // A database state has no daemon lock file: any daemon on it is named generically.
  const daemon = config.state.db ? undefined : lockHolder(config.state.dir, "daemon.lock");
  const who = daemon
    ? `the running daemon${daemon.pid === undefined ? "" : ` (pid ${daemon.pid})`} at its next run, and any \`grantsync apply${configArg(configFile)}\`,`
    : `the next \`grantsync apply${configArg(configFile)}\``;
  return `warning: unless the grants changed since run ${run}, ${who} will write its changes again; change the grants to keep the undo\n`;
}
