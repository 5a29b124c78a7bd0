// Timing and memory of child processes: wall time around a synchronous spawn (startup included),
// interleaved A/B repetitions with medians, and peak RSS read from the child itself.

import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO = new URL("..", import.meta.url).pathname;
export const CLI = join(REPO, "dist", "cli", "main.js");
const MAX_RSS_PRELOAD = join(REPO, "bench", "max-rss.mjs");

export interface RunOptions {
  /** Exit codes that count as success (default [0]). */
  ok?: number[];
  env?: NodeJS.ProcessEnv;
}

/** Runs a command with stdout to /dev/null (as `> /dev/null`), returns wall ms; throws on failure. */
export function timeCommand(cmd: string, args: string[], opts: RunOptions = {}): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: opts.env ?? process.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  if (!(opts.ok ?? [0]).includes(r.status ?? -1)) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited ${r.status ?? r.signal}: ${r.stderr.toString().slice(-2000)}`,
    );
  }
  return ms;
}

/** The grantsync CLI as installed (`dist/`), so startup is what users pay, not a TS loader's. */
export function grantsync(args: string[], opts: RunOptions = {}): number {
  return timeCommand(process.execPath, [CLI, ...args], opts);
}

/** Runs the CLI once with a preload that reports the process's own peak RSS (getrusage) at exit. */
export function grantsyncPeakRssMb(args: string[], opts: RunOptions = {}): number {
  const out = join(tmpdir(), `gs-bench-rss-${process.pid}-${Date.now()}`);
  try {
    timeCommand(process.execPath, ["--import", MAX_RSS_PRELOAD, CLI, ...args], {
      ...opts,
      env: { ...process.env, ...opts.env, GS_BENCH_MAX_RSS_FILE: out },
    });
    return Number(readFileSync(out, "utf8")) / 1024;
  } finally {
    rmSync(out, { force: true });
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export interface Pair {
  a: number[];
  b: number[];
}

/**
 * A, B, A, B… `reps` times each. `prepareA`/`prepareB` run untimed before each side (resetting the
 * tree), so both sides start every repetition from the same state.
 */
export function interleave(
  reps: number,
  a: () => number,
  b: () => number,
  prepare: { a?: () => void; b?: () => void } = {},
): Pair {
  const out: Pair = { a: [], b: [] };
  for (let i = 0; i < reps; i++) {
    prepare.a?.();
    out.a.push(a());
    prepare.b?.();
    out.b.push(b());
  }
  return out;
}
