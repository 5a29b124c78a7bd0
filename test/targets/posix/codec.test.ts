import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, describe, it } from "node:test";
import { isGsError } from "../../../src/errors.ts";
import {
  ACL_GROUP,
  ACL_GROUP_OBJ,
  ACL_MASK,
  ACL_OTHER,
  ACL_UNDEFINED_ID,
  ACL_USER,
  ACL_USER_OBJ,
  decodeAcl,
  encodeAcl,
  type RawAclEntry,
} from "../../../src/targets/posix/xattr-codec.ts";
import { setfacl, tempTree, xattrHex } from "./helpers.ts";

// u::rwx,u:65534:rw,g::r,g:65534:r-x,m::rwx,o::- as measured in the reference notes.
const REFERENCE_HEX =
  "0200000001000700ffffffff02000600feff000004000400ffffffff08000500feff000010000700ffffffff20000000ffffffff";
const REFERENCE: RawAclEntry[] = [
  { tag: ACL_USER_OBJ, perm: 7, id: ACL_UNDEFINED_ID },
  { tag: ACL_USER, perm: 6, id: 65534 },
  { tag: ACL_GROUP_OBJ, perm: 4, id: ACL_UNDEFINED_ID },
  { tag: ACL_GROUP, perm: 5, id: 65534 },
  { tag: ACL_MASK, perm: 7, id: ACL_UNDEFINED_ID },
  { tag: ACL_OTHER, perm: 0, id: ACL_UNDEFINED_ID },
];

describe("xattr codec", () => {
  const tree = tempTree();
  after(tree.cleanup);

  it("decodes and re-encodes the measured reference bytes", () => {
    assert.deepEqual(decodeAcl(Buffer.from(REFERENCE_HEX, "hex")), REFERENCE);
    assert.equal(encodeAcl(REFERENCE).toString("hex"), REFERENCE_HEX);
  });

  it("encodes exactly the bytes setfacl stores, whatever the input order", () => {
    const f = path.join(tree.dir, "f");
    fs.writeFileSync(f, "");
    setfacl("--set", "u::rw-,g::r--,o::---,g:staff:rwx,u:nobody:r--,u:root:r-x,g:users:-w-,m::rwx", f);
    const stored = xattrHex(f, "system.posix_acl_access");
    const shuffled: RawAclEntry[] = [
      { tag: ACL_OTHER, perm: 0, id: 0 },
      { tag: ACL_GROUP, perm: 2, id: 100 },
      { tag: ACL_USER, perm: 4, id: 65534 },
      { tag: ACL_MASK, perm: 7, id: 123 },
      { tag: ACL_GROUP, perm: 7, id: 50 },
      { tag: ACL_USER, perm: 5, id: 0 },
      { tag: ACL_GROUP_OBJ, perm: 4, id: 0 },
      { tag: ACL_USER_OBJ, perm: 6, id: 0 },
    ];
    assert.equal(encodeAcl(shuffled).toString("hex"), stored);
    assert.deepEqual(encodeAcl(decodeAcl(Buffer.from(stored, "hex"))).toString("hex"), stored);
  });

  it("matches setfacl's default ACL bytes", () => {
    const d = path.join(tree.dir, "d");
    fs.mkdirSync(d);
    setfacl("-d", "--set", "u::rwx,g::r-x,o::---,g:nogroup:r-x,m::r-x", d);
    const stored = xattrHex(d, "system.posix_acl_default");
    const raw: RawAclEntry[] = [
      { tag: ACL_USER_OBJ, perm: 7, id: 0 },
      { tag: ACL_GROUP_OBJ, perm: 5, id: 0 },
      { tag: ACL_GROUP, perm: 5, id: 65534 },
      { tag: ACL_MASK, perm: 5, id: 0 },
      { tag: ACL_OTHER, perm: 0, id: 0 },
    ];
    assert.equal(encodeAcl(raw).toString("hex"), stored);
  });

  it("refuses duplicates and out-of-range values", () => {
    const base: RawAclEntry[] = [
      { tag: ACL_USER_OBJ, perm: 7, id: 0 },
      { tag: ACL_GROUP_OBJ, perm: 5, id: 0 },
      { tag: ACL_OTHER, perm: 0, id: 0 },
    ];
    const bad = (extra: RawAclEntry[]) => () => encodeAcl([...base, ...extra]);
    const spec = (e: unknown) => isGsError(e, "GS_ACL_SPEC");
    assert.throws(
      bad([
        { tag: ACL_USER, perm: 4, id: 5 },
        { tag: ACL_USER, perm: 6, id: 5 },
      ]),
      spec,
    );
    assert.throws(bad([{ tag: ACL_OTHER, perm: 4, id: 0 }]), spec);
    assert.throws(bad([{ tag: ACL_USER, perm: 8, id: 5 }]), spec);
    assert.throws(bad([{ tag: ACL_USER, perm: 4, id: ACL_UNDEFINED_ID }]), spec);
    assert.throws(bad([{ tag: 0x40, perm: 4, id: 1 }]), spec);
  });

  it("refuses malformed values", () => {
    const io = (e: unknown) => isGsError(e, "GS_TARGET_IO");
    assert.throws(() => decodeAcl(Buffer.from("02000000010007", "hex")), io);
    assert.throws(() => decodeAcl(Buffer.from("0100000001000700ffffffff", "hex")), io);
    assert.throws(() => decodeAcl(Buffer.from("0200000040000700ffffffff", "hex")), io);
    assert.deepEqual(decodeAcl(Buffer.from("02000000", "hex")), []);
  });
});
