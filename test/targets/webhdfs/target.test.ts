import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import { type Acl, sameAcl } from "../../../src/acl/entry.ts";
import { mergeAcl } from "../../../src/acl/merge.ts";
import { formatAclSpec, parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import type { SkippedPath, TargetNode } from "../../../src/targets/target.ts";
import type { WebhdfsTarget } from "../../../src/targets/webhdfs/target.ts";
import { newTarget, requests, resetCounts, useEmulators } from "./helpers.ts";

const spec = (s: string) => parseAclSpec(s);

async function walkAll(target: WebhdfsTarget, root: string, descend?: (d: TargetNode) => boolean) {
  const visited: TargetNode[] = [];
  const skipped: SkippedPath[] = [];
  await target.walk(root, { visit: (n) => void visited.push(n), skip: (s) => void skipped.push(s), descend });
  return { visited, skipped, paths: visited.map((n) => n.path) };
}

describe("WebhdfsTarget.walk", () => {
  const emus = useEmulators(1, { lsLimit: 3 });
  let target: WebhdfsTarget;
  const dirs = ["/w", "/w/d0", "/w/d1", "/w/d1/deep", "/w/d1/deep/er", "/w/d2", "/w/empty"];
  const files = dirs.filter((d) => d !== "/w/empty").flatMap((d) => [1, 2, 3, 4].map((i) => `${d}/f${i}`));
  before(() => {
    const fs = emus[0]!.fs;
    for (const d of dirs) fs.mkdirs(d);
    for (const f of files) fs.create(f, { data: "x" });
    fs.modifyAclEntries("/w/d1", "user:alice:r-x,default:group:eng:r-x");
    fs.modifyAclEntries("/w/d1/f2", "group:eng:rw-");
    target = newTarget(emus, { concurrency: 3 });
  });
  after(() => target.close());
  beforeEach(() => resetCounts(emus));

  it("visits every node once, parents before children, with the NameNode's ACLs", async () => {
    const { visited, paths, skipped } = await walkAll(target, "/w");
    assert.deepEqual([...paths].sort(), [...dirs, ...files].sort());
    assert.deepEqual(skipped, []);
    for (const [i, p] of paths.entries()) {
      const parent = p.slice(0, p.lastIndexOf("/"));
      if (p !== "/w") assert.ok(paths.indexOf(parent) < i, `${parent} before ${p}`);
    }
    for (const node of visited) {
      const expected = emus[0]!.fs.getAcl(node.path);
      assert.ok(sameAcl(node.acl, expected), `${node.path}: ${formatAclSpec(node.acl)}`);
    }
    const d1 = visited.find((n) => n.path === "/w/d1")!;
    assert.equal(d1.type, "dir");
    assert.match(formatAclSpec(d1.acl), /user:alice:r-x.*mask::r-x.*default:group:eng:r-x/);
  });

  it("costs one listing per page, none for an empty directory, and ACL reads only where aclBit is set", async () => {
    await walkAll(target, "/w");
    // childrenNum 0 (/w/empty) says there is nothing to list.
    const pages = dirs.reduce((n, d) => n + Math.ceil(emus[0]!.fs.listStatus(d).length / 3), 0);
    assert.deepEqual(requests(emus), { GETFILESTATUS: 1, LISTSTATUS_BATCH: pages, GETACLSTATUS: 2 });
  });

  it("leaves a directory's children out when descend says so", async () => {
    const { paths } = await walkAll(target, "/w", (d) => d.path !== "/w/d1");
    assert.ok(paths.includes("/w/d1"));
    assert.ok(!paths.some((p) => p.startsWith("/w/d1/")));
  });

  it("walks a directory wider than its work queue with one worker", async () => {
    const fs = emus[0]!.fs;
    const wide = Array.from({ length: 40 }, (_, i) => `/wide/s${String(i).padStart(2, "0")}`);
    for (const d of wide) fs.create(`${d}/leaf`, { data: "" });
    const one = newTarget(emus, { concurrency: 1 });
    try {
      const { paths } = await walkAll(one, "/wide");
      assert.equal(paths.length, 1 + 2 * wide.length);
      for (const d of wide) assert.ok(paths.indexOf(d) < paths.indexOf(`${d}/leaf`));
    } finally {
      await one.close();
    }
  });

  it("skips a missing root and refuses one outside the roots", async () => {
    assert.deepEqual((await walkAll(target, "/nope")).skipped, [{ path: "/nope", reason: "missing" }]);
    const rooted = newTarget(emus, { roots: ["/w/d0"] });
    try {
      await assert.rejects(walkAll(rooted, "/w"), (e) => isGsError(e, "GS_PATH_OUTSIDE_ROOTS"));
      await assert.rejects(rooted.node("/w/d00"), (e) => isGsError(e, "GS_PATH_OUTSIDE_ROOTS"));
      assert.equal((await rooted.node("/w/d0/f1"))?.type, "file");
    } finally {
      await rooted.close();
    }
  });

  it("stops when the signal aborts", async () => {
    const controller = new AbortController();
    await assert.rejects(
      target.walk("/w", { visit: () => controller.abort(), skip: () => {}, signal: controller.signal }),
      { name: "AbortError" },
    );
  });
});

describe("WebhdfsTarget configuration", () => {
  it("refuses kerberos with a keytab but no principal to log in as", () => {
    assert.throws(
      () => newTarget([], { namenodes: ["nn1:9870"], auth: "kerberos", keytab: "/etc/grantsync.keytab" }),
      (e) => isGsError(e, "GS_CONFIG_INVALID"),
    );
  });

  it("declares HDFS's limits and leaves principal resolution to the NameNode", async () => {
    const target = newTarget([], { namenodes: ["nn1:9870"] });
    try {
      assert.equal(target.kind, "webhdfs");
      assert.equal(target.maxEntries, 32);
      assert.equal(target.fileExecuteDefault, true);
      assert.deepEqual(await target.unknownPrincipals([{ kind: "user", name: "nobody" }]), []);
    } finally {
      await target.close();
    }
  });
});

describe("WebhdfsTarget node and write", () => {
  const emus = useEmulators(1);
  let target: WebhdfsTarget;
  before(() => {
    target = newTarget(emus);
  });
  after(() => target.close());
  beforeEach(() => resetCounts(emus));

  const fresh = async (path: string, aclSpec?: string): Promise<TargetNode> => {
    emus[0]!.fs.mkdirs(path, { permission: 0o750 });
    if (aclSpec) emus[0]!.fs.modifyAclEntries(path, aclSpec);
    resetCounts(emus);
    return (await target.node(path))!;
  };
  const written = (path: string) => formatAclSpec(emus[0]!.fs.getAcl(path));

  it("returns null for a missing path", async () => {
    assert.equal(await target.node("/absent"), null);
  });

  it("adds entries and a default ACL with one MODIFYACLENTRIES", async () => {
    const node = await fresh("/add");
    const next = spec(
      "user::rwx,user:alice:r-x,group::r-x,group:eng:rwx,mask::rwx,other::---," +
        "default:user::rwx,default:group::r-x,default:group:eng:rwx,default:mask::rwx,default:other::---",
    );
    await node.write(next);
    assert.equal(written("/add"), formatAclSpec(next));
    assert.deepEqual(requests(emus), { GETFILESTATUS: 1, MODIFYACLENTRIES: 1 });
    assert.ok(sameAcl((await target.node("/add"))!.acl, next));
  });

  it("removes entries by key and drops the mask with the last named entry", async () => {
    const node = await fresh("/remove", "user:alice:r-x,group:eng:r-x");
    await node.write(spec("user::rwx,group::r-x,group:eng:r-x,mask::r-x,other::---"));
    assert.equal(written("/remove"), "user::rwx,group::r-x,group:eng:r-x,mask::r-x,other::---");
    await node.write(spec("user::rwx,group::r-x,other::---"));
    assert.equal(written("/remove"), "user::rwx,group::r-x,other::---");
    assert.equal(emus[0]!.fs.getFileStatus("/remove").aclBit, undefined);
    assert.deepEqual(requests(emus), { GETFILESTATUS: 1, GETACLSTATUS: 1, REMOVEACLENTRIES: 2 });
  });

  it("removes a whole default ACL with REMOVEDEFAULTACL", async () => {
    const node = await fresh("/nodefault", "group:eng:r-x,default:group:eng:r-x");
    await node.write(spec("user::rwx,group::r-x,group:eng:r-x,mask::r-x,other::---"));
    assert.equal(written("/nodefault"), "user::rwx,group::r-x,group:eng:r-x,mask::r-x,other::---");
    assert.deepEqual(requests(emus), { GETFILESTATUS: 1, GETACLSTATUS: 1, REMOVEDEFAULTACL: 1 });
  });

  it("writes nothing when the ACL is already right", async () => {
    const node = await fresh("/same", "group:eng:r-x");
    await node.write(node.acl);
    assert.deepEqual(requests(emus), { GETFILESTATUS: 1, GETACLSTATUS: 1 });
  });

  it("keeps an entry another client added between our read and our write", async () => {
    const node = await fresh("/race", "user:old:r-x");
    emus[0]!.fs.modifyAclEntries("/race", "user:carol:rwx");
    const { next } = mergeAcl({
      current: node.acl,
      desired: spec("group:eng:r-x"),
      managed: new Set(["user:old"]),
      adopted: new Map(),
    });
    await node.write(next);
    const entries = emus[0]!.fs.getAclStatus("/race").entries;
    assert.deepEqual(entries, ["user:carol:rwx", "group::r-x", "group:eng:r-x"]);
  });

  it("reports GS_ACL_CHANGED when another client's entry keeps the mask we meant to drop", async () => {
    const node = await fresh("/race-mask", "user:old:r-x");
    emus[0]!.fs.modifyAclEntries("/race-mask", "user:carol:rwx");
    await assert.rejects(node.write(spec("user::rwx,group::r-x,other::---")), (e) =>
      isGsError(e, "GS_ACL_CHANGED"),
    );
    assert.ok(emus[0]!.fs.getAclStatus("/race-mask").entries.includes("user:carol:rwx"));
  });

  it("refuses more than 32 entries in one scope, naming the scope and its principals, and writes nothing", async () => {
    const node = await fresh("/many");
    const users = Array.from({ length: 3 }, (_, i) => `user:u${i}:r-x`).join(",");
    const defaults = Array.from({ length: 29 }, (_, i) => `default:user:u${i}:r-x`).join(",");
    const { next } = mergeAcl({
      current: node.acl,
      desired: spec(`${users},${defaults}`),
      managed: new Set(),
      adopted: new Map(),
    });
    await assert.rejects(
      node.write(next),
      (e) =>
        isGsError(e, "GS_ACL_TOO_MANY") &&
        /33 default ACL entries/.test(e.message) &&
        /user:u28/.test(e.message),
    );
    assert.deepEqual(requests(emus), { GETFILESTATUS: 1 });
    assert.equal(written("/many"), "user::rwx,group::r-x,other::---");
  });

  it("keeps the owner and other bits, which HDFS stores in the permission", async () => {
    const node = await fresh("/bits");
    const next: Acl = spec("user::rwx,user:alice:rw-,group::r-x,mask::rwx,other::r--");
    await node.write(next);
    assert.equal(emus[0]!.fs.getFileStatus("/bits").permission, "774");
    assert.ok(sameAcl((await target.node("/bits"))!.acl, next));
  });
});

describe("WebhdfsTarget on a NameNode with dfs.namenode.acls.enabled = false", () => {
  const emus = useEmulators(1, { aclsEnabled: false });
  let target: WebhdfsTarget;
  before(() => {
    emus[0]!.fs.mkdirs("/w/t");
    target = newTarget(emus);
  });
  after(() => target.close());

  it("reads paths as minimal ACLs and says clearly why a write is refused", async () => {
    const node = (await target.node("/w/t"))!;
    assert.equal(formatAclSpec(node.acl), "user::rwx,group::r-x,other::r-x");
    await assert.rejects(
      node.write(spec("user::rwx,group::r-x,group:eng:r-x,mask::r-x,other::r-x")),
      (e) =>
        isGsError(e, "GS_WEBHDFS_REMOTE") &&
        /ACLs disabled \(dfs\.namenode\.acls\.enabled=false\)/.test(e.message) &&
        /Set dfs\.namenode\.acls\.enabled=true/.test(e.hint),
    );
  });
});
