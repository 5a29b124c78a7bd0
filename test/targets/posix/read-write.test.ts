import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { after, beforeEach, describe, it } from "node:test";
import { sortEntries } from "../../../src/acl/entry.ts";
import { formatAclSpec, parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import { PosixTarget } from "../../../src/targets/posix/target.ts";
import type { TargetNode } from "../../../src/targets/target.ts";
import { collect, getfacl, setfacl, tempTree, xattrHex } from "./helpers.ts";

const spec = (s: string) => parseAclSpec(s);
const lines = (s: string) => s.split(",").join("\n");

describe("PosixTarget reading and writing", () => {
  const tree = tempTree();
  after(tree.cleanup);
  let target: PosixTarget;
  let dir: string;
  let file: string;
  beforeEach(() => {
    target = new PosixTarget({ roots: [tree.dir] });
    dir = fs.mkdtempSync(path.join(tree.dir, "case-"));
    file = path.join(dir, "f");
    fs.writeFileSync(file, "");
    fs.chmodSync(dir, 0o750);
    fs.chmodSync(file, 0o640);
  });

  const nodeOf = async (p: string): Promise<TargetNode> => {
    const n = await target.node(p);
    assert.ok(n, `${p} exists`);
    return n;
  };

  it("has the declared shape", () => {
    assert.equal(target.kind, "posix");
    assert.equal(target.fileExecuteDefault, false);
    assert.equal(target.maxEntries, undefined);
  });

  it("reads a minimal ACL from the mode", async () => {
    const n = await nodeOf(file);
    assert.equal(n.type, "file");
    assert.equal(n.path, file);
    assert.equal(formatAclSpec(n.acl), "user::rw-,group::r--,other::---");
  });

  it("reads access and default ACLs set with setfacl", async () => {
    setfacl("-m", "u:nobody:rwx,g:staff:r-x,g::r--", dir);
    setfacl("-m", "d:u::rwx,d:g::r-x,d:o::---,d:g:users:r-x", dir);
    fs.chmodSync(dir, 0o710); // mask becomes --x, group:: stays r--
    const n = await nodeOf(dir);
    assert.equal(n.type, "dir");
    assert.equal(
      formatAclSpec(n.acl),
      "user::rwx,user:nobody:rwx,group::r--,group:staff:r-x,mask::--x,other::---," +
        "default:user::rwx,default:group::r-x,default:group:users:r-x,default:mask::r-x,default:other::---",
    );
  });

  it("writes access and default ACLs on a directory", async () => {
    const n = await nodeOf(dir);
    const next = spec(
      "user::rwx,group::r-x,group:staff:rwx,user:nobody:r-x,mask::rwx,other::---," +
        "default:user::rwx,default:group::r-x,default:group:staff:r-x,default:mask::r-x,default:other::---",
    );
    await n.write(next);
    assert.equal(
      getfacl(dir),
      lines(
        "user::rwx,user:nobody:r-x,group::r-x,group:staff:rwx,mask::rwx,other::---," +
          "default:user::rwx,default:group::r-x,default:group:staff:r-x,default:mask::r-x,default:other::---",
      ),
    );
    assert.equal(formatAclSpec(n.acl), formatAclSpec(sortEntries(next)), "acl follows the write");
    assert.equal(formatAclSpec((await nodeOf(dir)).acl), formatAclSpec(n.acl));
  });

  it("keeps its view in step with what it wrote, so later writes on the same node pass", async () => {
    const n = await nodeOf(dir);
    const steps = [
      "user::rwx,group::r-x,group:staff:rwx,mask::rwx,other::---",
      "user::rwx,group::r-x,group:staff:rwx,mask::rwx,other::---,default:user::rwx,default:group::---,default:other::---",
      "user::rw-,group::--x,other::r--",
      "user::rwx,group::r-x,user:nobody:r--,mask::r--,other::---,default:user::rwx,default:group::r-x,default:group:users:r-x,default:mask::r-x,default:other::---",
    ];
    for (const s of steps) {
      await n.write(spec(s));
      const fresh = await nodeOf(dir);
      assert.equal(formatAclSpec(n.acl), formatAclSpec(fresh.acl), s);
      assert.equal(formatAclSpec(fresh.acl), formatAclSpec(sortEntries(spec(s))));
    }
  });

  it("writes an access ACL on a file through the walk's fd", async () => {
    const res = await collect(target, dir, async (n) => {
      if (n.type === "file") await n.write(spec("user::rw-,group::r--,group:users:rw-,mask::rw-,other::r--"));
    });
    assert.deepEqual(res.visited.sort(), [dir, file]);
    assert.equal(getfacl(file), lines("user::rw-,group::r--,group:users:rw-,mask::rw-,other::r--"));
  });

  it("restores a minimal ACL: xattr gone, mode from the three entries", async () => {
    setfacl("-m", "u:nobody:rw,g:staff:r", file);
    const n = await nodeOf(file);
    await n.write(spec("user::rw-,group::r--,other::r--"));
    assert.equal(xattrHex(file, "system.posix_acl_access"), "");
    assert.equal(fs.statSync(file).mode & 0o777, 0o644);
    assert.equal(formatAclSpec(n.acl), "user::rw-,group::r--,other::r--");
  });

  it("removes the default ACL when the next ACL has none", async () => {
    setfacl("-d", "-m", "g:staff:rx", dir);
    const n = await nodeOf(dir);
    await n.write(spec("user::rwx,group::r-x,other::---"));
    assert.equal(xattrHex(dir, "system.posix_acl_default"), "");
    assert.equal(getfacl(dir), lines("user::rwx,group::r-x,other::---"));
  });

  it("does not touch a node whose ACL is already the one asked for", async () => {
    setfacl("-m", "g:staff:rx", dir);
    const before = fs.statSync(dir, { bigint: true }).ctimeNs;
    const n = await nodeOf(dir);
    await new Promise((r) => setTimeout(r, 20));
    await n.write(n.acl);
    assert.equal(fs.statSync(dir, { bigint: true }).ctimeNs, before);
  });

  it("refuses with GS_ACL_CHANGED when the ACL changed since it was read", async () => {
    const next = spec("user::rw-,group::r--,group:staff:r--,mask::r--,other::---");
    const n = await nodeOf(file);
    setfacl("-m", "u:nobody:r", file);
    await assert.rejects(n.write(next), (e) => isGsError(e, "GS_ACL_CHANGED"));
    assert.equal(getfacl(file), lines("user::rw-,user:nobody:r--,group::r--,mask::r--,other::---"));

    // Same inside a walk, where the write goes through the walk's own fd.
    const errors: unknown[] = [];
    await collect(target, file, async (node) => {
      fs.chmodSync(file, 0o600);
      await node.write(next).catch((e) => errors.push(e));
    });
    assert.equal(errors.length, 1);
    assert.ok(isGsError(errors[0], "GS_ACL_CHANGED"));
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  });

  it("refuses with GS_ACL_CHANGED when the path now names another file", async () => {
    const n = await nodeOf(file);
    fs.renameSync(file, `${file}.old`);
    fs.writeFileSync(file, "");
    fs.chmodSync(file, 0o640);
    await assert.rejects(n.write(spec("user::rw-,group::r--,group:staff:r--,mask::r--,other::---")), (e) =>
      isGsError(e, "GS_ACL_CHANGED"),
    );
    assert.equal(getfacl(file), lines("user::rw-,group::r--,other::---"));
  });

  it("refuses unknown names, defaults on files and ACLs without base entries, writing nothing", async () => {
    const n = await nodeOf(file);
    const check = async (s: string, code: "GS_PRINCIPAL_UNKNOWN" | "GS_ACL_SPEC") =>
      assert.rejects(n.write(spec(s)), (e) => isGsError(e, code) && e.location === file);
    await check(
      "user::rw-,group::r--,group:no_such_group_gs:r--,mask::r--,other::---",
      "GS_PRINCIPAL_UNKNOWN",
    );
    await check("user::rw-,group::r--,group:0:r--,mask::r--,other::---", "GS_PRINCIPAL_UNKNOWN");
    await check(
      "user::rw-,group::r--,other::---,default:user::rw-,default:group::r--,default:other::---",
      "GS_ACL_SPEC",
    );
    await check("user::rw-,other::---", "GS_ACL_SPEC");
    await check("user::rw-,group::r--,group:staff:r--,other::---", "GS_ACL_SPEC");
    assert.equal(getfacl(file), lines("user::rw-,group::r--,other::---"));
  });

  it("keeps entries for ids without a name, shown as their decimal id", async () => {
    setfacl("-m", "u:424242:r,g:424243:rw", file);
    const n = await nodeOf(file);
    assert.equal(
      formatAclSpec(n.acl),
      "user::rw-,user:424242:r--,group::r--,group:424243:rw-,mask::rw-,other::---",
    );
    await n.write([...n.acl, ...spec("group:staff:r--")]);
    assert.equal(
      getfacl(file),
      lines("user::rw-,user:424242:r--,group::r--,group:staff:r--,group:424243:rw-,mask::rw-,other::---"),
    );
  });

  it("refuses paths outside the roots, including through .. and name prefixes", async () => {
    const outside = (e: unknown) => isGsError(e, "GS_PATH_OUTSIDE_ROOTS");
    await assert.rejects(target.node("/etc/passwd"), outside);
    await assert.rejects(target.node(`${tree.dir}/../etc`), outside);
    await assert.rejects(target.node(`${tree.dir}x`), outside);
    await assert.rejects(collect(target, "/etc"), outside);
  });

  it("returns null for a missing path and skips a missing walk root", async () => {
    assert.equal(await target.node(path.join(dir, "nope")), null);
    assert.equal(await target.node(path.join(dir, "nope", "deeper")), null);
    const res = await collect(target, path.join(dir, "nope"));
    assert.deepEqual(res.visited, []);
    assert.deepEqual(
      res.skipped.map((s) => s.reason),
      ["missing"],
    );
  });

  it("reports unknown principals", async () => {
    const unknown = await target.unknownPrincipals([
      { kind: "group", name: "staff" },
      { kind: "group", name: "no_such_group_gs" },
      { kind: "user", name: "nobody" },
      { kind: "user", name: "staff_is_a_group_gs" },
      { kind: "user", name: "0" },
    ]);
    assert.deepEqual(unknown, [
      { kind: "group", name: "no_such_group_gs" },
      { kind: "user", name: "staff_is_a_group_gs" },
      { kind: "user", name: "0" },
    ]);
    await target.close();
  });
});
