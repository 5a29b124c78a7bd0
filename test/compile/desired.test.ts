import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatAclSpec } from "../../src/acl/spec.ts";
import type { Catalog, RawLocation } from "../../src/catalog/model.ts";
import { compileDesired } from "../../src/compile/desired.ts";
import { resolveLocation } from "../../src/compile/locations.ts";
import {
  type Action,
  DEFAULT_ACTION_PERMS,
  type Grant,
  type Policy,
  type Privilege,
} from "../../src/policy/model.ts";

const src = { file: "policy.ini", line: 1 };
function grant(kind: "group" | "user", name: string, priv: Partial<Privilege> & { action: Action }): Grant {
  return {
    principal: { kind, name },
    role: `${name}_role`,
    privilege: { text: JSON.stringify(priv), server: "server1", source: src, ...priv },
    via: src,
  };
}
const loc = (uri: string, kind: RawLocation["kind"] = "table"): RawLocation => ({
  uri,
  kind,
  source: { file: "locations.ini", line: 1 },
});

const catalog: Catalog = {
  databases: [{ name: "sales", locations: [loc("/wh/sales.db", "database")] }],
  tables: [
    {
      db: "sales",
      name: "orders",
      locations: [loc("/wh/sales.db/orders"), loc("/archive/orders/dt=1", "partition")],
    },
    { db: "sales", name: "ext", locations: [loc("file:///ext/data")] },
    { db: "sales", name: "view", locations: [] },
  ],
  sources: [],
};

function compile(
  grants: Grant[],
  opts: { fileExecute?: boolean; target?: "posix" | "webhdfs"; roots?: string[] } = {},
) {
  const policy: Policy = { grants, sources: [] };
  return compileDesired(policy, catalog, {
    grants: { actionPerms: DEFAULT_ACTION_PERMS, uriGrants: false },
    locations: { target: opts.target ?? "posix", roots: opts.roots ?? ["/wh", "/archive", "/ext"] },
    shape: { fileExecute: opts.fileExecute ?? false, defaultAcls: true },
  });
}

describe("compileDesired", () => {
  it("grants r-x on directories and r-- on files for SELECT, with default entries on directories", () => {
    const d = compile([grant("group", "analysts", { db: "sales", table: "orders", action: "select" })]);
    const ctx = d.contexts.get("/wh/sales.db/orders")!;
    assert.equal(formatAclSpec(ctx.dir), "group:analysts:r-x,default:group:analysts:r-x");
    assert.equal(formatAclSpec(ctx.file), "group:analysts:r--");
  });

  it("follows Sentry on HDFS: r-x/-wx/rwx on files too", () => {
    const d = compile(
      [
        grant("group", "r", { db: "sales", table: "orders", action: "select" }),
        grant("group", "w", { db: "sales", table: "orders", action: "insert" }),
        grant("group", "a", { db: "sales", table: "orders", action: "all" }),
      ],
      { fileExecute: true },
    );
    assert.equal(
      formatAclSpec(d.contexts.get("/wh/sales.db/orders")!.file),
      "group:a:rwx,group:r:r-x,group:w:-wx",
    );
  });

  it("lets a database grant reach an external table outside the database directory, through the catalog", () => {
    const d = compile([grant("group", "analysts", { db: "sales", action: "select" })]);
    assert.equal(formatAclSpec(d.contexts.get("/ext/data")!.file), "group:analysts:r--");
    assert.equal(formatAclSpec(d.contexts.get("/wh/sales.db")!.file), "group:analysts:r--");
  });

  it("maps a partition outside the table directory to the table", () => {
    const d = compile([grant("user", "alice", { db: "sales", table: "orders", action: "insert" })]);
    const ctx = d.contexts.get("/archive/orders/dt=1")!;
    assert.deepEqual(ctx.objects, ["sales.orders"]);
    assert.equal(formatAclSpec(ctx.dir), "user:alice:-wx,default:user:alice:-wx");
  });

  it("ORs several grants to one principal, and table grants do not reach the database directory", () => {
    const d = compile([
      grant("group", "g", { db: "sales", table: "orders", action: "select" }),
      grant("group", "g", { db: "sales", table: "orders", action: "insert" }),
    ]);
    assert.equal(formatAclSpec(d.contexts.get("/wh/sales.db/orders")!.file), "group:g:rw-");
    assert.equal(d.contexts.get("/wh/sales.db")!.file.length, 0);
  });

  it("hands locations granted alike one shared, frozen entry list, and others their own", () => {
    const d = compile([
      grant("group", "all", { db: "sales", action: "select" }),
      grant("user", "bob", { db: "sales", table: "ext", action: "insert" }),
    ]);
    const orders = d.contexts.get("/wh/sales.db/orders")!;
    const partition = d.contexts.get("/archive/orders/dt=1")!;
    const ext = d.contexts.get("/ext/data")!;
    assert.equal(orders.file, partition.file);
    assert.ok(Object.isFrozen(orders.file));
    assert.notEqual(orders.file, ext.file);
    assert.equal(formatAclSpec(ext.file), "group:all:r--,user:bob:-w-");
  });

  it("treats db=* and table=* as wildcards", () => {
    const d = compile([grant("group", "all", { db: "*", table: "*", action: "select" })]);
    assert.equal(d.contexts.get("/wh/sales.db/orders")!.file.length, 1);
    assert.equal(d.contexts.get("/wh/sales.db")!.file.length, 0);
  });

  it("produces nothing for server, column, URI and non-data grants, and says why", () => {
    const d = compile([
      grant("group", "admins", { action: "all" }),
      grant("group", "c", { db: "sales", table: "orders", column: "ssn", action: "select" }),
      grant("group", "u", { uri: "hdfs://nn/x", action: "all" }),
      grant("group", "d", { db: "sales", action: "drop" }),
    ]);
    for (const ctx of d.contexts.values()) assert.equal(ctx.dir.length, 0);
    const reasons = d.ignoredGrants.map((g) => g.reason);
    assert.ok(reasons.some((r) => r.includes("server-level")));
    assert.ok(reasons.some((r) => r.includes("column-level")));
    assert.ok(reasons.some((r) => r.includes("uri_grants")));
    assert.ok(reasons.some((r) => r.includes("action drop")));
  });

  it("gives a URI grant its own location when [compile] uri_grants = true", () => {
    const d = compileDesired(
      { grants: [grant("group", "etl", { uri: "file:///ext/landing", action: "all" })], sources: [] },
      catalog,
      {
        grants: { actionPerms: DEFAULT_ACTION_PERMS, uriGrants: true },
        locations: { target: "posix", roots: ["/wh", "/archive", "/ext"] },
        shape: { fileExecute: false, defaultAcls: true },
      },
    );
    const ctx = d.contexts.get("/ext/landing")!;
    assert.deepEqual(ctx.objects, ["uri:file:///ext/landing"]);
    assert.equal(formatAclSpec(ctx.file), "group:etl:rw-");
  });

  it("reports locations outside the roots, and views have none", () => {
    const d = compile([], { roots: ["/wh"] });
    assert.deepEqual(d.ignoredLocations.map((l) => l.uri).sort(), [
      "/archive/orders/dt=1",
      "file:///ext/data",
    ]);
    assert.ok(![...d.contexts.values()].some((c) => c.objects.includes("sales.view")));
  });
});

describe("resolveLocation", () => {
  const posix = { target: "posix" as const, roots: ["/srv/wh"] };
  const hdfs = { target: "webhdfs" as const, roots: ["/warehouse"], nameservice: "prod" };
  it("never resolves a location outside the roots, whatever its form", () => {
    for (const uri of [
      "/",
      "/etc",
      "/srv/wh/../etc",
      "/srv/whx",
      "file://evil/srv/wh/x",
      "hdfs://nn/srv/wh/x",
      "relative/x",
    ]) {
      assert.equal(resolveLocation(uri, posix).ok, false, uri);
    }
  });
  it("normalises // and trailing slashes, and decodes file: URIs", () => {
    assert.deepEqual(resolveLocation("/srv//wh/t/", posix), { ok: true, path: "/srv/wh/t" });
    assert.deepEqual(resolveLocation("file:///srv/wh/a%20b", posix), { ok: true, path: "/srv/wh/a b" });
    assert.deepEqual(resolveLocation("file://localhost/srv/wh", posix), { ok: true, path: "/srv/wh" });
  });
  it("matches hdfs:// authorities against the nameservice", () => {
    assert.deepEqual(resolveLocation("hdfs://prod/warehouse/t", hdfs), { ok: true, path: "/warehouse/t" });
    assert.equal(resolveLocation("hdfs://other/warehouse/t", hdfs).ok, false);
    assert.equal(resolveLocation("s3a://bucket/warehouse/t", hdfs).ok, false);
  });
});
