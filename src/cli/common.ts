// What every command shares: loading the config and the model, building the session, writing
// human or JSON output, progress on a TTY, and the exit-code carrying error.

import { createInterface } from "node:readline/promises";
import type { DesiredState } from "../compile/model.ts";
import type { Config } from "../config/types.ts";
import type { ProgressListener } from "../reconcile/progress.ts";
import type { Session } from "../reconcile/run.ts";
import { colourEnabled, makeStyle, num, type Style } from "../report/style.ts";
import { renderDiagnostics } from "../report/text.ts";
import { scrubText } from "../secrets.ts";
import { buildSession } from "../session/build.ts";
import type { Model, ModelLoad } from "../sources/load.ts";
import { loadCliConfig } from "./load-config.ts";

export { CliExit } from "./exit.ts";

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

/** The config the command names, then the one session builder; the sources' diagnostics go to stderr. */
export async function openSession(
  configPath: string | undefined,
  opts: OutputOptions & { progress?: boolean } = {},
): Promise<Loaded> {
  const config = await loadCliConfig(configPath);
  const { model, session } = await buildSession(config, {
    // With --json the diagnostics go into the one error document main prints.
    ...(opts.json ? {} : { onLoad: printDiagnostics }),
    extras: opts.progress && !opts.json && process.stderr.isTTY ? { onProgress: progressLine() } : {},
  });
  return { config, model, desired: session.desired, session };
}

function printDiagnostics(load: ModelLoad): void {
  if (load.model && load.warnings.length === 0) return;
  const errors = load.model ? [] : load.errors;
  process.stderr.write(renderDiagnostics(errors, load.warnings, makeStyle(colourEnabled(process.stderr))));
}

export { closeSession } from "../session/build.ts";

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
