// Shared by the WebHDFS target tests: real emulators on free ports and clients/targets with short
// timeouts and backoffs so failure paths run in milliseconds.

import { after, before } from "node:test";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../../src/emulator/server.ts";
import { WebhdfsClient, type WebhdfsClientOptions } from "../../../src/targets/webhdfs/client.ts";
import { WebhdfsTarget, type WebhdfsTargetConfig } from "../../../src/targets/webhdfs/target.ts";

export const FAST_RETRY = { maxAttempts: 6, baseMs: 2, capMs: 20 };

/** Starts `n` emulators for the enclosing describe() and closes them afterwards. */
export function useEmulators(n: number, opts: EmulatorOptions = {}): Emulator[] {
  const emus: Emulator[] = [];
  before(async () => {
    for (let i = 0; i < n; i++) emus.push(await startEmulator({ port: 0, ...opts }));
  });
  after(async () => {
    await Promise.all(emus.map((e) => e.close()));
  });
  return emus;
}

export function newClient(
  emus: readonly Emulator[],
  opts: Partial<WebhdfsClientOptions> = {},
): WebhdfsClient {
  return new WebhdfsClient({
    namenodes: emus.map((e) => e.url),
    user: "hdfs",
    connections: 8,
    timeoutMs: 2_000,
    retry: FAST_RETRY,
    ...opts,
  });
}

export function newTarget(emus: readonly Emulator[], opts: Partial<WebhdfsTargetConfig> = {}): WebhdfsTarget {
  return new WebhdfsTarget({
    namenodes: emus.map((e) => e.url),
    user: "hdfs",
    connections: 8,
    concurrency: 4,
    timeoutMs: 2_000,
    retries: FAST_RETRY.maxAttempts - 1,
    retry: { baseMs: FAST_RETRY.baseMs, capMs: FAST_RETRY.capMs },
    auth: "simple",
    roots: ["/"],
    ...opts,
  });
}

/** Requests per op since the last reset, summed over emulators, leaving out ops that never came. */
export function requests(emus: readonly Emulator[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const e of emus) for (const [op, n] of Object.entries(e.counts())) total[op] = (total[op] ?? 0) + n;
  return total;
}

export function resetCounts(emus: readonly Emulator[]): void {
  for (const e of emus) e.resetCounts();
}
