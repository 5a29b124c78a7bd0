import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sortEntries } from "../../src/acl/entry.ts";
import {
  formatAclSpec,
  formatEntryKeyOnly,
  parseAclSpec,
  parseEntry,
  parseGetfaclText,
} from "../../src/acl/spec.ts";
import { isGsError } from "../../src/errors.ts";

describe("ACL spec text", () => {
  it("round-trips getfacl output, default entries included", () => {
    const text =
      "user::rwx,user:alice:r-x,group::r-x,group:eng:rwx,mask::rwx,other::---," +
      "default:user::rwx,default:group::r-x,default:group:eng:r-x,default:mask::r-x,default:other::---";
    assert.equal(formatAclSpec(parseAclSpec(text)), text);
  });

  it("reads getfacl's multi-line form, skipping headers and #effective comments", () => {
    const text =
      "# file: x\n# owner: root\nuser::rw-\ngroup::r--\ngroup:eng:rw-\t#effective:r--\nmask::r--\nother::---\n";
    assert.equal(
      formatAclSpec(parseGetfaclText(text)),
      "user::rw-,group::r--,group:eng:rw-,mask::r--,other::---",
    );
  });

  it("reads # as part of a name in a spec, never as the start of a comment", () => {
    assert.deepEqual(
      parseAclSpec("group:a#b:r-x,user::rw-").map((e) => e.name),
      ["a#b", ""],
    );
    assert.deepEqual(parseEntry("default:user:x#y:rwx"), {
      scope: "default",
      type: "user",
      name: "x#y",
      perm: 7,
    });
  });

  it("accepts setfacl's short forms", () => {
    assert.deepEqual(parseEntry("d:g:eng:rx"), { scope: "default", type: "group", name: "eng", perm: 5 });
    assert.deepEqual(parseEntry("u:bob:rw"), { scope: "access", type: "user", name: "bob", perm: 6 });
  });

  it("writes removal entries with both colons, as HDFS REMOVEACLENTRIES requires", () => {
    assert.equal(formatEntryKeyOnly({ scope: "default", type: "group", name: "eng" }), "default:group:eng:");
    assert.equal(formatEntryKeyOnly({ scope: "access", type: "mask", name: "" }), "mask::");
    assert.deepEqual(
      parseAclSpec("user:bob:,default:group:eng:", { requirePerm: false }).map((e) => e.name),
      ["bob", "eng"],
    );
  });

  it("rejects bad entries with a typed error", () => {
    for (const bad of ["user:bob:rwz", "wheel:x:r--", "mask:m:r--", "user:bob"]) {
      assert.throws(
        () => parseEntry(bad),
        (e: unknown) => isGsError(e, "GS_ACL_SPEC"),
        bad,
      );
    }
  });

  it("sorts entries as getfacl and HDFS do", () => {
    const sorted = sortEntries(
      parseAclSpec(
        "other::---,group:b:r--,default:user::rwx,group:a:r--,user:z:r--,mask::r--,group::r--,user::rw-",
      ),
    );
    assert.equal(
      formatAclSpec(sorted),
      "user::rw-,user:z:r--,group::r--,group:a:r--,group:b:r--,mask::r--,other::---,default:user::rwx",
    );
  });
});
