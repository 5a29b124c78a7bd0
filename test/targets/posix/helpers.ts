// Fixtures for the POSIX target tests: temp trees, the real acl tools, and fd counting.
// Every helper shells out to getfacl/setfacl so the tests check the kernel, not our own reader.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PosixTarget } from "../../../src/targets/posix/target.ts";
import type { SkippedPath, TargetNode } from "../../../src/targets/target.ts";

export function tempTree(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gs-posix-"));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function run(cmd: string, ...args: string[]): string {
  return execFileSync(cmd, args, { encoding: "utf8" });
}

/** getfacl's entries (no header, no #effective), one per line, as `getfacl -pcE` prints them. */
export function getfacl(p: string): string {
  return run("getfacl", "-pcE", p).trim();
}

export function setfacl(...args: string[]): void {
  run("setfacl", ...args);
}

/** The raw xattr in hex, or "" when absent. */
export function xattrHex(p: string, name: string): string {
  try {
    const out = execFileSync("getfattr", ["-h", "-e", "hex", "-n", name, p], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    return /=0x([0-9a-f]*)/.exec(out)?.[1] ?? "";
  } catch {
    return "";
  }
}

/**
 * Open descriptors of this process; with `under`, only those naming a path below it, so a
 * descriptor the runtime opens or closes meanwhile (Node 24 does) cannot skew the count.
 */
export function fdCount(under?: string): number {
  const fds = fs.readdirSync("/proc/self/fd");
  if (under === undefined) return fds.length;
  return fds.filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${under}/`);
    } catch {
      return false; // closed between the listing and the readlink
    }
  }).length;
}

/** ACL text, xattrs, mode and ctime of everything below `dir`, to prove nothing there changed. */
export function snapshot(dir: string): string {
  const lines: string[] = [];
  const visit = (p: string) => {
    const st = fs.lstatSync(p, { bigint: true });
    lines.push(`${p} ${st.mode} ${st.ctimeNs}`);
    if (st.isSymbolicLink()) return;
    lines.push(getfacl(p));
    if (st.isDirectory()) for (const n of fs.readdirSync(p).sort()) visit(path.join(p, n));
  };
  visit(dir);
  return lines.join("\n");
}

export interface Collected {
  visited: string[];
  skipped: SkippedPath[];
}

/** Walks `root`, calling `each` on every node, and returns what was visited and skipped. */
export async function collect(
  target: PosixTarget,
  root: string,
  each?: (node: TargetNode) => void | Promise<void>,
): Promise<Collected> {
  const out: Collected = { visited: [], skipped: [] };
  await target.walk(root, {
    visit: async (node) => {
      out.visited.push(node.path);
      await each?.(node);
    },
    skip: (s) => out.skipped.push(s),
  });
  return out;
}
