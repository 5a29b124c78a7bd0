import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Stat } from "../../../src/targets/posix/native.ts";
import { unsafeTransition } from "../../../src/targets/posix/roots.ts";

const dir = (mode: number, uid = 0, gid = 0): Stat => ({
  dev: 1,
  ino: 1,
  nlink: 2,
  mode: 0o040000 | mode,
  uid,
  gid,
  ctimeSec: 0,
  ctimeNsec: 0,
});

describe("unsafe path transitions while a root is opened", () => {
  const ME = 1000;
  it("trusts directories only root and the running user can write", () => {
    assert.equal(unsafeTransition(dir(0o755), dir(0o755, 42), ME), undefined);
    assert.equal(unsafeTransition(dir(0o755, ME), dir(0o755), ME), undefined);
    assert.equal(unsafeTransition(dir(0o555, 42), dir(0o755), ME), undefined);
  });

  it("refuses a parent its non-root owner, its group or others may write", () => {
    assert.match(unsafeTransition(dir(0o755, 42), dir(0o755), ME)!, /owner, uid 42/);
    assert.match(unsafeTransition(dir(0o775, 0, 50), dir(0o755), ME)!, /group 50/);
    assert.match(unsafeTransition(dir(0o757), dir(0o755), ME)!, /others/);
  });

  it("trusts a sticky world-writable parent (/tmp) only for a child root or we own", () => {
    assert.equal(unsafeTransition(dir(0o1777), dir(0o700, 0), ME), undefined);
    assert.equal(unsafeTransition(dir(0o1777), dir(0o700, ME), ME), undefined);
    assert.match(unsafeTransition(dir(0o1777), dir(0o700, 42), ME)!, /others/);
  });
});
