// Shared by the hardening tests: the CI/soak size switch, a scratch warehouse of any size with a
// config the tests control, and snapshots of everything a write could have touched.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config/load.ts";
import type { Session } from "../../src/reconcile/run.ts";
import { buildSession } from "../../src/session/build.ts";
import { grantsyncJson } from "./cli.ts";
import { posixConfig } from "./warehouse.ts";

/** `npm run soak` sets GRANTSYNC_SOAK=1: the full-size versions of every hardening test. */
export const SOAK = process.env.GRANTSYNC_SOAK === "1";

export function size(ci: number, soak: number): number {
  return SOAK ? soak : ci;
}

export interface Scratch {
  dir: string;
  root: string;
  config: string;
  policy: string;
  locations: string;
  state: string;
  p(rel: string): string;
  write(file: "policy" | "locations" | "config", text: string): void;
  cleanup(): void;
}

export interface ScratchOptions {
  policy: string;
  /** Body of the locations file; `@ROOT@` is replaced by the warehouse root. */
  locations: string;
  /** Extra config lines, appended after [state]. */
  extraConfig?: string;
  /** Directories (relative to the root) to create. */
  dirs?: string[];
}

/** A warehouse root, a policy, a locations file and a POSIX config, all in one temp dir. */
export function makeScratch(opts: ScratchOptions): Scratch {
  const dir = mkdtempSync(join(tmpdir(), "gs-hard-"));
  const root = join(dir, "warehouse");
  mkdirSync(root);
  for (const d of opts.dirs ?? []) mkdirSync(join(root, d), { recursive: true });
  const files = {
    policy: join(dir, "policy.ini"),
    locations: join(dir, "locations.ini"),
    config: join(dir, "grantsync.ini"),
  };
  const write = (file: keyof typeof files, text: string) =>
    writeFileSync(files[file], file === "locations" ? text.replaceAll("@ROOT@", root) : text);
  write("policy", opts.policy);
  write("locations", opts.locations);
  write("config", posixConfig(root, "policy.ini", opts.extraConfig));
  return {
    dir,
    root,
    ...files,
    state: join(dir, "state"),
    p: (rel) => join(root, rel),
    write,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A scratch warehouse where `staff` may SELECT on database `sales` (`@ROOT@/sales.db`), with `dirs` and `sales.db/a/part-0`. */
export function salesScratch(dirs: string[] = ["sales.db/a", "sales.db/b"]): Scratch {
  const wh = makeScratch({
    policy: "[groups]\nstaff = reader\n[roles]\nreader = server=server1->db=sales->action=select\n",
    locations: "[databases]\nsales = @ROOT@/sales.db\n",
    dirs,
  });
  writeFileSync(wh.p("sales.db/a/part-0"), "x");
  return wh;
}

/** `grantsync apply --yes` on a scratch warehouse, which must succeed; returns the run id. */
export function applyOnce(wh: Scratch): string {
  const r = grantsyncJson<{ run: string }>(["apply", "-c", wh.config, "--yes"]);
  assert.equal(r.code, 0, r.stderr);
  return r.json.run;
}

/** Creates `tables` table directories with `filesPerTable` files each under `root/db`. */
export function fillTables(root: string, db: string, tables: number, filesPerTable: number): string[] {
  const names: string[] = [];
  for (let t = 0; t < tables; t++) {
    const table = join(root, db, `t${t}`);
    mkdirSync(table, { recursive: true });
    for (let f = 0; f < filesPerTable; f++) writeFileSync(join(table, `part-${f}`), "");
    names.push(`t${t}`);
  }
  return names;
}

/** `getfacl -R -p` of a tree (physical walk: symlinks are not followed), sorted by path. */
export function getfaclTree(dir: string): string {
  const r = spawnSync("getfacl", ["-R", "-p", "-P", "-E", dir], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0 && r.stdout === "") throw new Error(`getfacl -R ${dir}: ${r.stderr}`);
  return r.stdout;
}

/** path → entries, from `getfacl -R` output. */
export function parseGetfaclTree(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const block of text.split("\n\n")) {
    const lines = block.split("\n").filter((l) => l !== "");
    const file = lines.find((l) => l.startsWith("# file: "));
    if (!file) continue;
    out.set(
      file.slice(8),
      lines.filter((l) => !l.startsWith("#")),
    );
  }
  return out;
}

/**
 * Everything under `dir` a stray write could change: per path its mode, owner, ctime and ACL xattrs
 * (read with getfattr on the path itself, never through a symlink).
 */
export function stateOf(dir: string): string {
  const lines: string[] = [];
  const visit = (p: string) => {
    const st = lstatSync(p, { bigint: true });
    lines.push(`${p} mode=${st.mode.toString(8)} uid=${st.uid} gid=${st.gid} ctime=${st.ctimeNs}`);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory() || st.isFile()) lines.push(xattrs(p));
    if (st.isDirectory()) for (const n of readdirSync(p).sort()) visit(join(p, n));
  };
  visit(dir);
  return lines.join("\n");
}

function xattrs(p: string): string {
  try {
    return execFileSync("getfattr", ["-h", "-d", "-m", "-", "-e", "hex", p], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).replace(/^# file:.*\n/m, "");
  } catch {
    return "";
  }
}

/** A promise that rejects after `ms`, for racing against something that must not block. */
export function deadline(ms: number, what: string): { promise: Promise<never>; clear(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return { promise, clear: () => clearTimeout(timer) };
}

/** What the CLI builds for plan and apply, in this process: the one session builder. */
export async function openSessionFor(configFile: string): Promise<Session> {
  return (await buildSession(loadConfig(configFile))).session;
}

const repo = fileURLToPath(new URL("../..", import.meta.url));

/** grantsyncJson without spawnSync's 1 MiB output cap: a 10k-path apply prints more than that. */
export function grantsyncBigJson<T = unknown>(args: string[]): { code: number; json: T; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args, "--json"], {
    cwd: repo,
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: { ...process.env, NO_COLOR: "1" },
  });
  try {
    return { code: r.status ?? -1, json: JSON.parse(r.stdout) as T, stderr: r.stderr };
  } catch {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout.slice(0, 2000)}\n${r.stderr}`);
  }
}
