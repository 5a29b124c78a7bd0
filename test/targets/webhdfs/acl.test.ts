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

  it("reads a mask-only ACL (Hadoop 3 keeps the mask after the last named entry goes): group digit is the mask", () => {
    const acl = aclFromHdfs("640", { entries: ["group::r-x"] });
    assert.equal(formatAclSpec(acl), "user::rw-,group::r-x,mask::r--,other::---");
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

  it("sends the unchanged mask with any change of its scope, so the NameNode keeps it", () => {
    const plan = planAclWrite(
      spec("user::rw-,group::r-x,group:staff:r-x,mask::r--,other::---"),
      spec("user::rw-,user:www:r--,group::r-x,group:staff:r-x,mask::r--,other::---"),
    );
    assert.equal(formatAclSpec(plan.modify), "user:www:r--,mask::r--");
    const removal = planAclWrite(
      spec("user::rw-,user:www:r--,group::r-x,group:staff:r-x,mask::r--,other::---"),
      spec("user::rw-,group::r-x,group:staff:r-x,mask::r--,other::---"),
    );
    assert.equal(formatAclSpec(removal.modify), "mask::r--");
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

describe("the 32-entry limit, per scope (HDFS-7582)", () => {
  const named = (n: number, scope = "") =>
    Array.from({ length: n }, (_, i) => `${scope}user:u${i}:r-x`).join(",");

  it("counts the fuller scope with its base entries, mask and the default base entries HDFS would add", () => {
    assert.deepEqual(hdfsEntryCount(spec("user::rwx,group::r-x,other::---")), { scope: "access", count: 3 });
    assert.deepEqual(hdfsEntryCount(spec(`user::rwx,group::r-x,other::---,${named(2)}`)), {
      scope: "access",
      count: 6,
    });
    assert.deepEqual(hdfsEntryCount(spec("user::rwx,group::r-x,other::---,default:user:a:r-x")), {
      scope: "default",
      count: 5,
    });
  });

  it("accepts 28 named principals in both scopes at once (32 + 32 entries)", () => {
    checkEntryLimit(
      "/p",
      spec(`user::rwx,group::r-x,mask::r-x,other::---,${named(28)},${named(28, "default:")}`),
    );
  });

  it("refuses 33 entries in one scope, naming that scope and its principals", () => {
    assert.throws(
      () =>
        checkEntryLimit(
          "/p",
          spec(`user::rwx,group::r-x,other::---,${named(3)},${named(28, "default:")},default:group:eng:r-x`),
        ),
      (e) =>
        isGsError(e, "GS_ACL_TOO_MANY") &&
        e.location === "/p" &&
        /33 default ACL entries/.test(e.message) &&
        /principals: user:u0, .*user:u27, group:eng$/.test(e.message),
    );
  });
});
