// What the numbers were measured on: CPU, cores, memory, kernel, the temp dir's filesystem, Node and
// the reference tools' versions.

import { spawnSync } from "node:child_process";
import { cpus, release, tmpdir, totalmem } from "node:os";

function sh(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "unknown";
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  tmpdir: string;
  tmpdirFilesystem: string;
  node: string;
  acl: string;
}

export function describeMachine(): Machine {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    tmpdir: tmpdir(),
    tmpdirFilesystem: sh("stat", ["-f", "-c", "%T", tmpdir()]),
    node: process.version,
    acl: sh("getfacl", ["--version"]).split("\n")[0] ?? "unknown",
  };
}
