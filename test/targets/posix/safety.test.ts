import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import { PosixTarget } from "../../../src/targets/posix/target.ts";
import type { TargetNode } from "../../../src/targets/target.ts";
import { collect, fdCount, getfacl, run, snapshot, tempTree } from "./helpers.ts";

/** Grants staff on every node, so a walk that went astray would leave a trace. */
async function grantStaff(node: TargetNode): Promise<void> {
  const extra =
    node.type === "dir"
      ? "group:staff:rwx,default:user::rwx,default:group::r-x,default:group:staff:rwx,default:mask::rwx,default:other::---"
      : "group:staff:rw-";
  const base = node.acl.filter((e) => e.scope === "access" && e.name === "" && e.type !== "mask");
  await node.write([...base, ...parseAclSpec(`${extra},mask::rwx`)]);
}

describe("PosixTarget never writes through symlinks or special files", { timeout: 20_000 }, () => {
  const fixture = tempTree();
  const root = path.join(fixture.dir, "tree");
  const outside = path.join(fixture.dir, "outside");
  const secret = path.join(outside, "secret");
  let target: PosixTarget;
  let outsideBefore: string;

  before(() => {
    fs.mkdirSync(path.join(root, "sub"), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(secret, "s");
    fs.chmodSync(secret, 0o600);
    fs.writeFileSync(path.join(root, "plain"), "");
    fs.symlinkSync(secret, path.join(root, "link"));
    fs.symlinkSync(outside, path.join(root, "dirlink"));
    fs.symlinkSync("../../outside/secret", path.join(root, "sub", "rel"));
    run("mkfifo", path.join(root, "fifo"));
    execFileSync("python3", [
      "-c",
      "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])",
      path.join(root, "sock"),
    ]);
    fs.writeFileSync(path.join(root, "linked"), "");
    fs.linkSync(path.join(root, "linked"), path.join(outside, "second-link"));
    target = new PosixTarget({ roots: [root] });
    outsideBefore = snapshot(outside);
  });
  after(fixture.cleanup);

  it("skips symlinks, FIFOs, sockets and hard links with their reasons, and writes the rest", async () => {
    const fds = fdCount(fixture.dir);
    const res = await collect(target, root, grantStaff);
    assert.deepEqual(res.visited.sort(), [root, path.join(root, "plain"), path.join(root, "sub")]);
    const reasons = Object.fromEntries(res.skipped.map((s) => [path.relative(root, s.path), s.reason]));
    assert.deepEqual(reasons, {
      link: "symlink",
      dirlink: "symlink",
      "sub/rel": "symlink",
      fifo: "special-file",
      sock: "special-file",
      linked: "hardlink",
    });
    assert.match(getfacl(path.join(root, "plain")), /group:staff:rw-/);
    assert.equal(snapshot(outside), outsideBefore);
    assert.equal(fdCount(fixture.dir), fds);
  });

  it("refuses single paths that are, or go through, symlinks and special files", async () => {
    const unsafe = (e: unknown) => isGsError(e, "GS_PATH_UNSAFE");
    for (const p of ["link", "dirlink", "dirlink/secret", "sub/rel", "fifo", "sock", "linked"]) {
      await assert.rejects(target.node(path.join(root, p)), unsafe, p);
    }
    const res = await collect(target, path.join(root, "dirlink", "secret"), grantStaff);
    assert.deepEqual(res.visited, []);
    assert.equal(res.skipped[0]?.reason, "symlink");
    assert.match(res.skipped[0]?.detail ?? "", /dirlink/);
    assert.equal(
      (await collect(target, path.join(root, "dirlink"), grantStaff)).skipped[0]?.reason,
      "symlink",
    );
    assert.equal(snapshot(outside), outsideBefore);
  });

  it("refuses a configured root that is a symlink", async () => {
    const t = new PosixTarget({ roots: [path.join(root, "dirlink")] });
    const res = await collect(t, path.join(root, "dirlink"), grantStaff);
    assert.deepEqual(res.visited, []);
    assert.equal(res.skipped[0]?.reason, "symlink");
  });

  it("does not follow a directory swapped for a symlink during the walk", async () => {
    const race = path.join(fixture.dir, "race");
    const names = ["a", "b", "c", "d", "e", "f"];
    for (const n of names) {
      fs.mkdirSync(path.join(race, n), { recursive: true });
      fs.writeFileSync(path.join(race, n, "x"), "");
    }
    const t = new PosixTarget({ roots: [race] });
    const swapped: string[] = [];
    const res = await collect(t, race, async (node) => {
      if (path.dirname(node.path) === race && swapped.length === 0) {
        // The walk listed `race` already: swap every sibling not yet visited.
        for (const n of names) {
          const p = path.join(race, n);
          if (p === node.path) continue;
          fs.renameSync(p, path.join(fixture.dir, `moved-${n}`));
          fs.symlinkSync(outside, p);
          swapped.push(p);
        }
      }
      await grantStaff(node);
    });
    assert.equal(swapped.length, 5);
    for (const p of swapped)
      assert.ok(
        res.skipped.some((s) => s.path === p && s.reason === "symlink"),
        p,
      );
    assert.equal(snapshot(outside), outsideBefore);
  });

  it("skips names that are not UTF-8 instead of opening a look-alike", async () => {
    const odd = path.join(fixture.dir, "odd");
    fs.mkdirSync(odd);
    fs.writeFileSync(Buffer.concat([Buffer.from(`${odd}/bad`), Buffer.from([0xff])]), "");
    fs.writeFileSync(path.join(odd, "bad\uFFFD"), "");
    const res = await collect(new PosixTarget({ roots: [odd] }), odd);
    assert.deepEqual(res.visited, [odd]);
    assert.equal(res.skipped.length, 2);
    assert.ok(res.skipped.every((s) => s.reason === "error" && /UTF-8/.test(s.detail ?? "")));
  });

  it("leaves visits pending while it walks on, holding their fds, and returns with none open", async () => {
    const fds = fdCount(fixture.dir);
    const waiting: (() => void)[] = [];
    const written: string[] = [];
    let openDuringWalk = 0;
    await target.walk(root, {
      visit: (n) =>
        new Promise<void>((resolve) => {
          waiting.push(() => {
            written.push(n.path);
            resolve();
          });
          // Settled only once every node was visited: the walk had them all pending at once.
          if (waiting.length === 3) {
            openDuringWalk = fdCount(fixture.dir) - fds;
            setImmediate(() => {
              for (const w of waiting.splice(0)) w();
            });
          }
        }),
      skip: () => {},
    });
    // Both directories stay open for their pending visits (and the file read by name below the
    // root); a file is held open itself only when the walk opens files (GRANTSYNC_POSIX_XATTRAT=0).
    const held = process.env.GRANTSYNC_POSIX_XATTRAT === "0" || process.geteuid?.() !== 0 ? 3 : 2;
    assert.ok(openDuringWalk >= held, `${openDuringWalk} fds held by pending visits`);
    assert.deepEqual(written.sort(), [root, path.join(root, "plain"), path.join(root, "sub")].sort());
    assert.equal(fdCount(fixture.dir), fds);
  });

  it("rejects with a pending visit's failure after every other visit settled", async () => {
    const fds = fdCount(fixture.dir);
    await assert.rejects(
      target.walk(root, {
        visit: (n) =>
          n.path.endsWith("/plain") ? Promise.reject(new Error("late boom")) : Promise.resolve(),
        skip: () => {},
      }),
      /late boom/,
    );
    assert.equal(fdCount(fixture.dir), fds);
  });

  it("closes every fd when visit throws, when descend says no and on abort", async () => {
    const fds = fdCount(fixture.dir);
    await assert.rejects(
      target.walk(root, {
        visit: (n) => {
          if (n.path.endsWith("/sub")) throw new Error("boom");
        },
        skip: () => {},
      }),
      /boom/,
    );
    const seen: string[] = [];
    await target.walk(root, { visit: (n) => void seen.push(n.path), skip: () => {}, descend: () => false });
    assert.deepEqual(seen, [root]);
    const ac = new AbortController();
    await assert.rejects(
      target.walk(root, { visit: () => ac.abort(), skip: () => {}, signal: ac.signal }),
      (e) => (e as Error).name === "AbortError",
    );
    assert.equal(fdCount(fixture.dir), fds);
  });

  it("skips a mount below the root as another filesystem", async (t) => {
    const mnt = path.join(root, "mnt");
    fs.mkdirSync(mnt);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt], { stdio: "ignore" });
    } catch {
      fs.rmdirSync(mnt);
      t.skip("cannot mount tmpfs here");
      return;
    }
    try {
      const res = await collect(target, root);
      assert.ok(res.skipped.some((s) => s.path === mnt && s.reason === "other-filesystem"));
      assert.ok(!res.visited.includes(mnt));
      await assert.rejects(target.node(mnt), (e) => isGsError(e, "GS_PATH_UNSAFE"));
    } finally {
      execFileSync("umount", [mnt]);
      fs.rmdirSync(mnt);
    }
  });
});
