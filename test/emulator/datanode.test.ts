import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, remoteException, useEmulator } from "./helpers.ts";

describe("DataNode redirects and file operations (NamenodeWebHdfsMethods, DatanodeWebHdfsMethods)", () => {
  const t = useEmulator({ users: { bob: ["users"] } });
  const as = (user: string) => `user.name=${user}`;

  it("CREATE redirects with 307 to the DataNode port, which answers 201 with an hdfs:// Location", async () => {
    const first = await call(t.emu, "PUT", "/d/a.txt", `op=CREATE&${as("hdfs")}&permission=640`);
    assert.equal(first.status, 307);
    const loc = new URL(first.headers.get("location")!);
    assert.equal(loc.origin, t.emu.dataNodeUrl);
    assert.notEqual(loc.origin, t.emu.url);
    assert.equal(loc.pathname, "/webhdfs/v1/d/a.txt");
    assert.equal(loc.searchParams.get("namenoderpcaddress"), new URL(t.emu.url).host);
    assert.equal(loc.searchParams.get("user.name"), "hdfs");
    assert.equal(
      (await call(t.emu, "GET", "/d/a.txt", "op=GETFILESTATUS")).status,
      404,
      "the NameNode step writes nothing",
    );
    const res = await fetch(loc, { method: "PUT", body: "hello\n", redirect: "manual" });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("location"), `hdfs://${new URL(t.emu.url).host}/d/a.txt`);
    assert.equal(
      (await call(t.emu, "GET", "/d/a.txt", "op=GETFILESTATUS")).json.FileStatus.permission,
      "640",
    );
  });

  it("OPEN checks the file on the NameNode, then the DataNode serves the bytes and ranges", async () => {
    const missing = await call(t.emu, "GET", "/d/none", `op=OPEN&${as("hdfs")}`);
    assert.deepEqual(
      [missing.status, remoteException(missing).message],
      [404, "File does not exist: /d/none"],
    );
    const whole = await call(t.emu, "GET", "/d/a.txt", `op=OPEN&${as("hdfs")}`, { redirect: "follow" });
    assert.equal(whole.status, 200);
    assert.equal(whole.text, "hello\n");
    const part = await call(t.emu, "GET", "/d/a.txt", `op=OPEN&offset=1&length=3&${as("hdfs")}`, {
      redirect: "follow",
    });
    assert.equal(part.text, "ell");
  });

  it("OPEN needs READ on the file: the DataNode refuses as the NameNode would", async () => {
    const r = await call(t.emu, "GET", "/d/a.txt", `op=OPEN&${as("bob")}`, { redirect: "follow" });
    assert.equal(r.status, 403);
    assert.equal(remoteException(r).exception, "AccessControlException");
  });

  it("APPEND (POST) goes through the DataNode and adds to the file", async () => {
    const r = await call(t.emu, "POST", "/d/a.txt", `op=APPEND&${as("hdfs")}`, {
      body: "more\n",
      redirect: "follow",
    });
    assert.equal(r.status, 200);
    assert.equal((await call(t.emu, "GET", "/d/a.txt", "op=GETFILESTATUS")).json.FileStatus.length, 11);
  });

  it("noredirect=true answers 200 with the DataNode Location as JSON", async () => {
    const r = await call(t.emu, "PUT", "/d/n", `op=CREATE&noredirect=true&${as("hdfs")}`);
    assert.equal(r.status, 200);
    assert.equal(new URL(r.json.Location).origin, t.emu.dataNodeUrl);
  });

  it("RENAME moves a file, into an existing directory under its own name, and answers false when it cannot", async () => {
    await call(t.emu, "PUT", "/d/sub", `op=MKDIRS&${as("hdfs")}`);
    const mv = await call(t.emu, "PUT", "/d/a.txt", `op=RENAME&destination=/d/b.txt&${as("hdfs")}`);
    assert.deepEqual(mv.json, { boolean: true });
    const into = await call(t.emu, "PUT", "/d/b.txt", `op=RENAME&destination=/d/sub&${as("hdfs")}`);
    assert.deepEqual(into.json, { boolean: true });
    assert.equal((await call(t.emu, "GET", "/d/sub/b.txt", "op=GETFILESTATUS")).status, 200);
    const gone = await call(t.emu, "PUT", "/d/b.txt", `op=RENAME&destination=/d/c.txt&${as("hdfs")}`);
    assert.deepEqual(gone.json, { boolean: false });
    const noDest = await call(t.emu, "PUT", "/d/sub", `op=RENAME&${as("hdfs")}`);
    assert.equal(
      remoteException(noDest).message,
      "Required param destination for op: RENAME is null or empty",
    );
  });

  it("RENAME needs WRITE on both parents", async () => {
    const r = await call(t.emu, "PUT", "/d/sub/b.txt", `op=RENAME&destination=/d/x&${as("bob")}`);
    assert.equal(r.status, 403);
    assert.match(remoteException(r).message, /^Permission denied: user=bob, access=WRITE/);
  });

  it("GETHOMEDIRECTORY is /user/<caller>", async () => {
    const r = await call(t.emu, "GET", "/", `op=GETHOMEDIRECTORY&${as("bob")}`);
    assert.deepEqual(r.json, { Path: "/user/bob" });
  });

  it("SETTIMES sets either time, -1 keeps one, and needs WRITE", async () => {
    const r = await call(t.emu, "PUT", "/d/sub/b.txt", `op=SETTIMES&modificationtime=1000&${as("hdfs")}`);
    assert.equal(r.status, 200);
    const st = (await call(t.emu, "GET", "/d/sub/b.txt", "op=GETFILESTATUS")).json.FileStatus;
    assert.equal(st.modificationTime, 1000);
    assert.notEqual(st.accessTime, 1000);
    const denied = await call(t.emu, "PUT", "/d/sub/b.txt", `op=SETTIMES&accesstime=5&${as("bob")}`);
    assert.equal(denied.status, 403);
  });

  it("refuses // inside a path on create, as DFSUtil.isValidName does", async () => {
    const r = await call(t.emu, "PUT", "/d//e", `op=MKDIRS&${as("hdfs")}`);
    assert.equal(r.status, 400);
    assert.deepEqual(remoteException(r), {
      exception: "InvalidPathException",
      javaClassName: "org.apache.hadoop.fs.InvalidPathException",
      message: "Invalid path name Invalid file name: /d//e",
    });
  });

  it("fills childrenNum for directories as HDFS does, 0 for files", async () => {
    await call(t.emu, "PUT", "/kids/empty", `op=MKDIRS&${as("hdfs")}`);
    const list = (await call(t.emu, "GET", "/kids", "op=LISTSTATUS")).json.FileStatuses.FileStatus;
    assert.equal(list[0].childrenNum, 0);
    assert.equal((await call(t.emu, "GET", "/kids", "op=GETFILESTATUS")).json.FileStatus.childrenNum, 1);
  });
});
