import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aclFromMode } from "../../../src/acl/entry.ts";
import type { SkippedPath, TargetNode } from "../../../src/targets/target.ts";
import { parseErrorResponse } from "../../../src/targets/webhdfs/errors.ts";
import { Semaphore } from "../../../src/targets/webhdfs/semaphore.ts";
import type { FileStatus } from "../../../src/targets/webhdfs/types.ts";
import { type WalkDeps, walkBelow } from "../../../src/targets/webhdfs/walk.ts";

// These cases need listings the emulator cannot produce (symlinks, entries vanishing mid-walk), so the
// walk gets them from a plain table of directory → children.

const status = (pathSuffix: string, type: FileStatus["type"]): FileStatus => ({
  pathSuffix,
  type,
  permission: "755",
  owner: "hdfs",
  group: "hdfs",
  length: 0,
  modificationTime: 0,
});

const notFound = (op: string, path: string) =>
  parseErrorResponse(
    404,
    JSON.stringify({
      RemoteException: {
        exception: "FileNotFoundException",
        javaClassName: "java.io.FileNotFoundException",
        message: `File ${path} does not exist.`,
      },
    }),
    op,
    path,
  );

function depsFor(tree: Record<string, FileStatus[] | Error>): WalkDeps {
  return {
    parallel: 2,
    async *listPages(dir) {
      const children = tree[dir];
      if (children instanceof Error) throw children;
      yield children ?? [];
    },
    async observe(path, s): Promise<TargetNode> {
      return {
        path,
        type: s.type === "DIRECTORY" ? "dir" : "file",
        acl: aclFromMode(0o755),
        write: async () => {},
      };
    },
  };
}

describe("walkBelow", () => {
  it("skips symlinks and directories that vanish, and walks the rest", async () => {
    const gone = notFound("LISTSTATUS_BATCH", "/r/gone");
    const tree = {
      "/r": [status("link", "SYMLINK"), status("gone", "DIRECTORY"), status("d", "DIRECTORY")],
      "/r/gone": gone,
      "/r/d": [status("f", "FILE")],
    };
    const visited: string[] = [];
    const skipped: SkippedPath[] = [];
    await walkBelow(
      "/r",
      { visit: (n) => void visited.push(n.path), skip: (s) => void skipped.push(s) },
      depsFor(tree),
    );
    assert.deepEqual(visited.sort(), ["/r/d", "/r/d/f", "/r/gone"]);
    assert.deepEqual(
      skipped.map((s) => [s.path, s.reason]),
      [
        ["/r/link", "symlink"],
        ["/r/gone", "missing"],
      ],
    );
  });

  it("lets a visit's own failure end the walk instead of skipping the directory", async () => {
    const missing = notFound("MODIFYACLENTRIES", "/r/d/f");
    const tree = { "/r": [status("d", "DIRECTORY")], "/r/d": [status("f", "FILE")] };
    const skipped: SkippedPath[] = [];
    const visit = (n: TargetNode) => {
      if (n.path === "/r/d/f") throw missing;
    };
    await assert.rejects(
      walkBelow("/r", { visit, skip: (s) => void skipped.push(s) }, depsFor(tree)),
      missing,
    );
    assert.deepEqual(skipped, []);
  });

  it("rejects with the first failure and stops listing", async () => {
    const broken = new Error("boom");
    const tree: Record<string, FileStatus[] | Error> = { "/r": [] };
    for (let i = 0; i < 50; i++) {
      tree["/r"] = [...(tree["/r"] as FileStatus[]), status(`d${i}`, "DIRECTORY")];
      tree[`/r/d${i}`] = i === 3 ? broken : [status("f", "FILE")];
    }
    const visited: string[] = [];
    await assert.rejects(
      walkBelow("/r", { visit: (n) => void visited.push(n.path), skip: () => {} }, depsFor(tree)),
      broken,
    );
    assert.ok(visited.length < 100, `visited ${visited.length}`);
  });
});

describe("walkBelow scheduling", () => {
  it("lists a directory while its visit is pending, and visits its children only after it", async () => {
    const tree = {
      "/r": [status("a", "DIRECTORY"), status("b", "DIRECTORY")],
      "/r/a": [status("f", "FILE")],
      "/r/b": [status("g", "FILE")],
    };
    const deps = depsFor(tree);
    const events: string[] = [];
    const listPages = deps.listPages;
    deps.listPages = (dir, signal) => {
      events.push(`list ${dir}`);
      return listPages(dir, signal);
    };
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const visit = (n: TargetNode) => {
      events.push(`visit ${n.path}`);
      if (n.path === "/r/a") return held.then(() => void events.push("visited /r/a"));
    };
    const walking = walkBelow("/r", { visit, skip: () => {}, descend: (d) => d.path !== "/r/b" }, deps);
    await new Promise((r) => setTimeout(r, 20));
    // /r/a's listing went out although its visit has not settled; its child waits for it.
    assert.ok(events.includes("list /r/a"), events.join(", "));
    assert.ok(!events.includes("visit /r/a/f"), events.join(", "));
    release();
    await walking;
    assert.ok(events.indexOf("visited /r/a") < events.indexOf("visit /r/a/f"), events.join(", "));
    // descend said no to /r/b: never listed, nothing below it visited.
    assert.ok(
      !events.some((e) => e.startsWith("list /r/b") || e.startsWith("visit /r/b/")),
      events.join(", "),
    );
  });

  it("waits for the root's visit before visiting its children, and leaves them out when descend says no", async () => {
    const tree = { "/r": [status("f", "FILE")] };
    const visited: string[] = [];
    const options = { visit: (n: TargetNode) => void visited.push(n.path), skip: () => {} };
    await walkBelow("/r", options, depsFor(tree), Promise.resolve(false));
    assert.deepEqual(visited, []);
    const failed = new Error("root visit failed");
    await assert.rejects(walkBelow("/r", options, depsFor(tree), Promise.reject(failed)), failed);
    assert.deepEqual(visited, []);
  });
});

describe("walkBelow backlog", () => {
  it("starts another listing only while the reads already out leave room for its page", async () => {
    const tree: Record<string, FileStatus[]> = { "/r": [] };
    for (let d = 0; d < 40; d++) {
      tree["/r"]!.push(status(`d${d}`, "DIRECTORY"));
      tree[`/r/d${d}`] = [1, 2, 3, 4, 5].map((f) => status(`f${f}`, "FILE"));
    }
    const deps = { ...depsFor(tree), parallel: 8 };
    const observe = deps.observe;
    let files = 0;
    let peak = 0;
    deps.observe = async (path, s, signal) => {
      if (s.type === "FILE") peak = Math.max(peak, ++files);
      await new Promise((r) => setTimeout(r, 2));
      if (s.type === "FILE") files--;
      return observe(path, s, signal);
    };
    let visited = 0;
    await walkBelow("/r", { visit: () => void visited++, skip: () => {} }, deps);
    assert.equal(visited, 40 * 6);
    // 8 slots: a listing starts while fewer than 16 reads are out or expected. Eight listings at
    // once would have had 40 file reads out.
    assert.ok(peak <= 16 + 5, `peak ${peak}`);
    assert.ok(peak >= 8, `peak ${peak}: the slots were not kept busy`);
  });
});

describe("Semaphore", () => {
  it("never runs more tasks at once than it has permits, and runs them all", async () => {
    const limit = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limit.run(async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 2));
          running--;
          return i;
        }),
      ),
    );
    assert.equal(peak, 3);
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, (_, i) => i),
    );
  });

  it("releases the permit when a task fails", async () => {
    const limit = new Semaphore(1);
    await assert.rejects(limit.run(() => Promise.reject(new Error("x"))));
    assert.equal(await limit.run(async () => 1), 1);
  });
});
