// Visits that share one promise (an apply's journal batch) are tracked with one reaction, and each
// still settles once, in order, whether the shared promise resolves or rejects.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PendingVisits } from "../../../src/targets/posix/pending-visits.ts";

function deferred(): { promise: Promise<void>; resolve(): void; reject(e: Error): void } {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("PendingVisits", () => {
  it("settles every visit of a shared promise once, in the order added, and drains", async () => {
    const pending = new PendingVisits();
    const a = deferred();
    const b = deferred();
    const settled: string[] = [];
    for (const [p, name] of [
      [a, "a1"],
      [a, "a2"],
      [b, "b1"],
      [a, "a3"],
    ] as const)
      pending.add(p.promise, () => settled.push(name));
    b.resolve();
    await b.promise;
    await Promise.resolve();
    assert.deepEqual(settled, ["b1"]);
    a.resolve();
    await pending.drain();
    assert.deepEqual(settled, ["b1", "a1", "a2", "a3"]);
  });

  it("settles every visit of a rejected shared promise, then throws its error once drained", async () => {
    const pending = new PendingVisits();
    const a = deferred();
    let settled = 0;
    for (let i = 0; i < 3; i++) pending.add(a.promise, () => settled++);
    a.reject(new Error("journal gone"));
    await assert.rejects(pending.drain(), /journal gone/);
    assert.equal(settled, 3);
  });

  it("a settle that throws does not keep the others of its run from settling", async () => {
    const pending = new PendingVisits();
    const a = deferred();
    let settled = 0;
    pending.add(a.promise, () => {
      throw new Error("close failed");
    });
    pending.add(a.promise, () => settled++);
    a.resolve();
    await assert.rejects(pending.drain(), /close failed/);
    assert.equal(settled, 1);
  });
});
