// NameNode HA and retries: try the remembered active NameNode, fail over on standby and network
// errors, back off with full jitter on retriable ones, and give up with every NameNode's reason.

import { setTimeout as sleep } from "node:timers/promises";
import { GsError } from "../../errors.ts";
import { classifyFailure, describeFailure } from "./errors.ts";

export interface RetryPolicy {
  /** Attempts per NameNode per request, the first included. */
  maxAttempts: number;
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseMs: 200, capMs: 5_000 };

/** Full jitter (AWS): uniform in [0, min(cap, base·2^retry)), so retrying clients spread out. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** retry);
  return Math.floor(random() * ceiling);
}

export class NameNodeSet {
  private active = 0;

  constructor(
    readonly namenodes: readonly string[],
    private readonly policy: RetryPolicy,
  ) {
    if (namenodes.length === 0) {
      throw new GsError("GS_CONFIG_INVALID", "[webhdfs] namenodes is empty");
    }
  }

  get activeNamenode(): string {
    return this.namenodes[this.active]!;
  }

  /**
   * Runs `attempt` against NameNodes until one succeeds. A standby or unreachable NameNode sends
   * the request to the next one at once (a full round without success sleeps first); a retriable
   * failure retries the same NameNode after a backoff until its attempts are used up. Only safe
   * because every op sent through here is idempotent.
   */
  async call<T>(what: string, attempt: (namenode: string) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const n = this.namenodes.length;
    // Made on the first failure only: nearly every request succeeds at once.
    let tries: number[] | undefined;
    let reasons: Map<string, string> | undefined;
    let index = this.active;
    let hops = 0;
    for (;;) {
      signal?.throwIfAborted();
      const namenode = this.namenodes[index]!;
      try {
        const result = await attempt(namenode);
        this.active = index;
        return result;
      } catch (err) {
        const kind = classifyFailure(err);
        if (kind === "final" || signal?.aborted) throw err;
        tries ??= new Array<number>(n).fill(0);
        reasons ??= new Map();
        reasons.set(namenode, describeFailure(err));
        tries[index]!++;
        if (kind === "retry" && tries[index]! < this.policy.maxAttempts) {
          await sleep(backoffDelay(tries[index]! - 1, this.policy), undefined, { signal });
          continue;
        }
        const next = this.nextWithBudget(index, tries);
        if (next === undefined) throw unavailable(what, reasons, err);
        hops++;
        if (hops % n === 0) await sleep(backoffDelay(hops / n - 1, this.policy), undefined, { signal });
        index = next;
      }
    }
  }

  private nextWithBudget(from: number, tries: number[]): number | undefined {
    const n = this.namenodes.length;
    for (let step = 1; step <= n; step++) {
      const i = (from + step) % n;
      if (tries[i]! < this.policy.maxAttempts) return i;
    }
    return undefined;
  }
}

function unavailable(what: string, reasons: Map<string, string>, last: unknown): GsError {
  const list = [...reasons].map(([nn, why]) => `${nn}: ${why}`).join("; ");
  return new GsError("GS_WEBHDFS_UNAVAILABLE", `${what}: no NameNode answered (${list})`, {
    input: Object.fromEntries(reasons),
    cause: last,
  });
}
