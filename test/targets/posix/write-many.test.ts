// PosixTarget.writeMany with the write thread on for every batch: the thread's system calls give
// what each node's own write gives, through the fds the walk holds: a file changed since it was
// read is refused (GS_ACL_CHANGED), a failed call comes back as that node's error, the rest land.

process.env.GRANTSYNC_POSIX_WRITE_THREAD = "1";
// The walk then opens every file (and holds its fd while the visit is pending), as after a write.
process.env.GRANTSYNC_POSIX_XATTRAT = "0";

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import type { TargetNode } from "../../../src/targets/target.ts";
import { getfacl, setfacl, tempTree } from "./helpers.ts";

const { PosixTarget } = await import("../../../src/targets/posix/target.ts");

describe("PosixTarget.writeMany on the write thread", () => {
  const tree = tempTree();
  after(tree.cleanup);

  it("writes through the walk's fds, refuses a file changed since read, reports a failed call", async (t) => {
    const dir = path.join(tree.dir, "t");
    fs.mkdirSync(dir);
    for (const f of ["a", "b", "c"]) fs.writeFileSync(path.join(dir, f), f, { mode: 0o640 });
    const target = new PosixTarget({ roots: [tree.dir] });
    const nodes: TargetNode[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const walking = target.walk(dir, {
      visit: (node) => {
        if (node.type !== "file") return undefined;
        nodes.push(node);
        return held;
      },
      skip: () => {},
    });
    while (nodes.length < 3) await new Promise((r) => setImmediate(r));
    const chattr = (flag: string) => spawnSync("chattr", [flag, path.join(dir, "c")], { encoding: "utf8" });
    try {
      setfacl("-m", "u:nobody:r", path.join(dir, "a"));
      const immutable = chattr("+i").status === 0;
      const next = parseAclSpec("user::rw-,group::r--,group:staff:r--,mask::r--,other::---");
      const errors = await target.writeMany(nodes, [next, next, next]);

      assert.ok(isGsError(errors[0], "GS_ACL_CHANGED"), String(errors[0]));
      assert.ok(
        getfacl(path.join(dir, "a")).includes("user:nobody:r--"),
        "the changed file is left as it was",
      );
      assert.equal(errors[1], undefined);
      assert.equal(
        getfacl(path.join(dir, "b")),
        "user::rw-\ngroup::r--\ngroup:staff:r--\nmask::r--\nother::---",
      );
      assert.deepEqual(nodes[1]!.acl, next, "the written node takes on what it wrote");
      if (!immutable) return t.skip("chattr +i is not supported here");
      assert.ok(isGsError(errors[2], "GS_TARGET_IO"), String(errors[2]));
      assert.match(String((errors[2] as Error).message), /fsetxattr system\.posix_acl_access failed: EPERM/);
      assert.ok(!getfacl(path.join(dir, "c")).includes("staff"));
    } finally {
      chattr("-i");
      release();
      await walking;
      await target.close();
    }
  });
});
