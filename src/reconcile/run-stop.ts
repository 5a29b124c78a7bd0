// When a run must stop (the target is unreachable, the journal cannot be written ahead, the lease
// is lost): the first such error aborts every root's walk, and no write starts after it.

import type { Acl } from "../acl/entry.ts";
import { type GsError, targetFamily, toGsError } from "../errors.ts";
import type { TargetNode } from "../targets/target.ts";
import type { Decision } from "./decide.ts";

export class RunStop {
  /** The caller's signal and this stop's: what every root's walk listens on. */
  readonly signal: AbortSignal;
  /** The first error that stopped the run. */
  error: GsError | undefined;
  private readonly controller = new AbortController();

  constructor(outer: AbortSignal | undefined) {
    this.signal = outer ? AbortSignal.any([outer, this.controller.signal]) : this.controller.signal;
  }

  /** The error as a GsError when it stops the run; the first one aborts every walk. */
  halts(err: unknown, location: string): GsError | undefined {
    const e = toGsError(err, "GS_TARGET_IO", { location });
    if (!stopsRun(e)) return undefined;
    if (!this.error) {
      this.error = e;
      this.controller.abort(e);
    }
    return e;
  }

  /**
   * The decision with a node whose write is refused once the run stopped: visits decided before
   * the stop may still be waiting for their journal batch, in this root or another, and writes
   * started may still be waiting for a request slot (the target does not send those).
   */
  guard(decision: Decision): Decision {
    const node = decision.node;
    const view: TargetNode = {
      path: node.path,
      type: node.type,
      // Getters: a target may look names up lazily, and its node may take on the ACL it wrote.
      get owner() {
        return node.owner;
      },
      get group() {
        return node.group;
      },
      get acl() {
        return node.acl;
      },
      write: (next: Acl) => {
        if (this.error) return Promise.reject(this.error);
        // A write that finds the target gone stops the other walks' writes from the next turn on.
        return node.write(next, this.controller.signal).catch((err: unknown) => {
          this.halts(err, node.path);
          throw err;
        });
      },
    };
    return { ...decision, node: view };
  }
}

/**
 * The target does not answer (no NameNode after the retries) or refuses our credentials: every
 * further root and path would only fail the same way, so the run stops here rather than report
 * success with problems. Targets raise these families (or codes that declare one); the engine
 * knows no target's own codes.
 */
function targetUnreachable(e: GsError): boolean {
  const family = targetFamily(e.code);
  return family === "GS_TARGET_UNAVAILABLE" || family === "GS_TARGET_AUTH";
}

/** An unreachable target, a journal that can no longer be written ahead, or a lost writer lease: no path may follow. */
export function stopsRun(e: GsError): boolean {
  return targetUnreachable(e) || e.code === "GS_JOURNAL_WRITE" || e.code === "GS_LEADERSHIP_LOST";
}
