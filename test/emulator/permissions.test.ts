import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, remoteException, useEmulator } from "./helpers.ts";

describe("owner and superuser checks", () => {
  const t = useEmulator({ users: { carol: ["supergroup"], alice: ["users"], bob: ["users"] } });
  const as = (user: string) => `user.name=${user}`;

  it("only the owner or a superuser may change ACLs, permissions and ownership", async () => {
    await call(t.emu, "PUT", "/p", `op=MKDIRS&${as("hdfs")}`);
    await call(t.emu, "PUT", "/p", `op=SETOWNER&owner=alice&${as("hdfs")}`);
    for (const q of [
      "op=SETACL&aclspec=user::rwx,group::r-x,other::---",
      "op=MODIFYACLENTRIES&aclspec=user:bob:rwx",
      "op=REMOVEACLENTRIES&aclspec=user:bob:",
      "op=REMOVEDEFAULTACL",
      "op=REMOVEACL",
      "op=SETPERMISSION&permission=777",
      "op=SETOWNER&owner=bob",
    ]) {
      const r = await call(t.emu, "PUT", "/p", `${q}&${as("bob")}`);
      assert.equal(r.status, 403, q);
      assert.deepEqual(remoteException(r), {
        exception: "AccessControlException",
        javaClassName: "org.apache.hadoop.security.AccessControlException",
        message: "Permission denied. user=bob is not the owner of inode=/p",
      });
    }
    assert.equal(
      (await call(t.emu, "PUT", "/p", `op=MODIFYACLENTRIES&aclspec=user:bob:rwx&${as("alice")}`)).status,
      200,
    );
    // carol is a superuser through dfs.permissions.superusergroup.
    assert.equal((await call(t.emu, "PUT", "/p", `op=REMOVEACL&${as("carol")}`)).status, 200);
  });

  it("a non-superuser owner may not give a file away nor pick a group they are not in", async () => {
    const give = await call(t.emu, "PUT", "/p", `op=SETOWNER&owner=bob&${as("alice")}`);
    assert.equal(
      remoteException(give).message,
      "User alice is not a super user (non-super user cannot change owner).",
    );
    const grp = await call(t.emu, "PUT", "/p", `op=SETOWNER&group=wheel&${as("alice")}`);
    assert.equal(remoteException(grp).message, "User alice does not belong to wheel");
    assert.equal((await call(t.emu, "PUT", "/p", `op=SETOWNER&group=users&${as("alice")}`)).status, 200);
  });

  it("ACL writes on a missing path are 404 before any ownership check", async () => {
    const r = await call(t.emu, "PUT", "/missing", `op=REMOVEACL&${as("bob")}`);
    assert.equal(r.status, 404);
    assert.equal(remoteException(r).message, "Directory/File does not exist /missing");
    const g = await call(t.emu, "GET", "/missing", "op=GETACLSTATUS");
    assert.deepEqual([g.status, remoteException(g).message], [404, "cannot find /missing"]);
  });

  it("a request without user.name runs as dr.who; a bad user.name is refused", async () => {
    const r = await call(t.emu, "PUT", "/p", "op=REMOVEACL");
    assert.equal(remoteException(r).message, "Permission denied. user=dr.who is not the owner of inode=/p");
    const bad = await call(t.emu, "GET", "/p", "op=GETFILESTATUS&user.name=123");
    assert.equal(bad.status, 400);
    assert.equal(
      remoteException(bad).message,
      'Invalid value for webhdfs parameter "user.name": Invalid value: "123" does not belong to the domain ^[A-Za-z_][A-Za-z0-9._-]*[$]?$',
    );
  });

  it("delegation tokens issued by GETDELEGATIONTOKEN authenticate later requests", async () => {
    const tok = await call(t.emu, "GET", "/", `op=GETDELEGATIONTOKEN&${as("alice")}`);
    const token = tok.json.Token.urlString as string;
    const r = await call(t.emu, "PUT", "/p", `op=MODIFYACLENTRIES&aclspec=user:y:r--&delegation=${token}`);
    assert.equal(r.status, 200);
    const twice = await call(t.emu, "GET", "/", `op=GETDELEGATIONTOKEN&delegation=${token}`);
    assert.deepEqual(
      [twice.status, remoteException(twice).message],
      [400, "delegation parameter is not null."],
    );
    assert.equal(
      (await call(t.emu, "PUT", "/", `op=CANCELDELEGATIONTOKEN&token=${token}&${as("alice")}`)).status,
      200,
    );
    const stale = await call(t.emu, "GET", "/p", `op=GETFILESTATUS&delegation=${token}`);
    assert.equal(stale.status, 403);
    assert.equal(remoteException(stale).exception, "SecurityException");
    assert.match(
      remoteException(stale).message,
      /SecretManager\$InvalidToken: token \(.*\) can't be found in cache$/,
    );
  });
});

describe("permission enforcement (FSPermissionChecker)", () => {
  const t = useEmulator({ users: { bob: ["users"], dave: ["eng"], erin: ["ops"] } });
  const get = (path: string, user: string) => call(t.emu, "GET", path, `op=GETFILESTATUS&user.name=${user}`);
  const acl = (spec: string) =>
    call(t.emu, "PUT", "/secure", `op=MODIFYACLENTRIES&aclspec=${encodeURIComponent(spec)}&user.name=hdfs`);

  it("traversal needs EXECUTE on every ancestor and names the inode that refused", async () => {
    await call(t.emu, "PUT", "/secure/in", "op=MKDIRS&user.name=hdfs");
    await call(t.emu, "PUT", "/secure", "op=SETPERMISSION&permission=700&user.name=hdfs");
    const r = await get("/secure/in", "bob");
    assert.equal(r.status, 403);
    assert.equal(
      remoteException(r).message,
      'Permission denied: user=bob, access=EXECUTE, inode="/secure":hdfs:supergroup:drwx------',
    );
    assert.equal((await get("/secure/in", "hdfs")).status, 200);
  });

  it("a named user entry grants through the mask; the mask can take it away", async () => {
    await acl("user:bob:--x");
    assert.equal((await get("/secure/in", "bob")).status, 200);
    await acl("mask::---");
    assert.equal((await get("/secure/in", "bob")).status, 403);
  });

  it("group entries (owning or named) grant to members, masked; a matching group that denies stops at other", async () => {
    await acl("group:eng:--x,mask::--x");
    assert.equal((await get("/secure/in", "dave")).status, 200);
    await call(t.emu, "PUT", "/secure", "op=SETPERMISSION&permission=701&user.name=hdfs");
    assert.equal((await get("/secure/in", "erin")).status, 200); // no entry matches: other decides
    await acl("group:ops:---");
    assert.equal((await get("/secure/in", "erin")).status, 403); // matched a group, none granted
  });

  it("the owner bits decide for the owner, with no fall-through to groups or other", async () => {
    await call(t.emu, "PUT", "/own", "op=MKDIRS&user.name=hdfs");
    await call(t.emu, "PUT", "/own/x", "op=MKDIRS&user.name=hdfs");
    await call(t.emu, "PUT", "/own", "op=SETOWNER&owner=bob&user.name=hdfs");
    await call(t.emu, "PUT", "/own", "op=SETPERMISSION&permission=077&user.name=hdfs");
    assert.equal((await get("/own/x", "bob")).status, 403);
    await call(
      t.emu,
      "PUT",
      "/own",
      "op=MODIFYACLENTRIES&aclspec=group:users:rwx,user:bob:rwx&user.name=hdfs",
    );
    assert.equal((await get("/own/x", "bob")).status, 403);
  });

  it("LISTSTATUS needs READ_EXECUTE on the directory; default entries grant nothing", async () => {
    await call(t.emu, "PUT", "/list", "op=MKDIRS&user.name=hdfs");
    await call(t.emu, "PUT", "/list", "op=SETPERMISSION&permission=711&user.name=hdfs");
    await call(t.emu, "PUT", "/list", "op=MODIFYACLENTRIES&aclspec=default:user:bob:rwx&user.name=hdfs");
    const r = await call(t.emu, "GET", "/list", "op=LISTSTATUS&user.name=bob");
    assert.equal(r.status, 403);
    assert.match(
      remoteException(r).message,
      /access=READ_EXECUTE, inode="\/list":hdfs:supergroup:drwx--x--x$/,
    );
  });

  it("creating needs WRITE on the nearest existing ancestor; a file as a parent is refused", async () => {
    const r = await call(t.emu, "PUT", "/own2/a/b", "op=MKDIRS&user.name=bob");
    assert.equal(r.status, 403);
    assert.equal(
      remoteException(r).message,
      'Permission denied: user=bob, access=WRITE, inode="/":hdfs:supergroup:drwxr-xr-x',
    );
    await call(t.emu, "PUT", "/file", "op=CREATE&data=true&user.name=hdfs");
    const under = await call(t.emu, "PUT", "/file/x", "op=MKDIRS&user.name=hdfs");
    assert.deepEqual([under.status, remoteException(under).exception], [403, "ParentNotDirectoryException"]);
    assert.equal(remoteException(under).message, "/file (is not a directory)");
    const read = await call(t.emu, "GET", "/file/x", "op=GETFILESTATUS");
    assert.deepEqual([read.status, remoteException(read).exception], [403, "AccessControlException"]);
    const mk = await call(t.emu, "PUT", "/file", "op=MKDIRS&user.name=hdfs");
    assert.equal(remoteException(mk).message, "Path is not a directory: /file");
  });

  it("the sticky bit limits deletion to the file's or directory's owner", async () => {
    await call(t.emu, "PUT", "/tmp", "op=MKDIRS&permission=1777&user.name=hdfs");
    await call(t.emu, "PUT", "/tmp/d", "op=MKDIRS&user.name=dave");
    const r = await call(t.emu, "DELETE", "/tmp/d", "op=DELETE&user.name=bob");
    assert.equal(r.status, 403);
    assert.equal(
      remoteException(r).message,
      'Permission denied by sticky bit: user=bob, path="/tmp/d":dave:supergroup:drwxr-xr-x, parent="/tmp":hdfs:supergroup:drwxrwxrwt',
    );
    assert.deepEqual((await call(t.emu, "DELETE", "/tmp/d", "op=DELETE&user.name=dave")).json, {
      boolean: true,
    });
  });
});
