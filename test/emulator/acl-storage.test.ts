import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAclSpec } from "../../src/acl/spec.ts";
import { EmulatorNamespace } from "../../src/emulator/namespace.ts";
import { RemoteError } from "../../src/emulator/remote-error.ts";

const PARENT_DEFAULTS =
  "default:user::rwx,default:user:bob:rwx,default:group::r-x,default:mask::rwx,default:other::r-x";

function nsWithParent(defaults = PARENT_DEFAULTS): EmulatorNamespace {
  const ns = new EmulatorNamespace();
  ns.mkdirs("/p");
  ns.modifyAclEntries("/p", defaults);
  return ns;
}

const rejects = (f: () => void, exception: string, message: string | RegExp) =>
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof RemoteError);
    assert.equal(e.exception, exception);
    if (typeof message === "string") assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  });

describe("ACL storage (AclStorage)", () => {
  it("keeps named entries and group:: in the feature; the mask is the group digit of permission", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d");
    ns.setAcl("/d", "user::rwx,user:bob:r--,group::r-x,group:eng:-wx,other::--x");
    const st = ns.getAclStatus("/d");
    assert.deepEqual(st.entries, ["user:bob:r--", "group::r-x", "group:eng:-wx"]);
    assert.equal(st.permission, "771");
    assert.equal(ns.getFileStatus("/d").aclBit, true);
    assert.equal(
      formatAclSpec(ns.getAcl("/d")),
      "user::rwx,user:bob:r--,group::r-x,group:eng:-wx,mask::rwx,other::--x",
    );
  });

  it("removing the last named entry keeps the mask: aclBit stays, entries list group:: (Hadoop 3)", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d");
    ns.modifyAclEntries("/d", "user:bob:rwx");
    ns.removeAclEntries("/d", "user:bob:");
    assert.deepEqual(ns.getAclStatus("/d").entries, ["group::r-x"]);
    assert.equal(ns.getFileStatus("/d").aclBit, true);
    assert.equal(ns.getFileStatus("/d").permission, "755");
  });

  it("a minimal result removes the feature and clears aclBit", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d");
    ns.modifyAclEntries("/d", "user:bob:rwx");
    ns.removeAclEntries("/d", "user:bob:,mask::");
    assert.deepEqual(ns.getAclStatus("/d").entries, []);
    assert.equal(ns.getFileStatus("/d").aclBit, undefined);
    assert.equal(ns.getFileStatus("/d").permission, "755");
  });

  it("SETACL of a minimal spec on an inode with an ACL drops the feature", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d");
    ns.modifyAclEntries("/d", "user:bob:rwx");
    ns.setAcl("/d", "user::rwx,group::r-x,other::r--");
    assert.deepEqual(ns.getAclStatus("/d"), {
      entries: [],
      group: "supergroup",
      owner: "hdfs",
      permission: "754",
      stickyBit: false,
    });
  });

  it("a mask without named entries is stored: the feature holds just group::", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d");
    ns.modifyAclEntries("/d", "mask::r--");
    assert.deepEqual(ns.getAclStatus("/d").entries, ["group::r-x"]);
    assert.equal(ns.getAclStatus("/d").permission, "745");
  });

  it("chmod on an inode with an ACL changes the mask, and the ACL stays", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d");
    ns.modifyAclEntries("/d", "user:bob:rwx");
    ns.setPermission("/d", 0o700);
    assert.equal(formatAclSpec(ns.getAcl("/d")), "user::rwx,user:bob:rwx,group::r-x,mask::---,other::---");
    assert.equal(ns.getFileStatus("/d").aclBit, true);
  });

  it("REMOVEACL restores the group bits from group:: and keeps the sticky bit", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d", { permission: 0o1750 });
    ns.modifyAclEntries("/d", "user:bob:rwx,default:user:bob:r-x");
    assert.equal(ns.getAclStatus("/d").permission, "1770");
    ns.removeAcl("/d");
    assert.deepEqual(ns.getAclStatus("/d"), {
      entries: [],
      group: "supergroup",
      owner: "hdfs",
      permission: "1750",
      stickyBit: true,
    });
  });

  it("REMOVEDEFAULTACL keeps the access ACL; a default-only ACL becomes no ACL", () => {
    const ns = new EmulatorNamespace();
    ns.mkdirs("/d");
    ns.modifyAclEntries("/d", "default:user:bob:r-x");
    assert.deepEqual(ns.getAclStatus("/d").entries, [
      "default:user::rwx",
      "default:user:bob:r-x",
      "default:group::r-x",
      "default:mask::r-x",
      "default:other::r-x",
    ]);
    assert.equal(ns.getAclStatus("/d").permission, "755");
    ns.removeDefaultAcl("/d");
    assert.deepEqual(ns.getAclStatus("/d").entries, []);
    assert.equal(ns.getFileStatus("/d").aclBit, undefined);
  });

  it("refuses a default ACL on a file", () => {
    const ns = new EmulatorNamespace();
    ns.create("/f");
    rejects(
      () => ns.modifyAclEntries("/f", "default:user:bob:rwx"),
      "AclException",
      /^Invalid ACL: only directories may have a default ACL\./,
    );
    assert.deepEqual(ns.getAclStatus("/f").entries, []);
  });
});

describe("default ACL inheritance on create and mkdir", () => {
  it("mkdir copies the default ACL into access (filtered by the mode) and default", () => {
    const ns = nsWithParent();
    ns.mkdirs("/p/d");
    const st = ns.getAclStatus("/p/d");
    assert.equal(st.permission, "755");
    assert.deepEqual(st.entries, [
      "user:bob:rwx",
      "group::r-x",
      "default:user::rwx",
      "default:user:bob:rwx",
      "default:group::r-x",
      "default:mask::rwx",
      "default:other::r-x",
    ]);
  });

  it("create gets the access part only; owner, mask and other are AND-ed with the mode", () => {
    const ns = nsWithParent();
    ns.create("/p/f");
    assert.equal(formatAclSpec(ns.getAcl("/p/f")), "user::rw-,user:bob:rwx,group::r-x,mask::r--,other::r--");
    assert.equal(ns.getAclStatus("/p/f").permission, "644");
    assert.equal(ns.getFileStatus("/p/f").aclBit, true);
  });

  it("a minimal parent default ACL filters group:: too and may give no ACL at all", () => {
    const ns = nsWithParent("default:user::rwx,default:group::rwx,default:other::rwx");
    ns.create("/p/f", { permission: 0o640 });
    assert.deepEqual(ns.getAclStatus("/p/f").entries, []);
    assert.equal(ns.getFileStatus("/p/f").permission, "640");
    assert.equal(ns.getFileStatus("/p/f").aclBit, undefined);
    ns.mkdirs("/p/d", { permission: 0o750 });
    const d = ns.getAclStatus("/p/d");
    assert.equal(d.permission, "750");
    assert.deepEqual(d.entries, ["default:user::rwx", "default:group::rwx", "default:other::rwx"]);
  });

  it("the unmasked mode is used when the parent has a default ACL, the masked one otherwise", () => {
    const ns = nsWithParent();
    ns.create("/p/f", { permission: 0o600, unmasked: 0o666 });
    assert.equal(formatAclSpec(ns.getAcl("/p/f")), "user::rw-,user:bob:rwx,group::r-x,mask::rw-,other::r--");
    ns.mkdirs("/plain");
    ns.create("/plain/f", { permission: 0o600, unmasked: 0o666 });
    assert.equal(ns.getFileStatus("/plain/f").permission, "600");
  });

  it("directories created implicitly carry the default ACL down, with u+wx added", () => {
    const ns = nsWithParent();
    ns.mkdirs("/p/x/y", { permission: 0o500 });
    // The ancestor's mode is 500 | u+wx = 700, so its mask and other are filtered to nothing.
    assert.equal(ns.getFileStatus("/p/x").permission, "700");
    assert.equal(ns.getAclStatus("/p/x").entries.length, 7);
    assert.equal(
      formatAclSpec(ns.getAcl("/p/x/y").filter((e) => e.scope === "access")),
      "user::r-x,user:bob:rwx,group::r-x,mask::---,other::---",
    );
  });

  it("changing the parent's default ACL later does not touch existing children", () => {
    const ns = nsWithParent();
    ns.mkdirs("/p/d");
    ns.removeDefaultAcl("/p");
    assert.equal(ns.getAclStatus("/p/d").entries.length, 7);
    ns.create("/p/new");
    assert.deepEqual(ns.getAclStatus("/p/new").entries, []);
  });

  it("new inodes belong to the caller and the parent's group", () => {
    const ns = new EmulatorNamespace({ users: { alice: ["eng"] } });
    ns.mkdirs("/shared");
    ns.setOwner("/shared", undefined, "eng");
    ns.setPermission("/shared", 0o777);
    ns.create("/shared/a", {}, "alice");
    const st = ns.getFileStatus("/shared/a");
    assert.deepEqual([st.owner, st.group], ["alice", "eng"]);
  });
});
