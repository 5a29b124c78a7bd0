import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, remoteException, useEmulator } from "./helpers.ts";

describe("WebHDFS parameter parsing", () => {
  const t = useEmulator();

  it("lower-cases parameter names and upper-cases the op value", async () => {
    await call(t.emu, "PUT", "/p", "OP=mkdirs&User.Name=hdfs");
    const r = await call(
      t.emu,
      "PUT",
      "/p",
      "op=setAcl&aclSpec=user::rwx,group::r-x,other::---,user:bob:r--&USER.NAME=hdfs",
    );
    assert.equal(r.status, 200);
    assert.deepEqual((await call(t.emu, "GET", "/p", "op=getaclstatus")).json.AclStatus.entries, [
      "user:bob:r--",
      "group::r-x",
    ]);
  });

  it("an op sent with the wrong method is 400 IllegalArgumentException", async () => {
    const r = await call(t.emu, "GET", "/p", "op=SETACL&aclspec=user::rwx");
    assert.equal(r.status, 400);
    assert.deepEqual(r.json.RemoteException, {
      exception: "IllegalArgumentException",
      javaClassName: "java.lang.IllegalArgumentException",
      message: 'Invalid value for webhdfs parameter "op": SETACL is not a valid GET operation.',
    });
    const put = await call(t.emu, "PUT", "/p", "op=GETFILESTATUS");
    assert.equal(put.status, 400);
    assert.equal(
      remoteException(put).message,
      'Invalid value for webhdfs parameter "op": GETFILESTATUS is not a valid PUT operation.',
    );
  });

  it("refuses an aclspec that fails the pattern, naming the pattern", async () => {
    const r = await call(
      t.emu,
      "PUT",
      "/p",
      `op=MODIFYACLENTRIES&aclspec=${encodeURIComponent("user:a@b:rwx")}&user.name=hdfs`,
    );
    assert.equal(r.status, 400);
    assert.equal(remoteException(r).javaClassName, "java.lang.IllegalArgumentException");
    assert.equal(
      remoteException(r).message,
      'Invalid value for webhdfs parameter "aclspec": Invalid value: "user:a@b:rwx" does not belong to the domain ' +
        "^(default:)?(user|group|mask|other):[[A-Za-z_][A-Za-z0-9._-]]*:([rwx-]{3})?(,(default:)?(user|group|mask|other):[[A-Za-z_][A-Za-z0-9._-]]*:([rwx-]{3})?)*$",
    );
    for (const bad of ["USER:bob:rwx", "user:bob", "user:bob:rwx,", "user:b c:rwx"]) {
      const b = await call(t.emu, "PUT", "/p", `op=SETACL&aclspec=${encodeURIComponent(bad)}&user.name=hdfs`);
      assert.equal(b.status, 400, bad);
      assert.equal(remoteException(b).exception, "IllegalArgumentException", bad);
    }
  });

  it("refuses aclspec entries that pass the pattern but not AclEntry.parseAclEntry", async () => {
    const cases: [string, string, string][] = [
      ["SETACL", "user:bob:", "Invalid <aclSpec> : user:bob:"],
      ["MODIFYACLENTRIES", "mask::", "Invalid <aclSpec> : mask::"],
      ["REMOVEACLENTRIES", "user:bob:rw-", "Invalid <aclSpec> : user:bob:rw-"],
      ["SETACL", "user:bob:xwr", "Invalid permission in <aclSpec> : user:bob:xwr"],
    ];
    for (const [op, spec, message] of cases) {
      const r = await call(t.emu, "PUT", "/p", `op=${op}&aclspec=${encodeURIComponent(spec)}&user.name=hdfs`);
      assert.equal(r.status, 400, spec);
      assert.deepEqual(remoteException(r), {
        exception: "HadoopIllegalArgumentException",
        javaClassName: "org.apache.hadoop.HadoopIllegalArgumentException",
        message,
      });
    }
  });

  it("a missing or empty aclspec is 'Required param aclspec for op: … is null or empty'", async () => {
    for (const op of ["SETACL", "MODIFYACLENTRIES", "REMOVEACLENTRIES"]) {
      for (const q of [`op=${op}`, `op=${op}&aclspec=`]) {
        const r = await call(t.emu, "PUT", "/p", `${q}&user.name=hdfs`);
        assert.equal(r.status, 400);
        assert.equal(remoteException(r).message, `Required param aclspec for op: ${op} is null or empty`);
      }
    }
  });

  it("refuses a malformed permission", async () => {
    const r = await call(t.emu, "PUT", "/q", "op=MKDIRS&permission=789&user.name=hdfs");
    assert.equal(r.status, 400);
    assert.equal(
      remoteException(r).message,
      'Invalid value for webhdfs parameter "permission": Failed to parse "789" as a radix-8 short integer.',
    );
    const big = await call(t.emu, "PUT", "/q", "op=MKDIRS&permission=2000&user.name=hdfs");
    assert.equal(
      remoteException(big).message,
      'Invalid value for webhdfs parameter "permission": Invalid parameter range: permission = 2000 > 1777',
    );
  });

  it("refuses invalid path names on create", async () => {
    const r = await call(t.emu, "PUT", "/a:b", "op=MKDIRS&user.name=hdfs");
    assert.equal(r.status, 400);
    assert.deepEqual(remoteException(r), {
      exception: "InvalidPathException",
      javaClassName: "org.apache.hadoop.fs.InvalidPathException",
      message: "Invalid path name Invalid file name: /a:b",
    });
  });
});
