// Hadoop's TestAclTransformation, replayed over HTTP: each case sets its existing ACL with SETACL,
// runs the op through WebHDFS and reads the result back with GETACLSTATUS and the permission bits,
// as a client would. Case names are the Hadoop test methods; the expectations are theirs, with the
// Hadoop 3.3 rules where 3.3 differs (per-scope limit of HDFS-7582, the mask that stays).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAclSpec } from "../../src/acl/spec.ts";
import { aclFromHdfs } from "../../src/targets/webhdfs/acl.ts";
import { call, remoteException, useEmulator } from "./helpers.ts";

type Op = "MODIFYACLENTRIES" | "REMOVEACLENTRIES" | "SETACL" | "REMOVEDEFAULTACL";
interface Case {
  name: string;
  existing: string;
  op: Op;
  spec?: string;
  expect?: string;
  error?: string;
  file?: boolean;
}

const users = (n: number, from: number, perm: string) =>
  Array.from({ length: n }, (_, i) => `user:user${i + from}:${perm}`).join(",");
// Zero-padded, so the text order of the entries is their name order.
const named = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => `${prefix}group:g${String(i).padStart(2, "0")}:r-x`).join(",");

const CASES: Case[] = [
  {
    name: "testFilterAclEntriesByAclSpec",
    existing:
      "user::rwx,user:bruce:rw-,user:diana:r-x,group::r--,group:execs:rw-,group:sales:r-x,mask::rwx,other::r--",
    op: "REMOVEACLENTRIES",
    spec: "user:diana:,group:sales:",
    expect: "user::rwx,user:bruce:rw-,group::r--,group:execs:rw-,mask::rw-,other::r--",
  },
  {
    name: "testFilterAclEntriesByAclSpecUnchanged",
    existing: "user::rwx,user:bruce:rwx,group::r-x,group:sales:rwx,mask::rwx,other::---",
    op: "REMOVEACLENTRIES",
    spec: "user:clark:,group:execs:",
    expect: "user::rwx,user:bruce:rwx,group::r-x,group:sales:rwx,mask::rwx,other::---",
  },
  {
    name: "testFilterAclEntriesByAclSpecAccessMaskCalculated",
    existing: "user::rwx,user:bruce:r--,user:diana:rw-,group::r--,mask::rw-,other::r--",
    op: "REMOVEACLENTRIES",
    spec: "user:diana:",
    expect: "user::rwx,user:bruce:r--,group::r--,mask::r--,other::r--",
  },
  {
    name: "testFilterAclEntriesByAclSpecDefaultMaskCalculated",
    existing:
      "user::rwx,group::r--,other::r--,default:user::rwx,default:user:bruce:r--,default:user:diana:rw-," +
      "default:group::r--,default:mask::rw-,default:other::---",
    op: "REMOVEACLENTRIES",
    spec: "default:user:diana:",
    expect:
      "user::rwx,group::r--,other::r--,default:user::rwx,default:user:bruce:r--,default:group::r--," +
      "default:mask::r--,default:other::---",
  },
  {
    name: "testFilterAclEntriesByAclSpecDefaultMaskPreserved",
    existing:
      "user::rwx,user:bruce:r--,user:diana:rw-,group::r--,mask::rw-,other::r--,default:user::rwx," +
      "default:user:diana:rwx,default:group::r--,default:mask::r--,default:other::---",
    op: "REMOVEACLENTRIES",
    spec: "user:diana:",
    expect:
      "user::rwx,user:bruce:r--,group::r--,mask::r--,other::r--,default:user::rwx,default:user:diana:rwx," +
      "default:group::r--,default:mask::r--,default:other::---",
  },
  {
    name: "testFilterAclEntriesByAclSpecAutomaticDefaultUser",
    existing:
      "user::rwx,group::r--,other::r--,default:user::rw-,default:user:bruce:r--,default:group::r--," +
      "default:mask::r--,default:other::---",
    op: "REMOVEACLENTRIES",
    spec: "default:user::",
    expect:
      "user::rwx,group::r--,other::r--,default:user::rwx,default:user:bruce:r--,default:group::r--," +
      "default:mask::r--,default:other::---",
  },
  {
    name: "testFilterAclEntriesByAclSpecRemoveAccessMaskRequired",
    existing: "user::rwx,user:bruce:r--,group::r--,mask::rwx,other::---",
    op: "REMOVEACLENTRIES",
    spec: "mask::",
    error: "Invalid ACL: mask is required and cannot be deleted.",
  },
  {
    name: "testFilterAclEntriesByAclSpecInputTooLarge",
    existing: "user::rwx,group::r--,other::---",
    op: "REMOVEACLENTRIES",
    spec: users(33, 0, ""),
    error: "Invalid ACL: ACL has 33 access entries, which exceeds maximum of 32.",
  },
  {
    name: "testFilterDefaultAclEntries",
    existing:
      "user::rwx,user:bruce:rw-,group::r-x,group:sales:r-x,mask::rwx,other::---,default:user::rwx," +
      "default:user:bruce:rw-,default:group::r--,default:group:sales:r-x,default:mask::rw-,default:other::r-x",
    op: "REMOVEDEFAULTACL",
    expect: "user::rwx,user:bruce:rw-,group::r-x,group:sales:r-x,mask::rwx,other::---",
  },
  {
    name: "testMergeAclEntries",
    existing: "user::rwx,group::r-x,other::---",
    op: "MODIFYACLENTRIES",
    spec: "user:bruce:rwx",
    expect: "user::rwx,user:bruce:rwx,group::r-x,mask::rwx,other::---",
  },
  {
    name: "testMergeAclEntriesMultipleNewBeforeExisting",
    existing: "user::rwx,user:diana:r--,group::r-x,mask::r-x,other::---",
    op: "MODIFYACLENTRIES",
    spec: "user:bruce:r-x,user:clark:r-x,user:diana:r-x",
    expect: "user::rwx,user:bruce:r-x,user:clark:r-x,user:diana:r-x,group::r-x,mask::r-x,other::---",
  },
  {
    name: "testMergeAclEntriesAccessMaskCalculated",
    existing: "user::rwx,user:bruce:r--,group::r--,mask::r--,other::r--",
    op: "MODIFYACLENTRIES",
    spec: "user:bruce:r-x,user:diana:r--",
    expect: "user::rwx,user:bruce:r-x,user:diana:r--,group::r--,mask::r-x,other::r--",
  },
  {
    name: "testMergeAclEntriesDefaultMaskPreserved",
    existing:
      "user::rwx,group::r--,other::r--,default:user::rwx,default:user:diana:rwx,default:group::r--," +
      "default:mask::r--,default:other::---",
    op: "MODIFYACLENTRIES",
    spec: "user:diana:r-x",
    expect:
      "user::rwx,user:diana:r-x,group::r--,mask::r-x,other::r--,default:user::rwx,default:user:diana:rwx," +
      "default:group::r--,default:mask::r--,default:other::---",
  },
  {
    name: "testMergeAclEntriesAutomaticDefaultUser",
    existing: "user::rwx,group::r--,other::r--",
    op: "MODIFYACLENTRIES",
    spec: "default:group::r-x,default:other::r--",
    expect: "user::rwx,group::r--,other::r--,default:user::rwx,default:group::r-x,default:other::r--",
  },
  {
    name: "testMergeAclEntriesProvidedAccessMask",
    existing: "user::rwx,group::r--,other::---",
    op: "MODIFYACLENTRIES",
    spec: "user:bruce:r-x,mask::rwx",
    expect: "user::rwx,user:bruce:r-x,group::r--,mask::rwx,other::---",
  },
  {
    name: "testMergeAclEntriesResultTooLarge",
    existing: `user::rwx,${users(28, 1, "r--")},group::r--,mask::r--,other::---`,
    op: "MODIFYACLENTRIES",
    spec: "user:bruce:r--",
    error: "Invalid ACL: ACL has 33 access entries, which exceeds maximum of 32.",
  },
  {
    name: "testMergeAclEntriesDuplicateEntries",
    existing: "user::rwx,group::r--,other::---",
    op: "MODIFYACLENTRIES",
    spec: "user:bruce:rwx,user:diana:rw-,user:clark:r--,user:bruce:r-x",
    error: "Invalid ACL: multiple entries with same scope, type and name.",
  },
  {
    name: "testMergeAclEntriesNamedMask",
    existing: "user::rwx,group::r--,other::---",
    op: "MODIFYACLENTRIES",
    spec: "mask:bruce:r-x",
    error: "Invalid ACL: this entry type must not have a name: mask:bruce:r-x.",
  },
  {
    name: "Hadoop 3 (calculateMasks): removing the last named entry keeps a recalculated mask",
    existing: "user::rwx,user:bruce:rwx,group::r--,mask::rwx,other::---",
    op: "REMOVEACLENTRIES",
    spec: "user:bruce:",
    expect: "user::rwx,group::r--,mask::r--,other::---",
  },
  {
    name: "Hadoop 3 (calculateMasks): removing the last named entry and the mask together is minimal",
    existing: "user::rwx,user:bruce:rwx,group::r--,mask::rwx,other::---",
    op: "REMOVEACLENTRIES",
    spec: "user:bruce:,mask::",
    expect: "user::rwx,group::r--,other::---",
  },
  {
    name: "HDFS-7582: 28 named entries in each scope make 32 access and 32 default entries",
    existing: "user::rwx,group::r-x,other::---",
    op: "MODIFYACLENTRIES",
    spec: `${named(28, "")},${named(28, "default:")}`,
    expect:
      `user::rwx,group::r-x,${named(28, "")},mask::r-x,other::---,` +
      `default:user::rwx,default:group::r-x,${named(28, "default:")},` +
      "default:mask::r-x,default:other::---",
  },
  {
    name: "HDFS-7582: the default scope counts its copied base entries and mask on its own",
    existing: "user::rwx,group::r-x,other::---",
    op: "MODIFYACLENTRIES",
    spec: named(29, "default:"),
    error: "Invalid ACL: ACL has 33 default entries, which exceeds maximum of 32.",
  },
  {
    name: "AclStorage.updateINodeAcl: a default ACL on a file names the path (3.x)",
    existing: "user::rw-,group::r--,other::r--",
    op: "MODIFYACLENTRIES",
    spec: "default:user:bruce:r--",
    file: true,
    error: "Invalid ACL: only directories may have a default ACL. Path: @PATH@",
  },
];

describe("TestAclTransformation over WebHDFS (Hadoop 3.3)", () => {
  const t = useEmulator();
  const put = (path: string, q: string) => call(t.emu, "PUT", path, `${q}&user.name=hdfs`);

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      const path = `/t/${i}`;
      if (c.file) await put(path, "op=CREATE&data=true&permission=644");
      else await put(path, "op=MKDIRS");
      const set = await put(path, `op=SETACL&aclspec=${encodeURIComponent(c.existing)}`);
      assert.equal(set.status, 200, set.text);
      const spec = c.spec === undefined ? "" : `&aclspec=${encodeURIComponent(c.spec)}`;
      const r = await put(path, `op=${c.op}${spec}`);
      if (c.error !== undefined) {
        assert.equal(r.status, 403, r.text);
        assert.deepEqual(remoteException(r), {
          exception: "AclException",
          javaClassName: "org.apache.hadoop.hdfs.protocol.AclException",
          message: c.error.replace("@PATH@", path),
        });
        return;
      }
      assert.equal(r.status, 200, r.text);
      const status = (await call(t.emu, "GET", path, "op=GETACLSTATUS")).json.AclStatus;
      assert.equal(formatAclSpec(aclFromHdfs(status.permission, status)), c.expect);
    });
  });
});
