import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memo, memo2 } from "../src/memo.ts";

describe("memo2", () => {
  it("computes once per pair of key objects, apart for each pair", () => {
    const calls: string[] = [];
    const join = memo2((a: { n: string }, b: { n: string }) => {
      calls.push(a.n + b.n);
      return { text: a.n + b.n };
    });
    const x = { n: "x" };
    const y = { n: "y" };
    const first = join(x, y);
    assert.equal(join(x, y), first);
    assert.notEqual(join(y, x), first);
    assert.notEqual(join(x, { n: "y" }), first, "keys are compared by identity, not content");
    assert.deepEqual(calls, ["xy", "yx", "xy"]);
  });

  it("does not cache undefined", () => {
    let calls = 0;
    const none = memo2((_a: object, _b: object) => {
      calls++;
      return undefined;
    });
    const k = {};
    none(k, k);
    none(k, k);
    assert.equal(calls, 2);
  });
});

describe("memo", () => {
  it("computes once per key object", () => {
    let calls = 0;
    const size = memo((s: ReadonlySet<string>) => {
      calls++;
      return s.size;
    });
    const s = new Set(["a"]);
    assert.equal(size(s), 1);
    assert.equal(size(s), 1);
    assert.equal(size(new Set(["a", "b"])), 2);
    assert.equal(calls, 2);
  });
});
