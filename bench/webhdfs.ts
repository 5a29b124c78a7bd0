// WebHDFS no-op reconcile against the emulator (own process, 5 ms injected latency, 64 connections):
// managed paths per second against wrk's GETACLSTATUS rate on the same emulator, and requests per path.

import { type ChildProcess, fork, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { openSession } from "../src/cli/common.ts";
import { computePlan } from "../src/reconcile/run.ts";
import type { ChildRequest } from "./emulator-child.ts";
import { median, REPO } from "./measure.ts";
import type { BenchRow } from "./result.ts";
import { BASE_GROUP, type BenchWarehouse, basePolicy, makeWarehouse, type Shape } from "./warehouse.ts";

export const LATENCY_MS = 5;
export const CONNECTIONS = 64;
const WRK_SECONDS = 3;
const HDFS_ROOT = "/warehouse";

export function webhdfsAvailable(): string | undefined {
  for (const f of ["src/targets/webhdfs/target.ts", "src/emulator/server.ts"]) {
    if (!existsSync(join(REPO, f))) return `${f} is not there yet`;
  }
  return undefined;
}

export class EmulatorProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(): Promise<EmulatorProcess> {
    const child = fork(join(REPO, "bench", "emulator-child.ts"), [], {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const first = await new Promise<{ url: string }>((resolve, reject) => {
      child.once("message", (m) => resolve(m as { url: string }));
      child.once("exit", (code) => reject(new Error(`emulator exited ${code}`)));
    });
    return new EmulatorProcess(child, first.url);
  }

  request<T>(m: ChildRequest): Promise<T> {
    return new Promise((resolve) => {
      this.child.once("message", (r) => resolve(r as T));
      this.child.send(m);
    });
  }

  async requests(): Promise<number> {
    const { counts } = await this.request<{ counts: Record<string, number> }>({ cmd: "counts" });
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.send({ cmd: "close" } satisfies ChildRequest);
    await exited;
  }
}

export interface HdfsTree {
  emu: EmulatorProcess;
  w: BenchWarehouse;
  base: string;
}

/** An emulator holding a tree already in sync with the base policy (written straight into its namespace). */
export async function setupHdfsTree(shape: Shape, log: (s: string) => void): Promise<HdfsTree> {
  const emu = await EmulatorProcess.start();
  const w = makeWarehouse(shape, { kind: "webhdfs", namenode: emu.url, root: HDFS_ROOT });
  const t0 = Date.now();
  const { paths } = await emu.request<{ paths: number }>({
    cmd: "build",
    shape,
    root: HDFS_ROOT,
    groups: [BASE_GROUP],
  });
  log(`  emulator ${emu.url}: ${paths.toLocaleString("en")} paths built in ${Date.now() - t0} ms`);
  const base = w.config("base", basePolicy(shape));
  return { emu, w, base };
}

/**
 * wrk's GETACLSTATUS rate on one path of the same emulator, same latency and connections: what the
 * server answers per second when the client costs (almost) nothing. One wrk thread, as Node has one.
 */
export function wrkRate(t: HdfsTree, seconds: number): number {
  const url = `${t.emu.url}/webhdfs/v1${HDFS_ROOT}/db0.db/t0?op=GETACLSTATUS&user.name=hdfs`;
  const r = spawnSync("wrk", ["-t1", `-c${CONNECTIONS}`, `-d${seconds}s`, url], { encoding: "utf8" });
  const rate = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout ?? "")?.[1];
  if (r.status !== 0 || rate === undefined || /Non-2xx/.test(r.stdout)) {
    throw new Error(`wrk failed (${r.status}): ${r.stdout}${r.stderr}`);
  }
  return Number(rate);
}

export function wrkMissing(): string | undefined {
  return spawnSync("wrk", ["-v"]).error ? "wrk is not installed (Debian package wrk)" : undefined;
}

/** A no-op reconcile in this process, alternating with wrk: managed paths per second against wrk's requests per second. */
export async function noopReconcile(t: HdfsTree, reps: number): Promise<BenchRow[]> {
  await t.emu.request({ cmd: "latency", ms: LATENCY_MS });
  const perPath: number[] = [];
  const pathsPerSec: number[] = [];
  const wrk: number[] = [];
  let scanned = 0;
  let changed = 0;
  for (let i = 0; i <= reps; i++) {
    const { session } = await openSession(t.base, { json: true });
    await t.emu.request({ cmd: "reset" });
    const t0 = process.hrtime.bigint();
    const plan = await computePlan(session, { keepChanges: false });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    await session.target.close();
    const requests = await t.emu.requests();
    scanned = plan.summary.scanned;
    changed = plan.summary.changed;
    if (i === 0) continue; // warm-up: JIT, connection pool
    perPath.push(requests / scanned);
    pathsPerSec.push(scanned / (ms / 1000));
    wrk.push(wrkRate(t, WRK_SECONDS));
  }
  if (changed !== 0) throw new Error(`webhdfs: the synced tree still has ${changed} changes`);
  const p = median(perPath);
  const g = median(pathsPerSec);
  const w = median(wrk);
  const s = t.w.shape;
  const tables = s.databases * s.tablesPerDb;
  // The protocol's floor: one GETACLSTATUS per path with an ACL (all but the configured root), one
  // GETFILESTATUS per walk root (a database) and for the configured root (decided alone, for its
  // traverse entries), one per directory above it (its mode bits, for the above-root warnings: `/`),
  // and one listing page per directory with children; leaves (childrenNum 0) none.
  const above = HDFS_ROOT.split("/").length - 1;
  const floor = (scanned + 2 * s.databases + tables + above) / scanned;
  const what = `${scanned.toLocaleString("en")} paths, ${(tables * s.filesPerTable).toLocaleString("en")} leaf dirs`;
  return [
    {
      name: `WebHDFS no-op: managed paths/s, ${what}, ${LATENCY_MS} ms latency, ${CONNECTIONS} conn`,
      unit: "/s",
      grantsync: g,
      reference: w,
      referenceName: "wrk, GETACLSTATUS requests",
      ratio: g / w,
      goal: "ratio ≥ 0.9",
      met: g / w >= 0.9,
      samples: { grantsync: pathsPerSec, reference: wrk },
    },
    {
      name: "WebHDFS no-op: requests per managed path",
      unit: "req/path",
      grantsync: p,
      ratio: p,
      goal: `≤ ${floor.toFixed(3)} (floor)`,
      met: p <= floor + 0.001,
      samples: { grantsync: perPath },
    },
  ];
}
