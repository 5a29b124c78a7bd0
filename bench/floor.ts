// The race-safe floors of the apply row: bench/floor.c (the six system calls per path a walk through
// held fds must make, in C, no journal) and bench/floor-node.mjs (the same walk and calls from Node
// through grantsync's koffi bindings), each against the same `setfacl -R -m`, alternated on the same
// tree. They say how much of the gap to setfacl is the safe walk itself, how much is calling the
// kernel from JavaScript, and how much is grantsync.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { median, REPO, timeCommand } from "./measure.ts";
import { againstSetfacl, type PosixTree } from "./posix.ts";
import { type BenchRow, ratioRow } from "./result.ts";
import { NEW_GROUP } from "./warehouse.ts";

/** Compiles floor.c; the reason it could not be when there is no C compiler. */
function compile(dir: string): string | { reason: string } {
  const out = join(dir, "floor");
  const r = spawnSync("cc", ["-O2", "-o", out, join(REPO, "bench", "floor.c")], { encoding: "utf8" });
  if (r.error || r.status !== 0) return { reason: `no C compiler (cc): ${r.error?.message ?? r.stderr}` };
  return out;
}

function gidOf(group: string): string {
  const r = spawnSync("getent", ["group", group], { encoding: "utf8" });
  const gid = r.stdout.split(":")[2];
  if (r.status !== 0 || !gid) throw new Error(`floor: no group ${group}`);
  return gid;
}

/**
 * A floor's row: `cmd gid dir...` alternated with `setfacl -R -m` on the same tree (its result checked
 * byte-identical first), as a reference beside the apply row rather than a goal.
 */
function floorRow(
  t: PosixTree,
  reps: number,
  cmd: string,
  args: string[],
  name: string,
  note: string,
): BenchRow {
  const gid = gidOf(NEW_GROUP);
  const floor = () => timeCommand(cmd, [...args, gid, ...t.dbs]);
  const r = againstSetfacl(t, reps, floor, `floor: ${note.split(":")[0]} and setfacl left different ACLs`);
  const row = ratioRow(name, "ms", r.a, r.b, "setfacl -R -m (same run)", 1.0, median);
  row.goal = "— (reference)";
  row.met = undefined;
  row.note = note;
  return row;
}

export function applyFloor(t: PosixTree, reps: number): BenchRow | { reason: string } {
  const dir = mkdtempSync(join(tmpdir(), "gs-bench-floor-"));
  try {
    const bin = compile(dir);
    if (typeof bin !== "string") return bin;
    return floorRow(
      t,
      reps,
      bin,
      [],
      "  race-safe floor: C, six calls per path, no journal",
      "bench/floor.c: openat O_NOFOLLOW, fstat, fgetxattr, fstat, fsetxattr, close per path",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same floor from Node: what calling the kernel through koffi adds to the C floor. */
export function applyNodeFloor(t: PosixTree, reps: number): BenchRow {
  return floorRow(
    t,
    reps,
    process.execPath,
    [join(REPO, "bench", "floor-node.mjs")],
    "  race-safe floor: Node (koffi), same calls, no journal",
    "bench/floor-node.mjs: floor.c's walk through grantsync's koffi bindings, Node start-up included",
  );
}
