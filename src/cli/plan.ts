// `grantsync plan`: the exact dry run. Groups changes by object, --verbose lists every path,
// --out saves the plan for `apply --plan`, --detailed-exitcode: 0 no changes, 2 changes, 1 error.

import { writeFileSync } from "node:fs";
import { computePlan } from "../reconcile/run.ts";
import { colourEnabled, makeStyle } from "../report/style.ts";
import { renderDesiredNotes, renderPlan } from "../report/text.ts";
import { CliExit, clearProgress, closeSession, openSession, printJson, stdoutStyle } from "./common.ts";
import { configArg } from "./config-file.ts";

interface PlanOptions {
  config?: string;
  json?: boolean;
  detailedExitcode?: boolean;
  out?: string;
  verbose?: boolean;
}

export async function plan(opts: PlanOptions): Promise<void> {
  const { desired, session } = await openSession(opts.config, { ...opts, progress: true });
  try {
    const result = await computePlan(session);
    clearProgress();
    if (opts.out) writeFileSync(opts.out, JSON.stringify(result));
    if (opts.json) printJson(result);
    else {
      const s = stdoutStyle();
      process.stderr.write(renderDesiredNotes(desired, makeStyle(colourEnabled(process.stderr))));
      process.stdout.write(renderPlan(result, s, { verbose: opts.verbose ?? false }));
      if (opts.out)
        process.stdout.write(
          `Saved to ${opts.out}; apply it with: grantsync apply${configArg(session.config.file)} --plan ${opts.out}\n`,
        );
    }
    if (opts.detailedExitcode && result.summary.changed > 0) throw new CliExit(2);
  } finally {
    await closeSession(session);
  }
}
