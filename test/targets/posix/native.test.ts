import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { isGsError } from "../../../src/errors.ts";
import { NameResolver } from "../../../src/targets/posix/names.ts";
import {
  AT_FDCWD,
  close,
  ENODATA,
  errnoName,
  fgetxattr,
  fstat,
  lstatAt,
  NativeError,
  O_CLOEXEC,
  O_NOFOLLOW,
  O_RDONLY,
  openat,
} from "../../../src/targets/posix/native.ts";
import { fdCount, tempTree } from "./helpers.ts";

describe("native bindings", () => {
  const tree = tempTree();
  after(tree.cleanup);

  it("reads struct stat fields at the offsets fs.lstatSync reports", () => {
    const f = path.join(tree.dir, "f");
    fs.writeFileSync(f, "x");
    fs.chownSync(f, 65534, 100);
    fs.chmodSync(f, 0o4751);
    fs.linkSync(f, path.join(tree.dir, "f2"));
    const fd = openat(AT_FDCWD, f, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    assert.ok(fd >= 0);
    const st = fstat(fd);
    close(fd);
    const at = lstatAt(AT_FDCWD, f);
    const ref = fs.lstatSync(f, { bigint: true });
    const expected = {
      dev: Number(ref.dev),
      ino: Number(ref.ino),
      nlink: 2,
      mode: Number(ref.mode),
      uid: 65534,
      gid: 100,
      ctimeSec: Number(ref.ctimeNs / 1_000_000_000n),
      ctimeNsec: Number(ref.ctimeNs % 1_000_000_000n),
    };
    assert.deepEqual(st, expected);
    assert.deepEqual(at, expected);
  });

  it("returns -errno instead of throwing, and names errnos", () => {
    assert.equal(openat(AT_FDCWD, path.join(tree.dir, "nope"), O_RDONLY), -2);
    assert.equal(fstat(987654), -9);
    assert.equal(errnoName(2), "ENOENT");
    assert.equal(errnoName(ENODATA), "ENODATA");
    const fd = openat(AT_FDCWD, tree.dir, O_RDONLY | O_CLOEXEC);
    assert.equal(fgetxattr(fd, "system.posix_acl_access"), "", "ENODATA reads as absent");
    close(fd);
    const err = new NativeError("openat", 40, "/x");
    assert.ok(isGsError(err, "GS_TARGET_IO"));
    assert.equal(err.errno, "ELOOP");
    assert.equal(err.location, "/x");
  });

  it("closes what it opens", () => {
    const before = fdCount();
    for (let i = 0; i < 100; i++) close(openat(AT_FDCWD, tree.dir, O_RDONLY | O_CLOEXEC));
    assert.equal(fdCount(), before);
  });
});

describe("NameResolver", () => {
  it("resolves users and groups that exist", () => {
    const n = new NameResolver();
    assert.equal(n.id("user", "root"), 0);
    assert.equal(n.id("user", "nobody"), 65534);
    assert.equal(n.id("group", "nogroup"), 65534);
    assert.equal(n.id("group", "users"), 100);
    assert.equal(n.id("group", "staff"), 50);
    assert.equal(n.nameOf("user", 0), "root");
    assert.equal(n.nameOf("group", 50), "staff");
  });

  it("returns null for unknown names and never reads digits as ids", () => {
    const n = new NameResolver();
    assert.equal(n.id("user", "no_such_user_gs"), null);
    assert.equal(n.id("group", "no_such_group_gs"), null);
    assert.equal(n.id("user", "0"), null, "'0' is a name, not uid 0");
    assert.equal(n.id("group", "65534"), null);
    assert.equal(n.id("user", "root\0x"), null, "a NUL must not truncate to 'root'");
    assert.equal(n.id("user", ""), null);
  });

  it("shows ids without a name as their decimal string", () => {
    const n = new NameResolver();
    assert.equal(n.nameOf("user", 424242), null);
    assert.equal(n.display("user", 424242), "424242");
    assert.equal(n.display("group", 100), "users");
  });
});
