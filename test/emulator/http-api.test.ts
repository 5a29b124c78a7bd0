import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, remoteException, useEmulator } from "./helpers.ts";

const FILE_STATUS_KEYS = [
  "accessTime",
  "blockSize",
  "childrenNum",
  "fileId",
  "group",
  "length",
  "modificationTime",
  "owner",
  "pathSuffix",
  "permission",
  "replication",
  "storagePolicy",
  "type",
];

describe("WebHDFS REST API examples", () => {
  const t = useEmulator({ lsLimit: 2 });

  it("MKDIRS answers {boolean:true} as application/json, also for an existing directory", async () => {
    const r = await call(t.emu, "PUT", "/user/webuser", "op=MKDIRS&user.name=hdfs");
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.deepEqual(r.json, { boolean: true });
    assert.deepEqual((await call(t.emu, "PUT", "/user/webuser", "op=MKDIRS&user.name=hdfs")).json, {
      boolean: true,
    });
  });

  it("GETFILESTATUS of a directory has the documented keys in alphabetical order", async () => {
    await call(t.emu, "PUT", "/d1", "op=MKDIRS&permission=711&user.name=hdfs");
    const r = await call(t.emu, "GET", "/d1", "op=GETFILESTATUS");
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "application/json");
    const fs = r.json.FileStatus;
    assert.deepEqual(Object.keys(fs), FILE_STATUS_KEYS);
    assert.equal(fs.type, "DIRECTORY");
    assert.equal(fs.pathSuffix, "");
    assert.equal(fs.permission, "711");
    assert.equal(fs.owner, "hdfs");
    assert.equal(fs.group, "supergroup");
    assert.equal(fs.accessTime, 0);
    assert.equal(fs.blockSize, 0);
    assert.equal(fs.replication, 0);
    assert.ok(fs.fileId > 16385);
  });

  it("GETFILESTATUS of a missing path is 404 FileNotFoundException", async () => {
    const r = await call(t.emu, "GET", "/foo/a.patch", "op=GETFILESTATUS");
    assert.equal(r.status, 404);
    assert.equal(r.headers.get("content-type"), "application/json");
    assert.deepEqual(r.json, {
      RemoteException: {
        exception: "FileNotFoundException",
        javaClassName: "java.io.FileNotFoundException",
        message: "File does not exist: /foo/a.patch",
      },
    });
  });

  it("CREATE redirects with 307 to the DataNode, which answers 201 with an hdfs:// Location", async () => {
    const first = await call(t.emu, "PUT", "/c/a.patch", "op=CREATE&user.name=hdfs&permission=640");
    assert.equal(first.status, 307);
    assert.equal(first.text, "");
    const location = first.headers.get("location")!;
    const loc = new URL(location);
    assert.equal(loc.origin, t.emu.dataNodeUrl);
    assert.equal(loc.pathname, "/webhdfs/v1/c/a.patch");
    assert.equal(loc.searchParams.get("op"), "CREATE");
    // The NameNode step does not touch the namespace.
    assert.equal((await call(t.emu, "GET", "/c/a.patch", "op=GETFILESTATUS")).status, 404);

    const res = await fetch(location, { method: "PUT", body: "Hello, webhdfs user!\n", redirect: "manual" });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("content-length"), "0");
    assert.equal(res.headers.get("location"), `hdfs://${new URL(t.emu.url).host}/c/a.patch`);
    const st = (await call(t.emu, "GET", "/c/a.patch", "op=GETFILESTATUS")).json.FileStatus;
    assert.equal(st.type, "FILE");
    assert.equal(st.length, 21);
    assert.equal(st.permission, "640");
    assert.equal(st.replication, 3);
    assert.equal(st.blockSize, 134217728);
    assert.ok(st.accessTime > 0);
  });

  it("CREATE follows redirects transparently and honours overwrite", async () => {
    const put = (q: string) =>
      call(t.emu, "PUT", "/c/b", `op=CREATE&user.name=hdfs${q}`, { body: "x", redirect: "follow" });
    assert.equal((await put("")).status, 201);
    const again = await put("");
    assert.equal(again.status, 403);
    assert.equal(remoteException(again).exception, "FileAlreadyExistsException");
    assert.match(remoteException(again).message, /^\/c\/b for client .* already exists$/);
    assert.equal((await put("&overwrite=true")).status, 201);
  });

  it("CREATE with noredirect=true returns the Location as JSON", async () => {
    const r = await call(t.emu, "PUT", "/c/n", "op=CREATE&noredirect=true&user.name=hdfs");
    assert.equal(r.status, 200);
    assert.match(r.json.Location, /\/webhdfs\/v1\/c\/n\?.*op=CREATE/);
    assert.equal(new URL(r.json.Location).origin, t.emu.dataNodeUrl);
  });

  it("CREATE defaults to 644 and refuses a directory", async () => {
    await call(t.emu, "PUT", "/c/def", "op=CREATE&user.name=hdfs&data=true");
    assert.equal((await call(t.emu, "GET", "/c/def", "op=GETFILESTATUS")).json.FileStatus.permission, "644");
    const r = await call(t.emu, "PUT", "/c", "op=CREATE&user.name=hdfs&data=true");
    assert.equal(r.status, 403);
    assert.equal(remoteException(r).message, "/c already exists as a directory");
  });

  it("LISTSTATUS lists children byte-wise sorted; on a file it lists the file with an empty suffix", async () => {
    for (const name of ["b", "a", "Z", "é"]) {
      await call(t.emu, "PUT", `/ls/${encodeURIComponent(name)}`, "op=MKDIRS&user.name=hdfs");
    }
    const r = await call(t.emu, "GET", "/ls", "op=LISTSTATUS");
    assert.equal(r.status, 200);
    const names = r.json.FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix);
    assert.deepEqual(names, ["Z", "a", "b", "é"]);
    await call(t.emu, "PUT", "/ls/a/f", "op=CREATE&user.name=hdfs&data=true");
    const f = await call(t.emu, "GET", "/ls/a/f", "op=LISTSTATUS");
    assert.equal(f.json.FileStatuses.FileStatus.length, 1);
    assert.equal(f.json.FileStatuses.FileStatus[0].pathSuffix, "");
    assert.equal(f.json.FileStatuses.FileStatus[0].type, "FILE");
    const dir = (await call(t.emu, "GET", "/ls", "op=GETFILESTATUS")).json.FileStatus;
    assert.equal(dir.childrenNum, 4);
  });

  it("LISTSTATUS_BATCH pages by dfs.ls.limit with startAfter (case-insensitive name, need not exist)", async () => {
    const page = async (after?: string) =>
      (
        await call(
          t.emu,
          "GET",
          "/ls",
          `op=liststatus_batch${after ? `&startAfter=${encodeURIComponent(after)}` : ""}`,
        )
      ).json.DirectoryListing;
    const p1 = await page();
    assert.deepEqual(Object.keys(p1), ["partialListing", "remainingEntries"]);
    assert.deepEqual(
      p1.partialListing.FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix),
      ["Z", "a"],
    );
    assert.equal(p1.remainingEntries, 2);
    const p2 = await page("a");
    assert.deepEqual(
      p2.partialListing.FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix),
      ["b", "é"],
    );
    assert.equal(p2.remainingEntries, 0);
    const p3 = await page("aa");
    assert.deepEqual(
      p3.partialListing.FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix),
      ["b", "é"],
    );
    const r = await call(t.emu, "GET", "/ls", "op=LISTSTATUS_BATCH&startafter=b");
    assert.equal(r.json.DirectoryListing.partialListing.FileStatuses.FileStatus[0].pathSuffix, "é");
  });

  it("LISTSTATUS_BATCH of a missing directory is 404 'File <p> does not exist.'", async () => {
    const r = await call(t.emu, "GET", "/nope", "op=LISTSTATUS_BATCH");
    assert.equal(r.status, 404);
    assert.equal(remoteException(r).message, "File /nope does not exist.");
  });

  it("DELETE answers {boolean}, refuses a non-empty directory unless recursive, false when missing", async () => {
    await call(t.emu, "PUT", "/del/x/y", "op=MKDIRS&user.name=hdfs");
    const refused = await call(t.emu, "DELETE", "/del", "op=DELETE&user.name=hdfs");
    assert.equal(refused.status, 403);
    assert.equal(remoteException(refused).exception, "PathIsNotEmptyDirectoryException");
    assert.equal(remoteException(refused).message, "`/del is non empty': Directory is not empty");
    const ok = await call(t.emu, "DELETE", "/del", "op=DELETE&recursive=true&user.name=hdfs");
    assert.deepEqual([ok.status, ok.json], [200, { boolean: true }]);
    const missing = await call(t.emu, "DELETE", "/del", "op=DELETE&user.name=hdfs");
    assert.deepEqual([missing.status, missing.json], [200, { boolean: false }]);
  });

  it("GETACLSTATUS of a plain directory: empty entries, keys alphabetical", async () => {
    const r = await call(t.emu, "GET", "/d1", "op=GETACLSTATUS");
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json.AclStatus), ["entries", "group", "owner", "permission", "stickyBit"]);
    assert.deepEqual(r.json.AclStatus, {
      entries: [],
      group: "supergroup",
      owner: "hdfs",
      permission: "711",
      stickyBit: false,
    });
  });

  it("the ACL write ops answer 200 with an empty application/octet-stream body", async () => {
    await call(t.emu, "PUT", "/acl", "op=MKDIRS&user.name=hdfs");
    const q = [
      "op=SETACL&aclspec=user::rwx,user:carla:rw-,group::r-x,other::r-x",
      "op=MODIFYACLENTRIES&aclspec=group:eng:r-x",
      "op=REMOVEACLENTRIES&aclspec=group:eng:",
      "op=REMOVEDEFAULTACL",
    ];
    for (const query of q) {
      const r = await call(t.emu, "PUT", "/acl", `${query}&user.name=hdfs`);
      assert.equal(r.status, 200, query);
      assert.equal(r.text, "");
      assert.equal(r.headers.get("content-type"), "application/octet-stream");
      assert.equal(r.headers.get("content-length"), "0");
    }
    const st = await call(t.emu, "GET", "/acl", "op=GETACLSTATUS");
    assert.deepEqual(st.json, {
      AclStatus: {
        entries: ["user:carla:rw-", "group::r-x"],
        group: "supergroup",
        owner: "hdfs",
        permission: "775",
        stickyBit: false,
      },
    });
    const fst = (await call(t.emu, "GET", "/acl", "op=GETFILESTATUS")).json.FileStatus;
    assert.equal(fst.aclBit, true);
    assert.equal((await call(t.emu, "PUT", "/acl", "op=REMOVEACL&user.name=hdfs")).status, 200);
    const after = (await call(t.emu, "GET", "/acl", "op=GETACLSTATUS")).json.AclStatus;
    assert.deepEqual([after.entries, after.permission], [[], "755"]);
    assert.equal((await call(t.emu, "GET", "/acl", "op=GETFILESTATUS")).json.FileStatus.aclBit, undefined);
  });

  it("SETPERMISSION and SETOWNER answer 200 with an empty body; the sticky bit shows in both JSONs", async () => {
    await call(t.emu, "PUT", "/tmp", "op=MKDIRS&user.name=hdfs");
    const p = await call(t.emu, "PUT", "/tmp", "op=SETPERMISSION&permission=1777&user.name=hdfs");
    assert.deepEqual([p.status, p.text, p.headers.get("content-length")], [200, "", "0"]);
    const o = await call(t.emu, "PUT", "/tmp", "op=SETOWNER&owner=alice&group=users&user.name=hdfs");
    assert.deepEqual([o.status, o.text], [200, ""]);
    const fst = (await call(t.emu, "GET", "/tmp", "op=GETFILESTATUS")).json.FileStatus;
    assert.deepEqual([fst.permission, fst.owner, fst.group], ["1777", "alice", "users"]);
    const acl = (await call(t.emu, "GET", "/tmp", "op=GETACLSTATUS")).json.AclStatus;
    assert.deepEqual([acl.permission, acl.stickyBit], ["1777", true]);
    const none = await call(t.emu, "PUT", "/tmp", "op=SETOWNER&user.name=hdfs");
    assert.deepEqual([none.status, remoteException(none).message], [400, "Both owner and group are empty."]);
  });
});
