// Files read by name below the walk's held directory (statx + getxattrat, no open): the calls
// agree with their fd counterparts, and a write never trusts what they read.

import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import { DT_REG, DT_UNKNOWN, getxattrAt, listDir, statxAt } from "../../../src/targets/posix/at.ts";
import { NameResolver } from "../../../src/targets/posix/names.ts";
import {
  AT_FDCWD,
  close,
  fgetxattr,
  fstat,
  O_CLOEXEC,
  O_RDONLY,
  openat,
} from "../../../src/targets/posix/native.ts";
import { PosixNode } from "../../../src/targets/posix/node.ts";
import type { NodeContext } from "../../../src/targets/posix/observe.ts";
import { XATTR_ACCESS } from "../../../src/targets/posix/observe.ts";
import { observeAt } from "../../../src/targets/posix/observe-at.ts";
import { HeldDir } from "../../../src/targets/posix/open.ts";
import { PosixTarget } from "../../../src/targets/posix/target.ts";
import { collect, getfacl, setfacl, tempTree } from "./helpers.ts";

const byName = process.env.GRANTSYNC_POSIX_XATTRAT !== "0" && process.geteuid?.() === 0;

describe("reading a file by name below a held directory", () => {
  const tree = tempTree();
  after(tree.cleanup);
  const dirfd = () => openat(AT_FDCWD, tree.dir, O_RDONLY | O_CLOEXEC);

  it("statx and getxattrat see what fstat and fgetxattr see on the same file", () => {
    const f = path.join(tree.dir, "f");
    fs.writeFileSync(f, "x");
    fs.chownSync(f, 65534, 100);
    fs.linkSync(f, path.join(tree.dir, "f-link"));
    setfacl("-m", "u:nobody:rw,g:staff:r", f);
    const d = dirfd();
    const fd = openat(d, "f", O_RDONLY | O_CLOEXEC);
    try {
      assert.deepEqual(statxAt(d, "f"), fstat(fd));
      assert.equal(getxattrAt(d, "f", XATTR_ACCESS), fgetxattr(fd, XATTR_ACCESS));
      assert.notEqual(getxattrAt(d, "f", XATTR_ACCESS), "");
      assert.equal(getxattrAt(d, "nope", XATTR_ACCESS), -2);
      assert.equal(statxAt(d, "nope"), -2);
    } finally {
      close(fd);
      close(d);
    }
  });

  it("reads a symlink itself, never what it points to", () => {
    const target = path.join(tree.dir, "acl-target");
    fs.writeFileSync(target, "");
    setfacl("-m", "g:staff:rw", target);
    fs.symlinkSync(target, path.join(tree.dir, "sym"));
    const d = dirfd();
    try {
      const v = getxattrAt(d, "sym", XATTR_ACCESS);
      assert.ok(v === "" || (typeof v === "number" && v < 0), `symlink read as ${JSON.stringify(v)}`);
      const rules = { dev: -1 };
      // Whatever its directory entry said when listed (it may have been a file then).
      for (const dtype of [DT_UNKNOWN, DT_REG])
        assert.deepEqual(
          observeAt(d, "sym", rules, "/sym", dtype),
          byName ? { reason: "symlink" } : undefined,
        );
    } finally {
      close(d);
    }
  });

  it("lists a directory from its fd in byte order, with d_type, names not UTF-8 decoded lossily", () => {
    const dir = path.join(tree.dir, "list");
    fs.mkdirSync(dir);
    const names = ["b", "a", "B", "é", "z\u{1F600}", "z\uFF01", "sub"];
    for (const n of names) fs.writeFileSync(path.join(dir, n), "");
    fs.rmSync(path.join(dir, "sub"));
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/bad`), Buffer.from([0xff])]), "");
    const fd = openat(AT_FDCWD, dir, O_RDONLY | O_CLOEXEC);
    const listing = listDir(fd);
    close(fd);
    assert.ok(typeof listing !== "number");
    const bytes = [...names, "bad\uFFFD"].map((n) => Buffer.from(n)).sort(Buffer.compare);
    assert.deepEqual(
      listing.names,
      bytes.map((b) => b.toString()),
    );
    assert.equal(listing.types[listing.names.indexOf("sub")], 4);
    assert.equal(listing.types[listing.names.indexOf("a")], 8);
    assert.equal(listDir(987654), -9);
  });

  it("lists a directory larger than one getdents64 buffer", () => {
    const dir = path.join(tree.dir, "large");
    fs.mkdirSync(dir);
    const names = Array.from({ length: 3000 }, (_, i) => `partition-file-with-a-long-name-${i}.parquet`);
    for (const n of names) fs.closeSync(fs.openSync(path.join(dir, n), "w"));
    const fd = openat(AT_FDCWD, dir, O_RDONLY | O_CLOEXEC);
    const listing = listDir(fd);
    close(fd);
    assert.ok(typeof listing !== "number");
    assert.deepEqual(listing.names, names.sort());
    assert.ok(listing.types.every((t) => t === 8));
  });
});

describe("a write after a read by name", () => {
  const tree = tempTree();
  after(tree.cleanup);

  function ctx(): NodeContext {
    return {
      names: new NameResolver(),
      aclCache: new Map(),
      reopen: () => assert.fail("the walk's directory is still held"),
      writes: 0,
    };
  }

  it("refuses when the xattr it read came from another inode swapped in between the two lookups", async () => {
    const f = path.join(tree.dir, "victim");
    fs.writeFileSync(f, "");
    fs.chmodSync(f, 0o600);
    const swapped = path.join(tree.dir, "swapped");
    fs.writeFileSync(swapped, "");
    setfacl("-m", "u:nobody:rw", swapped);
    const d = openat(AT_FDCWD, tree.dir, O_RDONLY | O_CLOEXEC);
    const dir = new HeldDir(d);
    try {
      const st = statxAt(d, "victim");
      assert.ok(typeof st !== "number");
      // What a statx of the victim followed by a getxattrat of the swapped-in file would give.
      const access = getxattrAt(d, "swapped", XATTR_ACCESS) as string;
      const obs = { ...st, access, dflt: "", viaFd: false, checked: true };
      dir.hold();
      const node = new PosixNode(f, "file", ctx(), obs, -1, { dir, name: "victim", rules: { dev: st.dev } });
      const next = [
        ...node.acl.filter((e) => e.type !== "user" || e.name === ""),
        ...parseAclSpec("group:staff:r--"),
      ];
      await assert.rejects(node.write(next), (e) => isGsError(e, "GS_ACL_CHANGED"));
      assert.equal(getfacl(f), "user::rw-\ngroup::---\nother::---");
      node.release();
    } finally {
      dir.drop();
    }
  });

  it("writes through the file it opens, and refuses an ACL changed during the visit", async () => {
    const dir = fs.mkdtempSync(path.join(tree.dir, "walk-"));
    for (const n of ["a", "b"]) fs.writeFileSync(path.join(dir, n), "");
    const target = new PosixTarget({ roots: [tree.dir] });
    const errors: unknown[] = [];
    await collect(target, dir, async (node) => {
      if (node.type !== "file") return;
      if (node.path.endsWith("/b")) setfacl("-m", "u:nobody:r", node.path);
      const next = [...node.acl, ...parseAclSpec("group:staff:r--,mask::r--")];
      await node.write(next).catch((e) => errors.push(e));
    });
    assert.match(getfacl(path.join(dir, "a")), /group:staff:r--/);
    assert.equal(errors.length, 1);
    assert.ok(isGsError(errors[0], "GS_ACL_CHANGED"));
    assert.doesNotMatch(getfacl(path.join(dir, "b")), /staff/);
  });
});
