import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAclSpec, formatEntryKeyOnly, parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import {
  aclFromHdfs,
  checkEntryLimit,
  hdfsEntryCount,
  planAclWrite,
} from "../../../src/targets/webhdfs/acl.ts";

const spec = (s: string) => parseAclSpec(s);

describe("aclFromHdfs", () => {
  it("builds a minimal ACL from the permission bits alone", () => {
    assert.equal(formatAclSpec(aclFromHdfs("750")), "user::rwx,group::r-x,other::---");
  });

  it("ignores the sticky bit", () => {
    assert.equal(formatAclSpec(aclFromHdfs("1777")), "user::rwx,group::rwx,other::rwx");
  });

  it("reads the mask from the group digit when named entries exist", () => {
    const acl = aclFromHdfs("770", { entries: ["user:carla:rw-", "group::r-x", "group:eng:r--"] });
    assert.equal(
      formatAclSpec(acl),
      "user::rwx,user:carla:rw-,group::r-x,group:eng:r--,mask::rwx,other::---",
    );
  });

  it("takes group:: from the permission when only a default ACL is stored", () => {
    const acl = aclFromHdfs("755", {
      entries: [
        "default:user::rwx",
        "default:group::r-x",
        "default:group:eng:r-x",
        "default:mask::r-x",
        "default:other::r-x",
      ],
    });
    assert.equal(
      formatAclSpec(acl),
      "user::rwx,group::r-x,other::r-x," +
        "default:user::rwx,default:group::r-x,default:group:eng:r-x,default:mask::r-x,default:other::r-x",
    );
  });
});

describe("planAclWrite", () => {
  const base = "user::rwx,group::r-x,other::---";

  it("sends nothing when the ACLs are equal", () => {
    const acl = spec(`${base},user:a:r-x,mask::r-x`);
    assert.deepEqual(planAclWrite(acl, acl), { remove: [], modify: [], removeDefault: false });
  });

  it("modifies only new and changed entries, with the mask when it changed", () => {
    const plan = planAclWrite(
      spec(`${base},user:a:r--,mask::r-x`),
      spec(`${base},user:a:rwx,group:g:r-x,mask::rwx`),
    );
    assert.equal(formatAclSpec(plan.modify), "user:a:rwx,group:g:r-x,mask::rwx");
    assert.deepEqual(plan.remove, []);
  });

  it("removes dropped named entries, and the mask when no named entry is left", () => {
    const plan = planAclWrite(spec(`${base},user:a:r-x,mask::r-x`), spec(base));
    assert.equal(plan.remove.map(formatEntryKeyOnly).join(","), "user:a:,mask::");
    assert.deepEqual(plan.modify, []);
  });

  it("creates a default ACL with its base entries", () => {
    const next = spec(
      `${base},default:user::rwx,default:group::r-x,default:group:g:r-x,default:mask::r-x,default:other::---`,
    );
    const plan = planAclWrite(spec(base), next);
    assert.equal(
      formatAclSpec(plan.modify),
      "default:user::rwx,default:group::r-x,default:group:g:r-x,default:mask::r-x,default:other::---",
    );
  });

  it("uses REMOVEDEFAULTACL when no default entry is left", () => {
    const observed = spec(
      `${base},user:a:r-x,mask::r-x,default:user::rwx,default:group::r-x,default:user:a:r-x,default:mask::r-x,default:other::---`,
    );
    const plan = planAclWrite(observed, spec(`${base},user:a:r-x,mask::r-x`));
    assert.equal(plan.removeDefault, true);
    assert.deepEqual(plan.remove, []);
    assert.deepEqual(plan.modify, []);
  });

  it("refuses to drop a base entry", () => {
    assert.throws(
      () => planAclWrite(spec(base), spec("user::rwx,other::---")),
      (e) => isGsError(e, "GS_ACL_SPEC"),
    );
  });
});

describe("the 32-entry limit", () => {
  const named = (n: number, scope = "") =>
    Array.from({ length: n }, (_, i) => `${scope}user:u${i}:r-x`).join(",");

  it("counts base entries, masks and the default base entries HDFS would add", () => {
    assert.equal(hdfsEntryCount(spec("user::rwx,group::r-x,other::---")), 3);
    assert.equal(hdfsEntryCount(spec(`user::rwx,group::r-x,other::---,${named(2)}`)), 6);
    assert.equal(hdfsEntryCount(spec("user::rwx,group::r-x,other::---,default:user:a:r-x")), 8);
  });

  it("accepts 32 entries and refuses 33, naming the principals", () => {
    checkEntryLimit("/p", spec(`user::rwx,group::r-x,mask::r-x,other::---,${named(28)}`));
    assert.throws(
      () =>
        checkEntryLimit(
          "/p",
          spec(`user::rwx,group::r-x,other::---,${named(20)},${named(5, "default:")},group:eng:r-x`),
        ),
      (e) =>
        isGsError(e, "GS_ACL_TOO_MANY") &&
        e.location === "/p" &&
        /user:u0, .*user:u19, group:eng/.test(e.message),
    );
  });
});
