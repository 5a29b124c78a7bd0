import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AclEntry } from "../../src/acl/entry.ts";
import { formatAclSpec, parseAclSpec } from "../../src/acl/spec.ts";
import {
  filterAclEntriesByAclSpec,
  filterDefaultAclEntries,
  mergeAclEntries,
  replaceAclEntries,
} from "../../src/emulator/acl-transform.ts";
import { parseAclSpecParam } from "../../src/emulator/aclspec.ts";
import { RemoteError } from "../../src/emulator/remote-error.ts";

const acl = (s: string) => parseAclSpec(s);
// Specs go through the NameNode's own parser, which lets named masks through to validation.
const spec = (s: string, withPerm = true) => parseAclSpecParam(s, withPerm);

type Op = "modify" | "remove" | "set" | "removeDefault";
interface Case {
  name: string;
  op: Op;
  existing: string;
  spec?: string;
  expect?: string;
  error?: string;
  /** A removal spec carrying permissions, as the RPC API (not WebHDFS) allows. */
  removeWithPerms?: boolean;
}

const MINIMAL = "user::rwx,group::r-x,other::---";
const WITH_BOB = "user::rwx,user:bob:rwx,group::r-x,mask::rwx,other::---";
const WITH_DEFAULT = `${WITH_BOB},default:user::rwx,default:group::r-x,default:group:eng:r--,default:mask::r-x,default:other::---`;

const CASES: Case[] = [
  {
    name: "modify adds a named entry and computes the mask as the group-class union",
    op: "modify",
    existing: MINIMAL,
    spec: "user:bob:rw-",
    expect: "user::rwx,user:bob:rw-,group::r-x,mask::rwx,other::---",
  },
  {
    name: "modify replaces an entry with the same key and recomputes the mask",
    op: "modify",
    existing: "user::rwx,user:bob:rwx,group::r--,mask::rwx,other::---",
    spec: "user:bob:r--",
    expect: "user::rwx,user:bob:r--,group::r--,mask::r--,other::---",
  },
  {
    name: "modify uses a mask given in the spec as-is",
    op: "modify",
    existing: MINIMAL,
    spec: "user:bob:rwx,mask::r--",
    expect: "user::rwx,user:bob:rwx,group::r-x,mask::r--,other::---",
  },
  {
    name: "modify of a default entry copies default user/group/other from the access ACL",
    op: "modify",
    existing: "user::rwx,group::r-x,other::--x",
    spec: "default:user:bob:r-x",
    expect:
      "user::rwx,group::r-x,other::--x," +
      "default:user::rwx,default:user:bob:r-x,default:group::r-x,default:mask::r-x,default:other::--x",
  },
  {
    name: "modify of the access scope keeps a stale default mask untouched",
    op: "modify",
    existing: `${WITH_BOB},default:user::rwx,default:user:bob:rwx,default:group::r-x,default:mask::r--,default:other::---`,
    spec: "user:carl:r--",
    expect:
      "user::rwx,user:bob:rwx,user:carl:r--,group::r-x,mask::rwx,other::---," +
      "default:user::rwx,default:user:bob:rwx,default:group::r-x,default:mask::r--,default:other::---",
  },
  {
    name: "modify of the default scope keeps a stale access mask untouched",
    op: "modify",
    existing: "user::rwx,user:bob:rwx,group::r-x,mask::r--,other::---",
    spec: "default:user:bob:rwx",
    expect:
      "user::rwx,user:bob:rwx,group::r-x,mask::r--,other::---," +
      "default:user::rwx,default:user:bob:rwx,default:group::r-x,default:mask::rwx,default:other::---",
  },
  {
    name: "modify that changes base entries only recomputes the mask of that scope",
    op: "modify",
    existing: "user::rwx,user:bob:r--,group::r--,mask::rwx,other::---",
    spec: "group::r--",
    expect: "user::rwx,user:bob:r--,group::r--,mask::r--,other::---",
  },
  {
    name: "remove drops the entry by key and recomputes the mask",
    op: "remove",
    existing: "user::rwx,user:bob:rwx,group::r-x,group:eng:r--,mask::rwx,other::---",
    spec: "user:bob:",
    expect: "user::rwx,group::r-x,group:eng:r--,mask::r-x,other::---",
  },
  {
    name: "remove ignores permissions in the spec",
    op: "remove",
    existing: WITH_BOB,
    spec: "user:bob:---",
    removeWithPerms: true,
    expect: "user::rwx,group::r-x,mask::r-x,other::---",
  },
  {
    name: "remove of an absent entry is a no-op",
    op: "remove",
    existing: WITH_BOB,
    spec: "user:nobody:,default:group:x:",
    expect: WITH_BOB,
  },
  {
    name: "remove of the last named entry keeps a recalculated mask (Hadoop 3 calculateMasks)",
    op: "remove",
    existing: "user::rwx,user:bob:rwx,group::r--,mask::rwx,other::---",
    spec: "user:bob:",
    expect: "user::rwx,group::r--,mask::r--,other::---",
  },
  {
    name: "remove of the last named entry together with the mask makes the ACL minimal",
    op: "remove",
    existing: "user::rwx,user:bob:rwx,group::r--,mask::rwx,other::---",
    spec: "user:bob:,mask::",
    expect: "user::rwx,group::r--,other::---",
  },
  {
    name: "remove of the last named default entry keeps a recalculated default mask",
    op: "remove",
    existing: WITH_DEFAULT,
    spec: "default:group:eng:",
    expect: `${WITH_BOB},default:user::rwx,default:group::r-x,default:mask::r-x,default:other::---`,
  },
  {
    name: "remove of the mask while named entries remain is refused",
    op: "remove",
    existing: WITH_BOB,
    spec: "mask::",
    error: "Invalid ACL: mask is required and cannot be deleted.",
  },
  {
    name: "remove of a mask nobody needs is allowed",
    op: "remove",
    existing: "user::rwx,group::r-x,mask::r--,other::---",
    spec: "mask::",
    expect: MINIMAL,
  },
  {
    name: "remove of a base entry is refused",
    op: "remove",
    existing: WITH_BOB,
    spec: "group::",
    error: "Invalid ACL: the user, group and other entries are required.",
  },
  {
    name: "remove of a default base entry copies it back from the access ACL",
    op: "remove",
    existing: WITH_DEFAULT,
    spec: "default:other::",
    expect: WITH_DEFAULT,
  },
  {
    name: "set with access entries only keeps the default ACL",
    op: "set",
    existing: WITH_DEFAULT,
    spec: "user::rw-,group::r--,other::r--",
    expect:
      "user::rw-,group::r--,other::r--," +
      "default:user::rwx,default:group::r-x,default:group:eng:r--,default:mask::r-x,default:other::---",
  },
  {
    name: "set with default entries only keeps the access ACL",
    op: "set",
    existing: WITH_DEFAULT,
    spec: "default:user::r-x,default:group::---,default:other::---",
    expect: `${WITH_BOB},default:user::r-x,default:group::---,default:other::---`,
  },
  {
    name: "set with both scopes replaces both",
    op: "set",
    existing: WITH_DEFAULT,
    spec: "user::rwx,group::---,other::---,default:user:ann:r-x",
    expect:
      "user::rwx,group::---,other::---," +
      "default:user::rwx,default:user:ann:r-x,default:group::---,default:mask::r-x,default:other::---",
  },
  {
    name: "set without a base entry is refused",
    op: "set",
    existing: MINIMAL,
    spec: "user::rwx,group::r-x",
    error: "Invalid ACL: the user, group and other entries are required.",
  },
  {
    name: "set of an access ACL without base entries on a minimal inode is refused",
    op: "set",
    existing: MINIMAL,
    spec: "user:bob:rwx",
    error: "Invalid ACL: the user, group and other entries are required.",
  },
  {
    name: "duplicate entries are refused",
    op: "set",
    existing: MINIMAL,
    spec: "user::rwx,group::r-x,other::---,user:bob:rwx,user:bob:r--",
    error: "Invalid ACL: multiple entries with same scope, type and name.",
  },
  {
    name: "a named mask is refused",
    op: "modify",
    existing: MINIMAL,
    spec: "mask:foo:rwx",
    error: "Invalid ACL: this entry type must not have a name: mask:foo:rwx.",
  },
  {
    name: "a named other entry is refused",
    op: "modify",
    existing: MINIMAL,
    spec: "default:other:foo:rwx",
    error: "Invalid ACL: this entry type must not have a name: default:other:foo:rwx.",
  },
  {
    name: "remove-default keeps only the access ACL",
    op: "removeDefault",
    existing: WITH_DEFAULT,
    expect: WITH_BOB,
  },
];

function apply(c: Case): AclEntry[] {
  const existing = acl(c.existing);
  switch (c.op) {
    case "modify":
      return mergeAclEntries(existing, spec(c.spec!));
    case "remove":
      return filterAclEntriesByAclSpec(existing, spec(c.spec!, c.removeWithPerms ?? false));
    case "set":
      return replaceAclEntries(existing, spec(c.spec!));
    case "removeDefault":
      return filterDefaultAclEntries(existing);
  }
}

describe("AclTransformation", () => {
  for (const c of CASES) {
    it(c.name, () => {
      if (c.error) {
        assert.throws(
          () => apply(c),
          (e: unknown) => e instanceof RemoteError && e.exception === "AclException" && e.message === c.error,
        );
      } else {
        assert.equal(formatAclSpec(apply(c)), c.expect);
      }
    });
  }

  const named = (n: number, prefix = "") =>
    Array.from({ length: n }, (_, i) => `${prefix}user:u${String(i).padStart(2, "0")}:r--`);

  it("refuses a spec of more than 32 entries in one scope before doing anything", () => {
    const big = acl(["user::rwx", "group::r-x", "other::---", ...named(30)].join(","));
    assert.equal(big.length, 33);
    assert.throws(() => replaceAclEntries(acl(MINIMAL), big), {
      message: "Invalid ACL: ACL has 33 access entries, which exceeds maximum of 32.",
    });
  });

  it("counts access and default entries apart against the 32-entry limit (HDFS-7582)", () => {
    const big = acl(
      ["user::rwx", "group::r-x", "other::---", ...named(28), ...named(28, "default:")].join(","),
    );
    const result = replaceAclEntries(acl(MINIMAL), big);
    assert.equal(result.filter((e) => e.scope === "access").length, 32);
    assert.equal(result.filter((e) => e.scope === "default").length, 32);
  });

  it("refuses a result whose default scope passes 32 once base entries and mask are added", () => {
    const big = acl(["user::rwx", "group::r-x", "other::---", ...named(29, "default:")].join(","));
    // 29 named + 3 copied base entries + a mask = 33 default entries; the access scope has 3.
    assert.throws(() => replaceAclEntries(acl(MINIMAL), big), {
      message: "Invalid ACL: ACL has 33 default entries, which exceeds maximum of 32.",
    });
  });

  it("accepts exactly 32 entries in a scope", () => {
    const full = acl(["user::rwx", "group::r-x", "mask::r-x", "other::---", ...named(28)].join(","));
    assert.equal(replaceAclEntries(acl(MINIMAL), full).length, 32);
  });
});
