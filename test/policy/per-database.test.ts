import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatDiagnostic } from "../../src/errors.ts";
import { loadPolicyFile } from "../../src/policy/file-source.ts";
import type { Grant } from "../../src/policy/model.ts";
import { tempFiles } from "./temp-dir.ts";

const opts = { server: "server1" };
const summary = (grants: Grant[]) =>
  grants.map((g) => `${g.principal.kind}:${g.principal.name} ${g.role} ${g.privilege.text}`);

const GLOBAL = `
  [groups]
  analyst = analyst_role
  [roles]
  analyst_role = server=server1->db=customers->action=select
  [databases]
  Other_Group_DB = other-group.ini
`;

describe("loadPolicyFile with per-database files", () => {
  it("resolves a relative path against the global file's directory and lower-cases the database key", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": GLOBAL,
      "other-group.ini": `
        [groups]
        other_group = analyst_role
        [roles]
        analyst_role = server=server1->db=other_group_db->table=purchases->action=select
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.sources, [join(dir, "policy.ini"), join(dir, "other-group.ini")]);
    assert.deepEqual(r.policy?.sources, r.sources);
  });

  it("keeps a role name defined in two files scoped to the file that defines it", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": GLOBAL,
      "other-group.ini": `
        [groups]
        other_group = analyst_role
        [roles]
        analyst_role = server=server1->db=other_group_db->table=purchases->action=select
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(summary(r.policy!.grants), [
      "group:analyst analyst_role server=server1->db=customers->action=select",
      "group:other_group analyst_role server=server1->db=other_group_db->table=purchases->action=select",
    ]);
    const other = r.policy!.grants[1]!;
    assert.deepEqual(other.privilege.source, { file: join(dir, "other-group.ini"), line: 4 });
    assert.deepEqual(other.via, { file: join(dir, "other-group.ini"), line: 2 });
  });

  it("does not resolve a per-database group against the global file's roles", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": GLOBAL,
      "other-group.ini": `
        [groups]
        other_group = analyst_role, global_only
        [roles]
        analyst_role = server=server1->db=other_group_db
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(
      r.warnings.map((d) => [d.file, d.line, d.code]),
      [[join(dir, "other-group.ini"), 2, "GS_POLICY_ROLE_UNDEFINED"]],
    );
  });

  it("reports per-database privileges without db=, for another db, or with uri= at their own file and line", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": GLOBAL,
      "other-group.ini": `
        [groups]
        other_group = r
        [roles]
        r = server=server1->db=other_group_db, \\
            server=server1, \\
            server=server1->db=customers->action=select, \\
            server=server1->uri=hdfs://nn:8020/tmp
      `,
    });
    const file = join(dir, "other-group.ini");
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.equal(r.policy, undefined);
    assert.deepEqual(
      r.errors.map((d) => formatDiagnostic(d).split(" ").slice(0, 2).join(" ")),
      [
        `${file}:5: GS_POLICY_DB_REQUIRED`,
        `${file}:6: GS_POLICY_DB_MISMATCH`,
        `${file}:7: GS_POLICY_URI_IN_DB_FILE`,
      ],
    );
  });

  it("rejects [users] and [databases] in a per-database file", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": GLOBAL,
      "other-group.ini": `
        [groups]
        other_group = r
        [roles]
        r = server=server1->db=other_group_db
        [users]
        bob = other_group
        [databases]
        nested = nested.ini
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(
      r.errors.map((d) => `${d.line} ${d.code}`),
      ["5 GS_POLICY_SECTION_NOT_ALLOWED", "7 GS_POLICY_SECTION_NOT_ALLOWED"],
    );
    assert.equal(r.sources.length, 2, "the nested file is never read");
  });

  it("reports a missing per-database file at the [databases] line that names it, and still lists it", async (t) => {
    const dir = tempFiles(t, { "policy.ini": GLOBAL });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    assert.equal(r.policy, undefined);
    assert.deepEqual(r.sources, [file, join(dir, "other-group.ini")]);
    assert.equal(r.errors.length, 1);
    assert.match(
      formatDiagnostic(r.errors[0]!),
      new RegExp(
        `^${file}:6: GS_POLICY_READ cannot read the policy file ".*other-group.ini" of database "other_group_db"`,
      ),
    );
  });

  it("gives a [users] user the roles its group holds in per-database files too", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `${GLOBAL}\n  [users]\n  alice = other_group\n`,
      "other-group.ini": `
        [groups]
        other_group = analyst_role
        [roles]
        analyst_role = server=server1->db=other_group_db->action=select
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    const alice = r.policy!.grants.filter((g) => g.principal.name === "alice");
    assert.deepEqual(summary(alice), [
      "user:alice analyst_role server=server1->db=other_group_db->action=select",
    ]);
    assert.equal(alice[0]?.viaGroup, "other_group");
    assert.deepEqual(alice[0]?.via, { file: join(dir, "policy.ini"), line: 9 });
  });
});
