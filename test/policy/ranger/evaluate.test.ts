import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sortEntries } from "../../../src/acl/entry.ts";
import { formatAclSpec } from "../../../src/acl/spec.ts";
import type { Catalog, RawLocation } from "../../../src/catalog/model.ts";
import { compileDesired } from "../../../src/compile/desired.ts";
import type { DesiredState } from "../../../src/compile/model.ts";
import { DEFAULT_ACTION_PERMS } from "../../../src/policy/model.ts";
import { screenPrincipals } from "../../../src/policy/principals.ts";
import { parseRangerDocument } from "../../../src/policy/ranger/document.ts";
import { normalizeRangerPolicies } from "../../../src/policy/ranger/normalize.ts";
import { type PolicySpec, rangerExport, rangerRole } from "./fixtures.ts";

const loc = (uri: string, kind: RawLocation["kind"] = "table"): RawLocation => ({
  uri,
  kind,
  source: { file: "locations.ini", line: 1 },
});

const catalog: Catalog = {
  databases: [
    { name: "sales", locations: [loc("/wh/sales.db", "database")] },
    { name: "hr", locations: [loc("/wh/hr.db", "database")] },
  ],
  tables: [
    { db: "sales", name: "orders", locations: [loc("/wh/sales.db/orders")] },
    { db: "sales", name: "customers", locations: [loc("/wh/sales.db/customers")] },
    { db: "sales", name: "tmp_load", locations: [loc("/wh/sales.db/tmp_load")] },
    { db: "hr", name: "people", locations: [loc("/wh/hr.db/people")] },
  ],
  sources: [],
};

/** Through the same steps as a load: parse, normalize, the principal-name screen, compile. */
function compile(policies: PolicySpec[], roles: ReturnType<typeof rangerRole>[] = []) {
  const doc = parseRangerDocument(rangerExport(policies, roles), "export.json");
  assert.deepEqual(doc.errors, []);
  const n = normalizeRangerPolicies(doc.policies, doc.roles, "cm_hive", "export.json");
  const loaded = screenPrincipals(
    {
      policy: { grants: [], sources: [], ranger: { service: "cm_hive", rules: n.rules } },
      errors: [],
      warnings: n.warnings,
      sources: [],
    },
    "posix",
  );
  const desired = compileDesired(loaded.policy!, catalog, {
    grants: { actionPerms: DEFAULT_ACTION_PERMS, uriGrants: false },
    locations: { target: "posix", roots: ["/wh"] },
    shape: { fileExecute: false, defaultAcls: false },
  });
  return { desired, warnings: loaded.warnings.map((w) => w.message), diagnostics: loaded.warnings };
}

// In getfacl's order: named users before named groups.
const files = (d: DesiredState, path: string) => formatAclSpec(sortEntries(d.contexts.get(path)?.file ?? []));
const dirs = (d: DesiredState, path: string) => formatAclSpec(sortEntries(d.contexts.get(path)?.dir ?? []));

const selectAll = (id: number, groups: string[], table = "*"): PolicySpec => ({
  id,
  name: `read ${table}`,
  resources: { database: ["sales"], table: [table], column: ["*"] },
  allow: [{ accesses: ["select"], groups }],
});

describe("Ranger policies compiled to file ACLs", () => {
  it("a wildcard-table select policy reaches the database and every table in it, nothing elsewhere", () => {
    const { desired } = compile([selectAll(1, ["analysts"])]);
    for (const t of ["orders", "customers", "tmp_load"])
      assert.equal(files(desired, `/wh/sales.db/${t}`), "group:analysts:r--", t);
    assert.equal(dirs(desired, "/wh/sales.db"), "group:analysts:r-x");
    assert.equal(files(desired, "/wh/hr.db/people"), "");
  });

  it("matches names with * and ? case-insensitively", () => {
    const { desired } = compile([
      {
        id: 1,
        name: "o",
        resources: { database: ["SAL*"], table: ["ord?rs"] },
        allow: [{ accesses: ["select"], groups: ["a"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "group:a:r--");
    assert.equal(files(desired, "/wh/sales.db/customers"), "");
  });

  it("maps select/read to read, update/write to write, all to both; other accesses give nothing and are reported", () => {
    const { desired, warnings } = compile([
      {
        id: 1,
        name: "u",
        resources: { database: ["sales"], table: ["orders"] },
        allow: [{ accesses: ["update"], groups: ["etl"] }],
      },
      {
        id: 2,
        name: "w",
        resources: { database: ["sales"], table: ["customers"] },
        allow: [{ accesses: ["read", "write"], groups: ["etl"] }],
      },
      {
        id: 3,
        name: "a",
        resources: { database: ["hr"], table: ["*"] },
        allow: [{ accesses: ["all"], users: ["hrbot"] }],
      },
      {
        id: 4,
        name: "c",
        resources: { database: ["sales"], table: ["tmp_load"] },
        allow: [{ accesses: ["create", "drop"], groups: ["dba"] }],
      },
    ]);
    assert.equal(dirs(desired, "/wh/sales.db/orders"), "group:etl:-wx");
    assert.equal(files(desired, "/wh/sales.db/orders"), "group:etl:-w-");
    assert.equal(files(desired, "/wh/sales.db/customers"), "group:etl:rw-");
    assert.equal(files(desired, "/wh/hr.db/people"), "user:hrbot:rw-");
    assert.equal(files(desired, "/wh/sales.db/tmp_load"), "");
    assert.ok(
      warnings.some((w) =>
        /policy 4 "c": policyItems\[0\]: access create, drop gives no file access/.test(w),
      ),
    );
  });

  it("gives nothing for column-subset, masking, row-filter, disabled, zoned and other-service policies, and says why", () => {
    const on = { database: ["sales"], table: ["orders"] };
    const { desired, warnings } = compile([
      {
        id: 1,
        name: "cols",
        resources: { ...on, column: ["id", "amount"] },
        allow: [{ accesses: ["select"], groups: ["g1"] }],
      },
      {
        id: 2,
        name: "mask",
        policyType: 1,
        resources: { ...on, column: ["*"] },
        allow: [{ accesses: ["select"], groups: ["g2"] }],
      },
      {
        id: 3,
        name: "rows",
        policyType: 2,
        resources: on,
        allow: [{ accesses: ["select"], groups: ["g3"] }],
      },
      {
        id: 4,
        name: "off",
        isEnabled: false,
        resources: on,
        allow: [{ accesses: ["select"], groups: ["g4"] }],
      },
      {
        id: 5,
        name: "other",
        service: "other_hive",
        resources: on,
        allow: [{ accesses: ["select"], groups: ["g5"] }],
      },
      {
        id: 6,
        name: "zoned",
        zoneName: "finance",
        resources: on,
        allow: [{ accesses: ["select"], groups: ["g6"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "");
    for (const [id, why] of [
      [1, /covers some columns only/],
      [2, /masking policy/],
      [3, /row-filter policy/],
      [4, /is disabled/],
      [5, /is for service other_hive, not cm_hive/],
      [6, /security zone finance/],
    ] as const)
      assert.ok(
        warnings.some((w) => w.startsWith(`ranger policy ${id} `) && why.test(w)),
        `policy ${id}`,
      );
  });

  it("applies an isExcludes table list to the other tables only", () => {
    const { desired } = compile([
      {
        id: 1,
        name: "not tmp",
        resources: { database: ["sales"], table: { values: ["tmp_*", "customers"], isExcludes: true } },
        allow: [{ accesses: ["select"], groups: ["bi"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "group:bi:r--");
    assert.equal(files(desired, "/wh/sales.db/customers"), "");
    assert.equal(files(desired, "/wh/sales.db/tmp_load"), "");
  });

  it("a database-only policy covers the database directory, not its tables", () => {
    const { desired } = compile([
      {
        id: 1,
        name: "db",
        resources: { database: ["sales"] },
        allow: [{ accesses: ["select"], groups: ["g"] }],
      },
    ]);
    assert.equal(dirs(desired, "/wh/sales.db"), "group:g:r-x");
    assert.equal(files(desired, "/wh/sales.db/orders"), "");
  });

  it("turns a user deny into user:U:--- next to the group's allow", () => {
    const { desired } = compile([
      selectAll(1, ["analysts"]),
      {
        id: 7,
        name: "no orders for bob",
        resources: { database: ["sales"], table: ["orders"] },
        deny: [{ accesses: ["select"], users: ["bob"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "user:bob:---,group:analysts:r--");
    assert.equal(dirs(desired, "/wh/sales.db/orders"), "user:bob:---,group:analysts:r-x");
    assert.equal(files(desired, "/wh/sales.db/customers"), "group:analysts:r--");
  });

  it("a user deny of one access keeps the user's other allowed access", () => {
    const { desired } = compile([
      {
        id: 1,
        name: "rw",
        resources: { database: ["sales"], table: ["orders"] },
        allow: [{ accesses: ["select", "update"], users: ["bob"] }],
      },
      {
        id: 2,
        name: "ro",
        resources: { database: ["sales"], table: ["orders"] },
        deny: [{ accesses: ["update"], users: ["bob"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "user:bob:r--");
  });

  it("a group deny removes the group's allow and is reported as not fully representable", () => {
    const { desired, warnings } = compile([
      selectAll(1, ["analysts", "contractors"]),
      {
        id: 2,
        name: "no contractors",
        resources: { database: ["sales"], table: ["orders"] },
        deny: [{ accesses: ["select"], groups: ["contractors"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "group:analysts:r--");
    assert.equal(files(desired, "/wh/sales.db/customers"), "group:analysts:r--,group:contractors:r--");
    assert.ok(
      warnings.some((w) => /policy 2 .*denies groups contractors: a group deny cannot be expressed/.test(w)),
    );
    const ignored = desired.ignoredGrants.find((i) => i.object === "sales.orders");
    assert.match(ignored?.reason ?? "", /group contractors gets no entry/);
  });

  it("allow exceptions: an excepted user gets user:U:---, an excepted group gets nothing", () => {
    const { desired } = compile([
      {
        ...selectAll(1, ["analysts", "interns"], "orders"),
        allowExceptions: [
          { accesses: ["select"], users: ["carol"] },
          { accesses: ["select"], groups: ["interns"] },
        ],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "user:carol:---,group:analysts:r--");
  });

  it("a deny exception lets the excepted user keep his allow", () => {
    const { desired } = compile([
      selectAll(1, [], "orders"),
      {
        id: 2,
        name: "deny all but dave",
        resources: { database: ["sales"], table: ["orders"] },
        allow: [{ accesses: ["select"], users: ["dave"] }],
        deny: [{ accesses: ["select"], users: ["{USER}"] }],
        denyExceptions: [{ accesses: ["select"], users: ["dave"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "user:dave:r--");
  });

  it("an override-priority allow beats a normal deny", () => {
    const { desired } = compile([
      {
        id: 1,
        name: "deny",
        resources: { database: ["sales"], table: ["orders"] },
        deny: [{ accesses: ["select"], users: ["erin"] }],
      },
      {
        id: 2,
        name: "override",
        policyPriority: 1,
        resources: { database: ["sales"], table: ["orders"] },
        allow: [{ accesses: ["select"], users: ["erin"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "user:erin:r--");
  });

  it("isDenyAllElse denies principals the policy does not allow, and is reported", () => {
    const { desired, warnings } = compile([
      selectAll(1, ["analysts"]),
      {
        id: 2,
        name: "orders only for finance",
        isDenyAllElse: true,
        resources: { database: ["sales"], table: ["orders"] },
        allow: [{ accesses: ["select"], groups: ["finance"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "group:finance:r--");
    assert.ok(warnings.some((w) => /policy 2 .*isDenyAllElse/.test(w)));
  });

  it("expands roles, nested ones included, into their users and groups", () => {
    const { desired } = compile(
      [
        {
          id: 1,
          name: "by role",
          resources: { database: ["hr"], table: ["*"] },
          allow: [{ accesses: ["select"], roles: ["hr_readers"] }],
        },
      ],
      [
        rangerRole("hr_readers", { users: ["frank"], roles: ["auditors"] }),
        rangerRole("auditors", { groups: ["audit"] }),
      ],
    );
    assert.equal(files(desired, "/wh/hr.db/people"), "user:frank:r--,group:audit:r--");
  });

  it("gives allows under conditions nothing, and reports allows to public", () => {
    const { desired, warnings } = compile([
      {
        id: 1,
        name: "cond",
        resources: { database: ["sales"], table: ["orders"] },
        allow: [
          { accesses: ["select"], groups: ["g"], conditions: [{ type: "ip-range", values: ["10.*"] }] },
        ],
      },
      {
        id: 2,
        name: "all",
        resources: { database: ["sales"], table: ["customers"] },
        allow: [{ accesses: ["select"], groups: ["public"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "");
    assert.equal(files(desired, "/wh/sales.db/customers"), "");
    assert.ok(warnings.some((w) => /policy 1 .*has conditions/.test(w)));
    assert.ok(warnings.some((w) => /policy 2 .*allows every user \(public\)/.test(w)));
  });

  it("passes every user and group through the principal-name rule, naming the policy item", () => {
    const { desired, diagnostics } = compile([
      {
        ...selectAll(1, ["ok", "bad,name", "evil:x", "a b"], "orders"),
        deny: [{ accesses: ["select"], users: ["{USER}", "x#y"] }],
      },
    ]);
    assert.equal(files(desired, "/wh/sales.db/orders"), "");
    const invalid = diagnostics.filter((d) => d.code === "GS_PRINCIPAL_INVALID");
    assert.deepEqual(
      invalid.map((d) => `${d.file}: ${/name "(.*)" is invalid/.exec(d.message)?.[1]}`),
      [
        'ranger policy 1 "read orders" policyItems[0]: bad,name',
        'ranger policy 1 "read orders" policyItems[0]: evil:x',
        'ranger policy 1 "read orders" policyItems[0]: a b',
        'ranger policy 1 "read orders" denyPolicyItems[0]: x#y',
      ],
    );
  });
});
