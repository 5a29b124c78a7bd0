// Traverse needs: every grantee of a location needs --x (access scope only) on each directory from
// its root down to the location's parent, once per principal, whatever it is granted.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { entry, R, W, X } from "../../src/acl/entry.ts";
import { formatAclSpec } from "../../src/acl/spec.ts";
import type { LocationContext } from "../../src/compile/model.ts";
import { dirsAbove, traverseEntries } from "../../src/compile/traverse.ts";

function ctx(path: string, dir: ReturnType<typeof entry>[]): LocationContext {
  return { path, objects: [path], locations: [], dir, file: [] };
}

describe("traverseEntries", () => {
  it("lists the root and every directory down to the location's parent", () => {
    assert.deepEqual(dirsAbove("/wh", "/wh/db/t"), ["/wh", "/wh/db"]);
    assert.deepEqual(dirsAbove("/wh", "/wh"), []);
    assert.deepEqual(dirsAbove("/", "/db/t"), ["/", "/db"]);
  });

  it("gives each grantee --x on the way down, without default entries or read", () => {
    const contexts = new Map([
      [
        "/wh/db/t1",
        ctx("/wh/db/t1", [
          entry("access", "group", "staff", R | X),
          entry("default", "group", "staff", R | X),
        ]),
      ],
      [
        "/wh/db/t2",
        ctx("/wh/db/t2", [entry("access", "user", "ann", R | W | X), entry("access", "user", "denied", 0)]),
      ],
      ["/elsewhere/t3", ctx("/elsewhere/t3", [entry("access", "group", "x", R | X)])],
    ]);
    const t = traverseEntries(contexts, ["/wh"]);
    assert.deepEqual([...t.keys()], ["/wh", "/wh/db"]);
    assert.equal(formatAclSpec(t.get("/wh")!), "group:staff:--x,user:ann:--x");
    assert.equal(formatAclSpec(t.get("/wh/db")!), "group:staff:--x,user:ann:--x");
  });
});
