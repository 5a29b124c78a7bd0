import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parseRangerDocument } from "../../../src/policy/ranger/document.ts";
import { loadRangerPolicy } from "../../../src/policy/ranger/source.ts";
import { type PolicySpec, rangerDownload, rangerExport, rangerPolicy, rangerRole } from "./fixtures.ts";

const READ: PolicySpec = {
  id: 3,
  name: "read",
  resources: { database: ["sales"], table: ["*"] },
  allow: [{ accesses: ["select"], roles: ["readers"] }],
};

describe("Ranger's JSON shapes", () => {
  let t: string;
  before(() => {
    t = mkdtempSync(join(tmpdir(), "gs-ranger-doc-"));
  });
  after(() => rmSync(t, { recursive: true, force: true }));

  const load = (name: string, text: string, extra: { rolesFile?: string; service?: string } = {}) => {
    writeFileSync(join(t, name), text);
    return loadRangerPolicy({
      type: "ranger",
      service: extra.service ?? "cm_hive",
      file: join(t, name),
      pageSize: 200,
      ...extra,
    });
  };

  it("reads an admin export and a plugin download into the same rules", async () => {
    const a = await load("export.json", rangerExport([READ]));
    const b = await load("download.json", rangerDownload("cm_hive", [READ]));
    assert.deepEqual(a.errors, []);
    assert.deepEqual(b.errors, []);
    assert.deepEqual(a.policy?.ranger, b.policy?.ranger);
    assert.equal(a.policy?.ranger?.rules[0]?.name, "read");
  });

  it("refuses a plugin download made for another service", async () => {
    const r = await load("other.json", rangerDownload("prod_hive", [READ]));
    assert.equal(r.policy, undefined);
    assert.match(r.errors[0]?.message ?? "", /for service prod_hive, not \[policy\] service = cm_hive/);
  });

  it("expands roles from a roles file as Ranger's roles download writes it", async () => {
    const roles = join(t, "roles.json");
    writeFileSync(
      roles,
      JSON.stringify({
        serviceName: "cm_hive",
        roleVersion: 4,
        rangerRoles: [rangerRole("readers", { groups: ["analysts"] })],
      }),
    );
    const r = await load("with-roles.json", rangerDownload("cm_hive", [READ]), { rolesFile: roles });
    assert.deepEqual(r.policy?.ranger?.rules[0]?.allow[0]?.groups, ["analysts"]);
    assert.ok(r.sources.includes(roles));
  });

  it("reports a role no roles list defines", async () => {
    const r = await load("no-roles.json", rangerExport([READ]));
    assert.ok(r.warnings.some((w) => /policyItems\[0\]: role readers is not defined/.test(w.message)));
  });

  it("refuses a malformed policy, naming it, rather than dropping it (it might be a deny)", () => {
    const bad = { ...rangerPolicy(READ), denyPolicyItems: [{ accesses: "select", users: ["bob"] }] };
    const d = parseRangerDocument(JSON.stringify({ policies: [bad] }), "x.json");
    assert.equal(d.errors.length, 1);
    assert.match(d.errors[0]!.message, /^policies\[0\] \(id 3\)\.denyPolicyItems\.0\.accesses: /);
  });

  it("names the first thing wrong in each malformed policy or role, with what it expected", () => {
    const good = rangerPolicy(READ);
    const d = parseRangerDocument(
      JSON.stringify({
        policies: [
          { ...good, id: undefined },
          { ...good, id: 7.5 },
          { ...good, resources: [] },
          { ...good, resources: { database: { values: "sales" } }, policyItems: 1 },
          "policy",
        ],
        roles: [{ name: "r", users: [{ name: 1 }] }, { users: [] }],
      }),
      "x.json",
    );
    assert.deepEqual(
      d.errors.map((e) => e.message),
      [
        "policies[0].id: Invalid input: expected number, received undefined",
        "policies[1] (id 7.5).id: Invalid input: expected int, received number",
        "policies[2] (id 3).resources: Invalid input: expected record, received array",
        "policies[3] (id 3).resources.database.values: Invalid input: expected array, received string",
        "policies[4].: Invalid input: expected object, received string",
        "roles[0].users.0.name: Invalid input: expected string, received number",
        "roles[1].name: Invalid input: expected string, received undefined",
      ],
    );
    assert.equal(d.policies.length, 0);
  });

  it("refuses text that is not a Ranger document", () => {
    assert.match(parseRangerDocument("{", "x.json").errors[0]!.message, /^not JSON/);
    assert.match(
      parseRangerDocument('{"hello": 1}', "x.json").errors[0]!.message,
      /neither policies nor roles/,
    );
    assert.match(parseRangerDocument("42", "x.json").errors[0]!.message, /not a Ranger policy export/);
  });

  it("takes a resource named __proto__ in a hostile document as data, never as a prototype", () => {
    // JSON.parse makes "__proto__" an own key; copying it into a plain object would set that object's
    // prototype, and every resource lookup would then inherit the attacker's "values".
    const text = JSON.stringify([rangerPolicy(READ)]).replace(
      '"resources":{',
      '"resources":{"__proto__":{"values":["*"],"isExcludes":true},',
    );
    assert.match(text, /"__proto__"/);
    const d = parseRangerDocument(text, "hostile.json");
    assert.deepEqual(d.errors, []);
    const resources = d.policies[0]!.resources as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(resources), Object.prototype);
    assert.deepEqual(Object.keys(resources).sort(), ["database", "table"]);
    assert.equal(({} as Record<string, unknown>).values, undefined);
  });

  it("reads a bare array (one REST page) and warns about security zones a download carries", () => {
    assert.equal(parseRangerDocument(JSON.stringify([rangerPolicy(READ)]), "page").policies.length, 1);
    const d = parseRangerDocument(
      JSON.stringify({ serviceName: "cm_hive", policies: [], securityZones: { finance: { policies: [] } } }),
      "d",
    );
    assert.match(d.warnings[0]!.message, /security zones finance are not read/);
  });
});
