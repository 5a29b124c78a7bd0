import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type AccessSubject, decide, evaluateAccess, type InodeView } from "../../src/acl/access.ts";
import { parseAclSpec } from "../../src/acl/spec.ts";

function inode(
  path: string,
  spec: string,
  type: "dir" | "file" = "file",
  owner = "root",
  group = "wheel",
): InodeView {
  return { path, type, owner, group, acl: parseAclSpec(spec) };
}

const alice: AccessSubject = { user: "alice", groups: ["alice", "analysts"], superuser: false };
const root = inode("/", "user::rwx,group::r-x,other::r-x", "dir");
const open = (path: string) => inode(path, "user::rwx,group::r-x,other::--x", "dir");

describe("effective access of one inode", () => {
  it("lets the owner entry decide alone, even when a group would grant more", () => {
    const f = inode("/f", "user::---,group::rwx,other::rwx", "file", "alice", "analysts");
    const d = decide(alice, f, "posix");
    assert.equal(d.class, "owner");
    assert.equal(d.perm, 0);
  });

  it("limits a named user entry by the mask", () => {
    const f = inode("/f", "user::rw-,user:alice:rw-,group::---,mask::r--,other::---");
    const d = decide(alice, f, "posix");
    assert.deepEqual([d.class, d.perm, d.entries], ["named-user", 4, ["user:alice:rw- (effective r--)"]]);
  });

  it("grants a bit when any matching group entry grants it, after the mask", () => {
    const f = inode(
      "/f",
      "user::rw-,group::r--,group:analysts:-w-,mask::rw-,other::---",
      "file",
      "root",
      "alice",
    );
    const d = decide(alice, f, "posix");
    assert.equal(d.class, "group");
    assert.equal(d.perm, 6);
    assert.deepEqual(d.entries, ["group::r--", "group:analysts:-w-"]);
  });

  it("denies through a matching group entry that grants nothing, whatever other says", () => {
    const f = inode("/f", "user::rw-,group:analysts:---,group::r--,mask::r--,other::r--");
    const d = decide(alice, f, "posix");
    assert.deepEqual([d.class, d.perm], ["group", 0]);
  });

  it("falls through to other when no user or group entry matches", () => {
    const d = decide(alice, inode("/f", "user::rw-,group::rw-,group:eng:rw-,mask::rw-,other::r--"), "hdfs");
    assert.deepEqual([d.class, d.perm, d.entries], ["other", 4, ["other::r--"]]);
  });

  it("asks for a group's members without ever matching the owner or a named user", () => {
    const f = inode(
      "/f",
      "user::rw-,user:analysts:rw-,group:analysts:r--,mask::rw-,other::---",
      "file",
      "analysts",
    );
    const d = decide({ groups: ["analysts"], superuser: false }, f, "posix");
    assert.deepEqual([d.class, d.perm], ["group", 4]);
  });

  it("gives a POSIX superuser read and write, and execute on a file only with an x bit in the mode", () => {
    const su: AccessSubject = { user: "root", groups: [], superuser: true };
    assert.equal(decide(su, inode("/f", "user::---,group::---,other::---"), "posix").perm, 6);
    assert.equal(decide(su, inode("/f", "user::---,group::---,other::--x"), "posix").perm, 7);
    assert.equal(decide(su, inode("/d", "user::---,group::---,other::---", "dir"), "posix").perm, 7);
    assert.equal(decide(su, inode("/f", "user::---,group::---,other::---"), "hdfs").perm, 7);
  });
});

describe("access through every ancestor", () => {
  it("reads a file when every directory from / lets the user search it", () => {
    const chain = [
      root,
      open("/w"),
      inode("/w/t", "user::rw-,group:analysts:r--,group::---,mask::r--,other::---"),
    ];
    const v = evaluateAccess(alice, chain, "posix");
    assert.deepEqual([v.read, v.write, v.execute, v.traverse], [true, false, false, true]);
    assert.equal(v.decidedBy.path, "/w/t");
  });

  it("refuses everything at the first directory the user cannot search, and names it", () => {
    const closed = inode("/w", "user::rwx,group::r-x,other::r--", "dir");
    const chain = [root, closed, open("/w/t"), inode("/w/t/f", "user::rw-,group::r--,other::rw-")];
    const v = evaluateAccess(alice, chain, "posix");
    assert.deepEqual([v.read, v.write, v.traverse, v.blockedAt], [false, false, false, "/w"]);
    assert.deepEqual([v.decidedBy.class, v.decidedBy.entries], ["other", ["other::r--"]]);
  });

  it("lets a named --x entry open the way where other has nothing", () => {
    const gate = inode("/w", "user::rwx,user:alice:--x,group::---,mask::--x,other::---", "dir");
    const v = evaluateAccess(alice, [root, gate, inode("/w/f", "user::rw-,group::---,other::r--")], "hdfs");
    assert.deepEqual([v.read, v.traverse], [true, true]);
  });

  it("refuses traversal through a path component that is not a directory", () => {
    const v = evaluateAccess(
      alice,
      [root, inode("/f", "user::rwx,group::rwx,other::rwx"), open("/f/x")],
      "posix",
    );
    assert.deepEqual([v.traverse, v.blockedAt], [false, "/f"]);
  });
});
