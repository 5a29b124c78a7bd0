import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import { WebhdfsClient } from "../../../src/targets/webhdfs/client.ts";
import { WebhdfsRemoteError } from "../../../src/targets/webhdfs/errors.ts";
import { newClient, requests, resetCounts, useEmulators } from "./helpers.ts";

const spec = (s: string) => parseAclSpec(s);
const specKeys = (s: string) => parseAclSpec(s, { requirePerm: false });

describe("WebhdfsClient against the emulator", () => {
  const emus = useEmulators(1, { lsLimit: 3 });
  let client: WebhdfsClient;
  before(() => {
    client = newClient(emus);
  });
  after(() => client.close());

  it("creates, stats, lists and deletes", async () => {
    assert.equal(await client.mkdirs("/rt/dir", 0o750), true);
    await client.create("/rt/dir/f.txt", "hello", { permission: 0o640 });
    const st = await client.getFileStatus("/rt/dir/f.txt");
    assert.equal(st.type, "FILE");
    assert.equal(st.length, 5);
    assert.equal(st.permission, "640");
    assert.equal(emus[0]!.fs.getFileStatus("/rt/dir").permission, "750");
    assert.deepEqual(
      (await client.listStatus("/rt/dir")).map((s) => s.pathSuffix),
      ["f.txt"],
    );
    assert.equal(await client.delete("/rt", true), true);
    assert.equal(await client.delete("/rt", true), false);
  });

  it("round-trips every ACL op", async () => {
    await client.mkdirs("/acl");
    await client.setAcl("/acl", spec("user::rwx,user:alice:r-x,group::r-x,mask::r-x,other::---"));
    assert.deepEqual((await client.getAclStatus("/acl")).entries, ["user:alice:r-x", "group::r-x"]);

    await client.modifyAclEntries("/acl", spec("group:eng:rwx,default:user:alice:r-x"));
    const modified = await client.getAclStatus("/acl");
    assert.deepEqual(modified.entries, [
      "user:alice:r-x",
      "group::r-x",
      "group:eng:rwx",
      "default:user::rwx",
      "default:user:alice:r-x",
      "default:group::r-x",
      "default:mask::r-x",
      "default:other::---",
    ]);
    assert.equal(modified.permission, "770");

    await client.removeAclEntries("/acl", specKeys("user:alice:"));
    assert.deepEqual((await client.getAclStatus("/acl")).entries.slice(0, 2), [
      "group::r-x",
      "group:eng:rwx",
    ]);

    await client.removeDefaultAcl("/acl");
    assert.deepEqual((await client.getAclStatus("/acl")).entries, ["group::r-x", "group:eng:rwx"]);

    await client.removeAcl("/acl");
    const removed = await client.getAclStatus("/acl");
    assert.deepEqual(removed.entries, []);
    assert.equal((await client.getFileStatus("/acl")).aclBit, undefined);
  });

  it("handles names with spaces, %, =, #, ?, + and unicode", async () => {
    const dir = "/special/a b%20c=d#e?f+g/数据 ü";
    await client.mkdirs(dir);
    await client.create(`${dir}/x y%.csv`, "1");
    await client.modifyAclEntries(`${dir}/x y%.csv`, spec("user:bob:r--"));
    assert.deepEqual(emus[0]!.fs.getAclStatus(`${dir}/x y%.csv`).entries, ["user:bob:r--", "group::r--"]);
    assert.deepEqual(
      (await client.listStatus("/special")).map((s) => s.pathSuffix),
      ["a b%20c=d#e?f+g"],
    );
    assert.equal((await client.getFileStatus(dir)).type, "DIRECTORY");
  });

  it("pages through a directory larger than the NameNode's listing limit", async () => {
    const names = Array.from({ length: 8 }, (_, i) => `n ${i}`);
    for (const n of names) emus[0]!.fs.create(`/paged/${n}`, { data: "" });
    resetCounts(emus);
    const pages: string[][] = [];
    for await (const page of client.listStatusBatches("/paged")) pages.push(page.map((s) => s.pathSuffix));
    assert.deepEqual(pages, [names.slice(0, 3), names.slice(3, 6), names.slice(6)]);
    assert.equal(requests(emus).LISTSTATUS_BATCH, 3);
  });

  it("turns RemoteException answers into typed errors without retrying them", async () => {
    emus[0]!.fs.create("/final/file", { data: "" });
    resetCounts(emus);
    const missing = await client.getFileStatus("/final/missing").catch((e: unknown) => e);
    assert.ok(missing instanceof WebhdfsRemoteError);
    assert.equal(missing.status, 404);
    assert.equal(missing.javaClassName, "java.io.FileNotFoundException");
    assert.equal(missing.op, "GETFILESTATUS");
    assert.equal(missing.path, "/final/missing");

    const onFile = await client.modifyAclEntries("/final/file", spec("default:user:a:r--")).catch((e) => e);
    assert.ok(onFile instanceof WebhdfsRemoteError && onFile.is("AclException"), String(onFile));

    const badName = await client.modifyAclEntries("/final/file", spec("user:a@b:r--")).catch((e) => e);
    assert.ok(badName instanceof WebhdfsRemoteError && badName.is("IllegalArgumentException"));
    assert.equal(badName.status, 400);

    assert.deepEqual(requests(emus), { GETFILESTATUS: 1, MODIFYACLENTRIES: 2 });
  });

  it("sends user.name so the NameNode checks ownership, and never puts it in errors", async () => {
    const bob = newClient(emus, { user: "bob" });
    try {
      emus[0]!.fs.mkdirs("/owned");
      resetCounts(emus);
      const err = await bob.modifyAclEntries("/owned", spec("user:bob:rwx")).catch((e: unknown) => e);
      assert.ok(err instanceof WebhdfsRemoteError && err.is("AccessControlException"), String(err));
      assert.doesNotMatch(err.message, /user\.name/);
      assert.deepEqual(requests(emus), { MODIFYACLENTRIES: 1 });
    } finally {
      await bob.close();
    }
  });

  it("authenticates with a delegation token instead of user.name", async () => {
    const res = await fetch(`${emus[0]!.url}/webhdfs/v1/?op=GETDELEGATIONTOKEN&user.name=hdfs`);
    const token = ((await res.json()) as { Token: { urlString: string } }).Token.urlString;
    const withToken = newClient(emus, { user: undefined, delegation: token });
    try {
      emus[0]!.fs.mkdirs("/token");
      await withToken.modifyAclEntries("/token", spec("group:g:r-x"));
      assert.deepEqual(emus[0]!.fs.getAclStatus("/token").entries, ["group::r-x", "group:g:r-x"]);
    } finally {
      await withToken.close();
    }
  });

  it("reports a refused aclspec as GS_WEBHDFS_REMOTE with the path as location", async () => {
    const err = await client.removeAclEntries("/nowhere", specKeys("user:x:")).catch((e: unknown) => e);
    assert.ok(isGsError(err, "GS_WEBHDFS_REMOTE"));
    assert.equal(err.location, "/nowhere");
  });
});

describe("WebhdfsClient and redirects", () => {
  let server: Server;
  let url = "";
  before(async () => {
    // A proxy in front of a NameNode that redirects an ACL op: only CREATE's 307 carries meaning.
    server = createServer((_req, res) => {
      res.writeHead(307, { Location: "http://127.0.0.1:9/elsewhere" });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("takes a 307 on any op but CREATE as a failure, not an empty success", async () => {
    const client = new WebhdfsClient({ namenodes: [url], user: "hdfs", connections: 1, timeoutMs: 2_000 });
    try {
      await assert.rejects(
        client.removeAcl("/p"),
        (e) => e instanceof WebhdfsRemoteError && e.exception === "HTTP 307",
      );
    } finally {
      await client.close();
    }
  });
});

describe("WebhdfsClient and aborts", () => {
  // A NameNode that never answers: only the signal can end these requests.
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("ends requests on the wire and requests still queued with the signal's reason", async () => {
    // One connection and four in flight: three requests wait in undici's queue, not on a socket.
    const client = new WebhdfsClient({ namenodes: [url], user: "hdfs", connections: 1, maxInFlight: 4 });
    try {
      const controller = new AbortController();
      const pending = ["/a", "/b", "/c", "/d"].map((p) => client.getAclStatus(p, controller.signal));
      await new Promise((r) => setTimeout(r, 50));
      const reason = new Error("stop");
      controller.abort(reason);
      const results = await Promise.allSettled(pending);
      assert.deepEqual(
        results.map((r) => r.status === "rejected" && r.reason === reason),
        [true, true, true, true],
      );
      await assert.rejects(client.getAclStatus("/e", controller.signal), (e) => e === reason);
    } finally {
      await client.close();
    }
  });
});
