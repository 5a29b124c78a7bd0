import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseAclSpec } from "../../src/acl/spec.ts";
import type { DesiredState, LocationContext, ObjectAcl } from "../../src/compile/model.ts";
import { buildMatrix, globMatcher, objectLocations, principalMatcher } from "../../src/report/matrix.ts";
import { renderMatrixCsv } from "../../src/report/matrix-text.ts";

function object(name: string, kind: ObjectAcl["kind"], grants: [string, number][]): ObjectAcl {
  return {
    name,
    kind,
    grants: new Map(
      grants.map(([key, perm]) => {
        const [k, n] = key.split(":") as ["group" | "user", string];
        return [key, { principal: { kind: k, name: n }, perm, denied: 0, reasons: [] }];
      }),
    ),
  };
}

function context(path: string, locs: [string, "database" | "table" | "partition"][]): LocationContext {
  const source = { file: "locations.ini", line: 1 };
  return {
    path,
    objects: locs.map(([o]) => o),
    locations: locs.map(([object, kind]) => ({ object, kind, location: { uri: path, kind, source } })),
    dir: [],
    file: [],
  } as LocationContext;
}

const desired: DesiredState = {
  objects: new Map([
    ["sales", object("sales", "database", [["group:staff", 5]])],
    [
      "sales.orders",
      object("sales.orders", "table", [
        ["group:staff", 5],
        ["group:etl", 3],
      ]),
    ],
  ]),
  contexts: new Map([
    ["/w/sales.db", context("/w/sales.db", [["sales", "database"]])],
    ["/w/archive/o", context("/w/archive/o", [["sales.orders", "partition"]])],
    ["/w/sales.db/orders", context("/w/sales.db/orders", [["sales.orders", "table"]])],
  ]),
  ignoredGrants: [],
  ignoredLocations: [],
};

describe("the access matrix", () => {
  it("places each object at its own location rather than a partition's", () => {
    assert.deepEqual(
      objectLocations(desired).map((o) => [o.object, o.path]),
      [
        ["sales", "/w/sales.db"],
        ["sales.orders", "/w/sales.db/orders"],
      ],
    );
  });

  it("compares what the grants give with each entry ∧ mask, and counts drift per object", () => {
    const m = buildMatrix({
      desired,
      objects: objectLocations(desired),
      actual: new Map([
        ["/w/sales.db", parseAclSpec("user::rwx,group::r-x,group:staff:r-x,mask::r-x,other::---")],
        [
          "/w/sales.db/orders",
          parseAclSpec(
            "user::rwx,group::r-x,group:staff:r-x,group:etl:-wx,user:eve:rwx,mask::r-x,other::---",
          ),
        ],
      ]),
      page: 1,
      pageSize: 10,
      total: 2,
    });
    assert.deepEqual(m.principals, ["group:etl", "group:staff", "user:eve"]);
    const orders = m.rows[1]!;
    assert.deepEqual(orders.cells["group:etl"], {
      desired: { read: false, write: true },
      actual: { read: false, write: false },
      drift: true,
    });
    assert.equal(orders.cells["user:eve"]!.drift, true);
    assert.deepEqual([m.rows[0]!.drift, orders.drift], [0, 2]);
  });

  it("marks an unreadable location and its granted cells as drift", () => {
    const [sales] = objectLocations(desired);
    const m = buildMatrix({
      desired,
      objects: [sales!],
      actual: new Map([["/w/sales.db", { error: "missing" }]]),
      page: 1,
      pageSize: 1,
      total: 2,
    });
    assert.deepEqual(
      [m.rows[0]!.unreadable, m.rows[0]!.cells["group:staff"]!.actual, m.pages],
      ["missing", null, 2],
    );
  });

  it("takes denied bits away from what the grants give", () => {
    const denying = object("sales", "database", [["user:eve", 4]]);
    denying.grants.set("user:eve", { ...denying.grants.get("user:eve")!, denied: 4 });
    const m = buildMatrix({
      desired: { ...desired, objects: new Map([["sales", denying]]) },
      objects: [{ object: "sales", kind: "database", path: "/w/sales.db" }],
      actual: new Map([
        ["/w/sales.db", parseAclSpec("user::rwx,user:eve:---,group::---,mask::---,other::---")],
      ]),
      page: 1,
      pageSize: 1,
      total: 1,
    });
    assert.deepEqual(m.rows[0]!.cells["user:eve"], {
      desired: { read: false, write: false },
      actual: { read: false, write: false },
      drift: false,
    });
  });

  it("filters principals by key or bare name, with * and ? only", () => {
    assert.equal(principalMatcher("st*")("group:staff"), true);
    assert.equal(principalMatcher("group:e?l")("group:etl"), true);
    assert.equal(globMatcher("sales.*")("salesXorders"), false);
    assert.equal(globMatcher("sales.*")("sales.orders"), true);
  });

  it("defuses spreadsheet formulas in CSV fields", () => {
    const m = buildMatrix({
      desired: { ...desired, objects: new Map([["=cmd", object("=cmd", "table", [["group:x", 4]])]]) },
      objects: [{ object: "=cmd", kind: "table", path: "/w/a,b" }],
      actual: new Map(),
      page: 1,
      pageSize: 1,
      total: 1,
    });
    assert.match(renderMatrixCsv(m), /\n'=cmd,table,"\/w\/a,b",group:x,true,false,,,true\n/);
  });
});
