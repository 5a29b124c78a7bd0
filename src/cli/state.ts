// `grantsync state export DIR` / `state import DIR`: move the configured state (a database or a
// directory) to a state directory and back, e.g. to switch a deployment to `[state] url`; `state
// upgrade [DIR]` converts a state directory an earlier grantsync wrote.

import { resolve } from "node:path";
import { GsError } from "../errors.ts";
import { DirStateStore } from "../reconcile/dir-store.ts";
import { copyState } from "../reconcile/state-copy.ts";
import { upgradeStateDir } from "../reconcile/state-upgrade.ts";
import { openStateStore } from "../session/store.ts";
import { targetId } from "../session/target.ts";
import type { StateStore } from "../state/store.ts";
import { printJson } from "./common.ts";
import { loadCliConfig } from "./load-config.ts";

interface Options {
  config?: string;
  json?: boolean;
  dryRun?: boolean;
}

export async function upgrade(dir: string | undefined, opts: Options): Promise<void> {
  const target = dir === undefined ? await configuredDir(opts.config) : resolve(dir);
  const s = upgradeStateDir(target, { dryRun: opts.dryRun === true });
  if (opts.json) return printJson(s);
  const what =
    s.managed === "upgraded" || s.adoptions > 0 || s.journals > 0
      ? `managed.json ${s.managed}, ${s.adoptions} adoption record(s), ${s.journals} journal(s) with ${s.changes} change(s)`
      : "nothing to convert: the state is current";
  process.stdout.write(`${s.dryRun ? "Would upgrade" : "Upgraded"} ${s.dir}: ${what}.\n`);
}

export const exportState = (dir: string, opts: Options) => copyStateDir("export", dir, opts);
export const importState = (dir: string, opts: Options) => copyStateDir("import", dir, opts);

/** export: the configured state into DIR; import: DIR into the configured state. */
async function copyStateDir(direction: "export" | "import", dir: string, opts: Options): Promise<void> {
  const config = await loadCliConfig(opts.config);
  const configured = await openStateStore(config);
  const other: StateStore = new DirStateStore(resolve(dir));
  try {
    const [from, to] = direction === "export" ? [configured, other] : [other, configured];
    const summary = await copyState(from, to, targetId(config));
    if (opts.json) printJson({ from: from.where, to: to.where, ...summary });
    else
      process.stdout.write(
        `Copied ${summary.locations} location(s), ${summary.adoptions} adoption(s) and ${summary.runs} run(s) from ${from.where} to ${to.where}.\n`,
      );
  } finally {
    await configured.close();
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
