// A regular file that carries an access ACL is read with getxattrat alone (no statx): its mode's
// rwx bits come from the ACL, its link count and device are checked only when a write is due.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import { PosixTarget } from "../../../src/targets/posix/target.ts";
import type { TargetNode } from "../../../src/targets/target.ts";
import { collect, getfacl, run, setfacl, snapshot, tempTree } from "./helpers.ts";

const byName = process.env.GRANTSYNC_POSIX_XATTRAT !== "0" && process.geteuid?.() === 0;
const onlyByName = { skip: byName ? false : "reads by name are off (GRANTSYNC_POSIX_XATTRAT=0 or not root)" };

function withStaff(node: TargetNode) {
  return [...node.acl, ...parseAclSpec("group:staff:r--")];
}

describe("a file read by its ACL alone", () => {
  const tree = tempTree();
  after(tree.cleanup);
  let n = 0;
  const fresh = () => {
    const dir = path.join(tree.dir, `t${n++}`);
    fs.mkdirSync(dir);
    return dir;
  };

  it("shows the ACL and mode bits a read through the file's fd shows", async () => {
    const dir = fresh();
    const specs = [
      "u::rwx,g::r-x,m::r--,o::-w-,u:nobody:rw-",
      "u::r--,g::-w-,m::--x,o::---,g:staff:rwx",
      "u:nobody:r",
    ];
    for (const [i, spec] of specs.entries()) {
      const f = path.join(dir, `f${i}`);
      fs.writeFileSync(f, "");
      setfacl(i === 2 ? "-m" : "--set", spec, f);
    }
    const target = new PosixTarget({ roots: [tree.dir] });
    const walked = new Map<string, TargetNode>();
    await collect(target, dir, (node) => void walked.set(node.path, node));
    for (const [i] of specs.entries()) {
      const f = path.join(dir, `f${i}`);
      const opened = await target.node(f);
      assert.deepEqual(walked.get(f)?.acl, opened?.acl, f);
      // Read by ACL alone, the owner is unknown (only directories' owners are needed).
      assert.equal(walked.get(f)?.owner, byName ? undefined : "root");
    }
  });

  it("visits an in-sync hard link, and refuses to write it", async () => {
    const dir = fresh();
    const f = path.join(dir, "linked");
    fs.writeFileSync(f, "");
    setfacl("-m", "u:nobody:r", f);
    fs.linkSync(f, path.join(tree.dir, `outside-${n}`));
    const before = snapshot(dir);
    const refusals: unknown[] = [];
    const errors: unknown[] = [];
    const res = await collect(new PosixTarget({ roots: [tree.dir] }), dir, async (node) => {
      if (node.type !== "file") return;
      refusals.push(node.writeRefusal?.());
      await node.write(withStaff(node)).catch((e) => errors.push(e));
    });
    if (byName) {
      assert.deepEqual(res.skipped, []);
      assert.deepEqual(refusals, [{ path: f, reason: "hardlink" }]);
      assert.equal(errors.length, 1);
      assert.ok(isGsError(errors[0], "GS_PATH_UNSAFE"), String(errors[0]));
    } else assert.deepEqual(res.skipped, [{ path: f, reason: "hardlink" }]);
    assert.equal(snapshot(dir), before);
  });

  it("refuses a write when what it read was swapped after the read", onlyByName, async (t) => {
    const dir = fresh();
    const other = path.join(tree.dir, `other-${n}`);
    fs.mkdirSync(other);
    /** A file (or directory) with the ACL and mode bits of every file read here. */
    const twin = (p: string, kind: "file" | "dir" = "file", spec = "u:nobody:r") => {
      if (kind === "dir") fs.mkdirSync(p);
      else fs.writeFileSync(p, "");
      fs.chmodSync(p, 0o644);
      setfacl("-m", spec, p);
    };
    const names = ["same-mode", "linked", "now-dir", "mounted"];
    for (const name of names) twin(path.join(dir, name));
    // Each differs from what was read in one thing only, which the write's own open or re-read must see.
    twin(path.join(other, "same-mode"), "file", "u:daemon:r");
    twin(path.join(other, "linked"));
    fs.linkSync(path.join(other, "linked"), path.join(other, "second-link"));
    twin(path.join(other, "now-dir"), "dir");
    const fsDir = path.join(tree.dir, `fs-${n}`);
    fs.mkdirSync(fsDir);
    let mounted = true;
    try {
      run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", fsDir);
      twin(path.join(fsDir, "mounted"));
    } catch {
      mounted = false;
      t.diagnostic("cannot mount tmpfs here: no other-filesystem case");
    }
    const errors = new Map<string, unknown>();
    try {
      await collect(new PosixTarget({ roots: [tree.dir] }), dir, async (node) => {
        if (node.type !== "file") return;
        const name = path.basename(node.path);
        if (name === "mounted") {
          if (!mounted) return;
          run("mount", "--bind", path.join(fsDir, name), node.path);
        } else {
          if (name === "now-dir") fs.rmSync(node.path);
          fs.renameSync(path.join(other, name), node.path);
        }
        await node.write(withStaff(node)).catch((e) => errors.set(name, e));
      });
      assert.ok(isGsError(errors.get("same-mode"), "GS_ACL_CHANGED"), String(errors.get("same-mode")));
      assert.ok(isGsError(errors.get("linked"), "GS_PATH_UNSAFE"), String(errors.get("linked")));
      assert.ok(isGsError(errors.get("now-dir"), "GS_ACL_CHANGED"), String(errors.get("now-dir")));
      if (mounted)
        assert.ok(isGsError(errors.get("mounted"), "GS_PATH_UNSAFE"), String(errors.get("mounted")));
      for (const name of names) assert.doesNotMatch(getfacl(path.join(dir, name)), /staff/, name);
      assert.doesNotMatch(getfacl(path.join(other, "second-link")), /staff/);
    } finally {
      if (mounted) {
        try {
          run("umount", path.join(dir, "mounted"));
        } catch {}
        run("umount", fsDir);
      }
    }
  });
});
