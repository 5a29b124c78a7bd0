import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RunQueue } from "../../src/daemon/run-queue.ts";

interface Job {
  full: boolean;
  reasons: string[];
}

/** A queue whose runs finish only when the test says so. */
function harness() {
  const started: Job[] = [];
  const finishers: (() => void)[] = [];
  const pending: number[] = [];
  const errors: unknown[] = [];
  const queue = new RunQueue<Job>({
    run: (job) => {
      started.push(job);
      return new Promise<void>((resolve, reject) => {
        finishers.push(() => (job.reasons.includes("boom") ? reject(new Error("boom")) : resolve()));
      });
    },
    merge: (a, b) => ({ full: a.full || b.full, reasons: [...a.reasons, ...b.reasons] }),
    onError: (err) => errors.push(err),
    onPending: (n) => pending.push(n),
  });
  const finish = async () => {
    finishers.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { queue, started, finish, pending, errors };
}

describe("RunQueue", () => {
  it("starts a trigger at once when idle", () => {
    const h = harness();
    h.queue.trigger({ full: true, reasons: ["start"] });
    assert.deepEqual(h.started, [{ full: true, reasons: ["start"] }]);
    assert.equal(h.queue.busy, true);
  });

  it("coalesces every trigger during a run into exactly one follow-up", async () => {
    const h = harness();
    h.queue.trigger({ full: false, reasons: ["a"] });
    h.queue.trigger({ full: false, reasons: ["b"] });
    h.queue.trigger({ full: true, reasons: ["c"] });
    h.queue.trigger({ full: false, reasons: ["d"] });
    assert.equal(h.started.length, 1, "runs never overlap");
    assert.equal(h.pending.at(-1), 1);
    await h.finish();
    assert.deepEqual(h.started[1], { full: true, reasons: ["b", "c", "d"] });
    assert.equal(h.pending.at(-1), 0);
    await h.finish();
    assert.equal(h.started.length, 2, "no third run");
    await h.queue.idle();
    assert.equal(h.queue.busy, false);
  });

  it("reports a failed run and carries on with the follow-up", async () => {
    const h = harness();
    h.queue.trigger({ full: false, reasons: ["boom"] });
    h.queue.trigger({ full: false, reasons: ["next"] });
    await h.finish();
    assert.equal(h.errors.length, 1);
    assert.deepEqual(h.started[1]?.reasons, ["next"]);
    await h.finish();
    await h.queue.idle();
  });

  it("drops the waiting trigger on stop, waits for the run, and ignores later triggers", async () => {
    const h = harness();
    h.queue.trigger({ full: false, reasons: ["a"] });
    h.queue.trigger({ full: false, reasons: ["b"] });
    let stopped = false;
    const stopping = h.queue.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(stopped, false, "stop waits for the in-flight run");
    await h.finish();
    await stopping;
    h.queue.trigger({ full: true, reasons: ["late"] });
    assert.deepEqual(
      h.started.map((j) => j.reasons),
      [["a"]],
    );
  });
});
