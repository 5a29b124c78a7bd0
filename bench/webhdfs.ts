// WebHDFS no-op reconcile against the emulator (own process, 5 ms injected latency, 64 connections):
// requests per managed path, and request throughput as a share of the bound connections / latency.

import { type ChildProcess, fork } from "node:child_process";
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

export async function noopReconcile(t: HdfsTree, reps: number): Promise<BenchRow[]> {
  await t.emu.request({ cmd: "latency", ms: LATENCY_MS });
  const perPath: number[] = [];
  const share: number[] = [];
  const wall: number[] = [];
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
    share.push(requests / (ms / 1000) / (CONNECTIONS / (LATENCY_MS / 1000)));
    wall.push(ms);
  }
  if (changed !== 0) throw new Error(`webhdfs: the synced tree still has ${changed} changes`);
  const p = median(perPath);
  const s = median(share);
  const bound = `${CONNECTIONS} conn / ${LATENCY_MS} ms = ${(CONNECTIONS / LATENCY_MS) * 1000} req/s`;
  return [
    {
      name: `WebHDFS no-op: requests per managed path (${scanned.toLocaleString("en")} paths)`,
      unit: "req/path",
      grantsync: p,
      ratio: p,
      goal: "≤ 1.02",
      met: p <= 1.02,
      samples: { grantsync: perPath },
    },
    {
      name: "WebHDFS no-op: throughput / bound",
      unit: "share",
      grantsync: s,
      ratio: s,
      goal: "≥ 0.80",
      met: s >= 0.8,
      samples: { grantsync: share },
      note: `bound ${bound}; median wall ${median(wall).toFixed(0)} ms`,
    },
  ];
}
