// Runs the real `grantsync daemon` in a child process (through tsx, from the sources): its JSON
// log lines, its health port (the config listens on port 0), HTTP probes, and polling helpers.

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface DaemonProcess {
  child: ChildProcess;
  logs: LogLine[];
  stderr(): string;
  /** The health server's port, once the daemon logged it. */
  port(): Promise<number>;
  get(path: string): Promise<{ status: number; body: string }>;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

export function startDaemon(config: string, args: string[] = []): DaemonProcess {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "daemon", "--config", config, ...args],
    {
      cwd: repo,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  const logs: LogLine[] = [];
  let err = "";
  let partial = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop()!;
    for (const l of lines) if (l.trim() !== "") logs.push(JSON.parse(l) as LogLine);
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const port = async () => {
    const line = await waitFor(
      () => logs.find((l) => typeof l.port === "number"),
      15_000,
      "the daemon to listen",
    );
    return line.port as number;
  };
  return {
    child,
    logs,
    stderr: () => err,
    port,
    async get(path) {
      const res = await fetch(`http://127.0.0.1:${await port()}${path}`);
      return { status: res.status, body: await res.text() };
    },
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs: number,
  what: string,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Resolves once /readyz answers `status` (200 ready, 503 not ready). */
export async function waitReady(d: DaemonProcess, status = 200, timeoutMs = 15_000): Promise<string> {
  return waitFor(
    async () => {
      const r = await d.get("/readyz").catch(() => undefined);
      return r?.status === status ? r.body : undefined;
    },
    timeoutMs,
    `/readyz ${status}`,
  );
}

const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(
  `^((${NAME})(?:\\{(?:${LABEL}(?:,${LABEL})*,?)?\\})?) (NaN|[+-]Inf|[-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)(?: -?\\d+)?$`,
);
const COMMENT = new RegExp(
  `^# (?:HELP (${NAME}) .*|TYPE (${NAME}) (counter|gauge|histogram|summary|untyped))$`,
);

/**
 * Parses Prometheus text exposition (0.0.4): every line is a HELP/TYPE comment or a sample of a
 * declared family. Throws on the first bad line; returns samples as `name{labels}` → value.
 */
export function parsePrometheus(text: string): Map<string, number> {
  const types = new Map<string, string>();
  const samples = new Map<string, number>();
  for (const [i, line] of text.split("\n").entries()) {
    if (line === "") continue;
    const c = COMMENT.exec(line);
    if (c) {
      if (c[2]) types.set(c[2], c[3]!);
      continue;
    }
    if (line.startsWith("#")) throw new Error(`line ${i + 1}: bad comment: ${line}`);
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const name = m[2]!;
    const family = [name, name.replace(/_(bucket|sum|count)$/, "")].find((n) => types.has(n));
    if (!family) throw new Error(`line ${i + 1}: ${name} has no # TYPE`);
    samples.set(m[1]!, Number(m[3]));
  }
  return samples;
}
