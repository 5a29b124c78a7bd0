// `grantsync apply`: re-observes and writes what plan shows. Asks first only on a TTY (--yes to
// skip); --plan applies a saved plan exactly or refuses; exit 0 on success, 1 on any error.

import { readFileSync } from "node:fs";
import { GsError } from "../errors.ts";
import { unsyncedPaths } from "../reconcile/outcome.ts";
import type { Plan } from "../reconcile/plan.ts";
import { applyChanges, computePlan } from "../reconcile/run.ts";
import { colourEnabled, makeStyle } from "../report/style.ts";
import { renderIncomplete, renderPlan } from "../report/text.ts";
import {
  CliExit,
  clearProgress,
  closeSession,
  confirm,
  openSession,
  printJson,
  stdoutStyle,
} from "./common.ts";
import { configArg } from "./config-file.ts";

interface ApplyOptions {
  config?: string;
  json?: boolean;
  plan?: string;
  force?: boolean;
  yes?: boolean;
}

export async function apply(opts: ApplyOptions): Promise<void> {
  const { session } = await openSession(opts.config, { ...opts, progress: true });
  const s = stdoutStyle();
  try {
    const saved = opts.plan ? readPlan(opts.plan, session.targetId) : undefined;
    // Asked whenever a person can answer, even with stdout piped (`apply | tee log`), as Terraform does.
    if (!opts.yes && !opts.json && process.stdin.isTTY) {
      const preview = saved ?? (await computePlan(session));
      clearProgress();
      process.stdout.write(renderPlan(preview, s));
      if (preview.summary.changed === 0) return;
      if (!(await confirm("Apply these changes? [y/N] "))) {
        process.stdout.write("Nothing was changed.\n");
        return;
      }
    }
    const result = await applyChanges(session, {
      ...(saved ? { saved } : {}),
      force: opts.force ?? false,
      keepChanges: opts.json === true,
    });
    clearProgress();
    const failures = unsyncedPaths(result.plan);
    if (opts.json)
      printJson({ run: result.journaled ? result.run : null, failed: failures.length, ...result.plan });
    else {
      process.stdout.write(renderPlan(result.plan, s, { verb: "changed" }));
      if (result.journaled)
        process.stdout.write(
          `Run id: ${result.run} (undo with: grantsync undo ${result.run}${configArg(session.config.file)})\n`,
        );
    }
    if (failures.length > 0) {
      if (!opts.json)
        process.stderr.write(renderIncomplete(failures, makeStyle(colourEnabled(process.stderr))));
      throw new CliExit(1);
    }
  } finally {
    await closeSession(session);
  }
}

function readPlan(file: string, targetId: string): Plan {
  let plan: Plan;
  try {
    plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
  } catch (err) {
    throw new GsError("GS_PLAN_READ", `cannot read plan: ${(err as Error).message}`, {
      location: file,
      cause: err,
    });
  }
  if (plan.kind !== "grantsync-plan" || plan.formatVersion !== 1 || !Array.isArray(plan.changes)) {
    throw new GsError("GS_PLAN_READ", "not a grantsync plan file", { location: file });
  }
  if (plan.target !== targetId)
    throw new GsError("GS_PLAN_READ", `plan was made for ${plan.target}, not ${targetId}`, {
      location: file,
    });
  return plan;
}
