// The emulator's switches: fault injection, standby and the per-op request counts, set in-process
// (Emulator.setFaults, setStandby) or by scripts in other processes through /emulator/*.

import type { IncomingMessage } from "node:http";
import {
  DEFAULT_FAULT_KINDS,
  drawFault,
  type FaultDraw,
  type FaultKind,
  type FaultSettings,
  seededRandom,
} from "./faults.ts";

export class EmulatorControls {
  readonly faults: FaultDraw;
  standby: boolean;
  private counted: Record<string, number> = {};
  private random: () => number = Math.random;

  constructor(opts: FaultSettings & { standby?: boolean }) {
    this.faults = {
      errorRate: opts.errorRate ?? 0,
      errorKinds: opts.errorKinds ?? [...DEFAULT_FAULT_KINDS],
      latencyMs: opts.latencyMs ?? 0,
    };
    this.standby = opts.standby ?? false;
    if (opts.faultSeed !== undefined) this.random = seededRandom(opts.faultSeed);
  }

  /** Changes the settings `f` names and leaves the others. */
  setFaults(f: FaultSettings): void {
    if (f.errorRate !== undefined) this.faults.errorRate = f.errorRate;
    if (f.errorKinds !== undefined) this.faults.errorKinds = [...f.errorKinds];
    if (f.latencyMs !== undefined) this.faults.latencyMs = f.latencyMs;
    if (f.faultSeed !== undefined) this.random = seededRandom(f.faultSeed);
  }

  /** The fault this request meets, if any. */
  drawFault(): FaultKind | null {
    return drawFault(this.faults, this.random);
  }

  count(op: string): void {
    this.counted[op] = (this.counted[op] ?? 0) + 1;
  }

  counts(): Record<string, number> {
    return { ...this.counted };
  }

  resetCounts(): void {
    this.counted = {};
  }

  /** An /emulator/* request: its status and JSON answer. */
  handle(req: IncomingMessage, url: URL, body: Buffer): [number, unknown] {
    const write = req.method === "POST" || req.method === "PUT";
    if (url.pathname === "/emulator/counts" && req.method === "GET") return [200, this.counted];
    if (url.pathname === "/emulator/reset" && write) {
      this.resetCounts();
      return [200, this.counted];
    }
    if (url.pathname === "/emulator/standby") {
      const on = url.searchParams.get("on");
      if (on !== null) this.standby = on === "true";
      return [200, { standby: this.standby }];
    }
    if (url.pathname === "/emulator/faults" && write) {
      try {
        this.setFaults(JSON.parse(body.toString("utf8") || "{}") as FaultSettings);
      } catch {
        return [400, { error: "expected a JSON object" }];
      }
      return [200, this.faults];
    }
    return [404, { error: "not found" }];
  }
}
