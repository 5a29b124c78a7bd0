// POSIX comparisons on one generated tree: a no-op check (grantsync plan vs getfacl -R), applying one
// new group (grantsync apply vs setfacl -R -m), and the peak RSS of a no-op plan.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { grantsync, grantsyncPeakRssMb, interleave, median, type Pair, timeCommand } from "./measure.ts";
import { type BenchRow, ratioRow } from "./result.ts";
import {
  type BenchWarehouse,
  basePolicy,
  makeWarehouse,
  NEW_GROUP,
  newGroupPolicy,
  type Shape,
} from "./warehouse.ts";

export interface PosixTree {
  w: BenchWarehouse;
  base: string;
  withNewGroup: string;
  /** The managed trees (one per database): what grantsync walks and what the reference tools get. */
  dbs: string[];
  /** Puts the state directory back to what it was right after the tree was synced. */
  restoreState(): void;
}

const STATE_FILES = ["managed.json", "adopted.jsonl"];
const rX = (g: string) => `g:${g}:rX,d:g:${g}:rX`;

/**
 * Generates the tree and brings it in sync with the base policy with one grantsync apply: the
 * steady state of a tree grantsync manages (entries set by someone else first would be adopted,
 * one record per path, which is another workload).
 */
export function setupPosixTree(shape: Shape, log: (s: string) => void): PosixTree {
  const t0 = Date.now();
  const w = makeWarehouse(shape);
  const dbs = w.databasePaths();
  log(`  generated ${w.paths.toLocaleString("en")} paths in ${w.dir} (${Date.now() - t0} ms)`);
  const base = w.config("base", basePolicy(shape));
  const withNewGroup = w.config("new-group", newGroupPolicy(shape));
  grantsync(["apply", "--config", base, "--yes"]);
  const saved = new Map(STATE_FILES.map((f) => [f, readFileSync(join(w.state, f))]));
  const tree: PosixTree = {
    w,
    base,
    withNewGroup,
    dbs,
    restoreState() {
      rmSync(w.state, { recursive: true, force: true });
      mkdirSync(w.state, { recursive: true, mode: 0o750 });
      for (const [f, bytes] of saved) writeFileSync(join(w.state, f), bytes, { mode: 0o640 });
    },
  };
  assertInSync(tree);
  return tree;
}

/** `plan --detailed-exitcode` exits 0 only when nothing would change. */
function assertInSync(t: PosixTree): void {
  if (!existsSync(join(t.w.state, "managed.json"))) throw new Error("setup: no state was written");
  grantsync(["plan", "--config", t.base, "--detailed-exitcode"], { ok: [0] });
}

function aclDigest(paths: string[]): string {
  const r = spawnSync("getfacl", ["-R", "-p", ...paths], { maxBuffer: 1 << 30 });
  return createHash("sha256").update(r.stdout).digest("hex");
}

export function noopCheck(t: PosixTree, reps: number, label = ""): BenchRow {
  const plan = () => grantsync(["plan", "--config", t.base]);
  const getfacl = () => timeCommand("getfacl", ["-R", "-p", ...t.dbs]);
  plan();
  getfacl();
  const r = interleave(reps, plan, getfacl);
  return ratioRow(`POSIX no-op check${label}`, "ms", r.a, r.b, "getfacl -R -p", 0.3, median);
}

/**
 * The apply rows: `ours` (a: its times) and `setfacl -R -m` of the new group (b), alternated, each
 * from the synced base tree. An untimed first round checks that both leave byte-identical ACLs
 * (`first` runs after its reset); `mismatch` is the error when they do not.
 */
export function againstSetfacl(
  t: PosixTree,
  reps: number,
  ours: () => number,
  mismatch: string,
  first?: () => void,
): Pair {
  // Takes the new group off every path and restores the state: the synced base tree again.
  const reset = () => {
    timeCommand("setfacl", ["-R", "-x", `g:${NEW_GROUP},d:g:${NEW_GROUP}`, ...t.dbs]);
    t.restoreState();
  };
  const setfacl = () => timeCommand("setfacl", ["-R", "-m", rX(NEW_GROUP), ...t.dbs]);
  reset();
  first?.();
  ours();
  const digest = aclDigest(t.dbs);
  reset();
  setfacl();
  if (digest !== aclDigest(t.dbs)) throw new Error(mismatch);
  const r = interleave(reps, ours, setfacl, { a: reset, b: reset });
  reset();
  return r;
}

/** One new group on every path; the first round also checks the reset restores sync. */
export function applyNewGroup(t: PosixTree, reps: number): BenchRow {
  const apply = () => grantsync(["apply", "--config", t.withNewGroup, "--yes"]);
  const r = againstSetfacl(t, reps, apply, "apply: grantsync and setfacl left different ACLs", () =>
    assertInSync(t),
  );
  const row = ratioRow(
    "POSIX apply one new group",
    "ms",
    r.a,
    r.b,
    `setfacl -R -m ${rX(NEW_GROUP)}`,
    1.0,
    median,
  );
  row.note = "identical resulting ACLs checked with getfacl; grantsync also journals every change";
  return row;
}

export function noopMemory(t: PosixTree, reps: number, label: string): BenchRow {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) samples.push(grantsyncPeakRssMb(["plan", "--config", t.base]));
  const rss = median(samples);
  return {
    name: `peak RSS, no-op plan, ${label}`,
    unit: "MB",
    grantsync: rss,
    goal: "≤ 128 MB",
    met: rss <= 128,
    samples: { grantsync: samples },
  };
}
