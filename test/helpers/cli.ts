// Runs the real grantsync CLI in a child process (through tsx, from the sources) and the real
// getfacl/setfacl, for end-to-end tests.

import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("../..", import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function grantsync(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function grantsyncJson<T = unknown>(args: string[]): { code: number; json: T; stderr: string } {
  const r = grantsync([...args, "--json"]);
  try {
    return { code: r.code, json: JSON.parse(r.stdout) as T, stderr: r.stderr };
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
}

/** getfacl's entries for one path, without comments and the #effective annotations. */
export function getfacl(path: string): string[] {
  const r = spawnSync("getfacl", ["-p", "-c", "-E", path], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`getfacl ${path}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l.trim() !== "");
}

export function setfacl(args: string[]): void {
  const r = spawnSync("setfacl", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`setfacl ${args.join(" ")}: ${r.stderr}`);
}

/** The same as grantsync(), without blocking this process's event loop (for servers running in it). */
export function grantsyncAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: "1", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
