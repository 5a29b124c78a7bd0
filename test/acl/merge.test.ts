import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mergeAcl } from "../../src/acl/merge.ts";
import { formatAclSpec, parseAclSpec } from "../../src/acl/spec.ts";

const spec = (s: string) => parseAclSpec(s);
const keys = (...k: string[]) => new Set(k);

describe("mergeAcl", () => {
  it("adds desired entries with a mask that is the union of the group class", () => {
    const r = mergeAcl({
      current: spec("user::rwx,group::r-x,other::---"),
      desired: spec("group:analysts:r-x,user:alice:rwx"),
      managed: keys(),
      adopted: new Map(),
    });
    assert.equal(
      formatAclSpec(r.next),
      "user::rwx,user:alice:rwx,group::r-x,group:analysts:r-x,mask::rwx,other::---",
    );
    assert.equal(r.changed, true);
  });

  it("copies the default base entries from the access entries when adding default entries", () => {
    const r = mergeAcl({
      current: spec("user::rwx,group::r-x,other::--x"),
      desired: spec("group:g:r-x,default:group:g:r-x"),
      managed: keys(),
      adopted: new Map(),
    });
    assert.equal(
      formatAclSpec(r.next),
      "user::rwx,group::r-x,group:g:r-x,mask::r-x,other::--x," +
        "default:user::rwx,default:group::r-x,default:group:g:r-x,default:mask::r-x,default:other::--x",
    );
  });

  it("removes only managed entries that are no longer desired and keeps everyone else's", () => {
    const r = mergeAcl({
      current: spec("user::rwx,user:bob:r--,group::r-x,group:old:r-x,mask::r-x,other::---"),
      desired: [],
      managed: keys("group:old"),
      adopted: new Map(),
    });
    assert.equal(formatAclSpec(r.next), "user::rwx,user:bob:r--,group::r-x,mask::r-x,other::---");
  });

  it("returns to a minimal ACL when the last named entry goes", () => {
    const r = mergeAcl({
      current: spec("user::rwx,group::r--,group:old:rwx,mask::rwx,other::---"),
      desired: [],
      managed: keys("group:old"),
      adopted: new Map(),
    });
    assert.equal(formatAclSpec(r.next), "user::rwx,group::r--,other::---");
  });

  it("drops a default ACL that is only the copy of the base entries once our last entry goes", () => {
    const r = mergeAcl({
      current: spec(
        "user::rwx,group::r-x,group:g:r-x,mask::r-x,other::---," +
          "default:user::rwx,default:group::r-x,default:group:g:r-x,default:mask::r-x,default:other::---",
      ),
      desired: [],
      managed: keys("group:g", "default:group:g"),
      adopted: new Map(),
    });
    assert.equal(formatAclSpec(r.next), "user::rwx,group::r-x,other::---");
  });

  it("widens someone else's entry for the same principal and remembers its permission", () => {
    const r = mergeAcl({
      current: spec("user::rw-,group::r--,group:g:--x,mask::r-x,other::---"),
      desired: spec("group:g:r--"),
      managed: keys(),
      adopted: new Map(),
    });
    assert.equal(formatAclSpec(r.next), "user::rw-,group::r--,group:g:r-x,mask::r-x,other::---");
    assert.deepEqual([...r.newlyAdopted], [["group:g", 1]]);
    const back = mergeAcl({
      current: r.next,
      desired: [],
      managed: keys("group:g"),
      adopted: r.newlyAdopted,
    });
    assert.equal(formatAclSpec(back.next), "user::rw-,group::r--,group:g:--x,mask::r-x,other::---");
  });

  it("reports no change when the ACL already matches", () => {
    const current = spec("user::rwx,group::r-x,group:g:r-x,mask::r-x,other::---");
    const r = mergeAcl({
      current,
      desired: spec("group:g:r-x"),
      managed: keys("group:g"),
      adopted: new Map(),
    });
    assert.equal(r.changed, false);
  });
});

describe("mergeAcl: effective access and the mask", () => {
  it("leaves an inherited r-x masked to r-- on a file in line", () => {
    const r = mergeAcl({
      current: spec("user::rw-,group::r-x,group:staff:r-x,mask::r--,other::r--"),
      desired: spec("group:staff:r--"),
      managed: keys("group:staff"),
      adopted: new Map(),
    });
    assert.equal(r.changed, false);
  });

  it("never gives a file x through the mask when it writes another of our entries", () => {
    const r = mergeAcl({
      current: spec("user::rw-,group::r-x,group:staff:r-x,mask::r--,other::r--"),
      desired: spec("group:staff:r--,user:www-data:r--"),
      managed: keys("group:staff"),
      adopted: new Map(),
    });
    assert.equal(
      formatAclSpec(r.next),
      "user::rw-,user:www-data:r--,group::r-x,group:staff:r-x,mask::r--,other::r--",
    );
    assert.deepEqual(r.exposed, []);
  });

  it("narrows the mask on revocation only by what our entries alone used", () => {
    const r = mergeAcl({
      current: spec("user::rwx,group::rwx,group:eng:rwx,group:ours:r-x,mask::r-x,other::---"),
      desired: [],
      managed: keys("group:ours"),
      adopted: new Map(),
    });
    assert.equal(formatAclSpec(r.next), "user::rwx,group::rwx,group:eng:rwx,mask::r-x,other::---");
    const narrowed = mergeAcl({
      current: spec("user::rwx,group::r--,group:eng:r--,group:ours:rwx,mask::rwx,other::---"),
      desired: [],
      managed: keys("group:ours"),
      adopted: new Map(),
    });
    assert.equal(formatAclSpec(narrowed.next), "user::rwx,group::r--,group:eng:r--,mask::r--,other::---");
  });

  it("keeps the owning group's effective access when the last named entry and its mask go", () => {
    const r = mergeAcl({
      current: spec("user::rw-,group::r-x,group:staff:r-x,mask::r--,other::---"),
      desired: [],
      managed: keys("group:staff"),
      adopted: new Map(),
    });
    assert.equal(formatAclSpec(r.next), "user::rw-,group::r--,other::---");
  });

  it("widens the mask by what our entries need and names the entries not ours that it exposes", () => {
    const r = mergeAcl({
      current: spec("user::rw-,group::rw-,group:eng:rw-,mask::r--,other::---"),
      desired: spec("user:alice:rw-"),
      managed: keys(),
      adopted: new Map(),
    });
    assert.equal(
      formatAclSpec(r.next),
      "user::rw-,user:alice:rw-,group::rw-,group:eng:rw-,mask::rw-,other::---",
    );
    assert.deepEqual(r.exposed, ["group::", "group:eng"]);
  });
});
