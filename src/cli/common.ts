// What every command shares: loading the config and the model, building the session, writing
// human or JSON output, progress on a TTY, and the exit-code carrying error.

import { createInterface } from "node:readline/promises";
import type { DesiredState } from "../compile/model.ts";
import { checkEnvironment } from "../config/environment.ts";
import type { Config } from "../config/types.ts";
import { diagnosticError, GsError } from "../errors.ts";
import type { ProgressListener } from "../reconcile/progress.ts";
import type { Session } from "../reconcile/run.ts";
import { colourEnabled, makeStyle, num, type Style } from "../report/style.ts";
import { renderDiagnostics } from "../report/text.ts";
import { scrubText } from "../secrets.ts";
import { compileForConfig } from "../session/compile.ts";
import { openStateStore } from "../session/store.ts";
import { createTarget, targetId } from "../session/target.ts";
import { loadModel, type Model } from "../sources/load.ts";
import { loadCliConfig } from "./config-file.ts";

/** Thrown to end a command with an exit code after its output has been written. */
export class CliExit extends Error {
  readonly exitCode: number;
  constructor(exitCode: number) {
    super(`exit ${exitCode}`);
    this.exitCode = exitCode;
  }
}

export interface OutputOptions {
  json?: boolean;
}

export function stdoutStyle(): Style {
  return makeStyle(colourEnabled(process.stdout));
}

export function printJson(value: unknown): void {
  process.stdout.write(`${scrubText(JSON.stringify(value, null, 2))}\n`);
}

export interface Loaded {
  config: Config;
  model: Model;
  desired: DesiredState;
  session: Session;
}

/** Config → model → desired ACLs → target. A model with errors stops here, with every error listed. */
export async function openSession(
  configPath: string | undefined,
  opts: OutputOptions & { progress?: boolean } = {},
): Promise<Loaded> {
  const config = await loadCliConfig(configPath);
  const [problem] = checkEnvironment(config);
  if (problem) throw diagnosticError(problem);
  const load = await loadModel(config);
  if (!load.model) {
    // With --json the diagnostics go into the one error document main prints.
    if (!opts.json)
      process.stderr.write(
        renderDiagnostics(load.errors, load.warnings, makeStyle(colourEnabled(process.stderr))),
      );
    throw new GsError(
      "GS_POLICY_ERRORS",
      `${load.errors.length} error(s) in the policy or locations; nothing was changed`,
      { input: { errors: load.errors, warnings: load.warnings } },
    );
  }
  if (!opts.json && load.warnings.length > 0) {
    process.stderr.write(renderDiagnostics([], load.warnings, makeStyle(colourEnabled(process.stderr))));
  }
  const target = await createTarget(config);
  const desired = compileForConfig(config, load.model, target.fileExecuteDefault);
  const session: Session = {
    config,
    target,
    targetId: targetId(config),
    desired,
    store: await openStateStore(config),
    ...(opts.progress && !opts.json && process.stderr.isTTY ? { onProgress: progressLine() } : {}),
  };
  return { config, model: load.model, desired, session };
}

export async function closeSession(session: Session): Promise<void> {
  await session.target.close();
  await session.store.close();
}

/** `applying: 3 of 12 locations done, 48,000 paths scanned`, redrawn at most every 100 ms. */
function progressLine(): ProgressListener {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (now - last < 100 && p.locationsDone < p.locationsTotal) return;
    last = now;
    process.stderr.write(
      `\r\u001b[2K${p.phase}: ${num(p.locationsDone)} of ${num(p.locationsTotal)} locations done, ${num(p.scanned)} paths scanned`,
    );
  };
}

export function clearProgress(): void {
  if (process.stderr.isTTY) process.stderr.write("\r\u001b[2K");
}

/** Asks on stderr, so a piped stdout (`| tee log`) still shows the plan and never the question. */
export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
