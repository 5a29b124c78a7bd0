import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatDiagnostic } from "../../src/errors.ts";
import { loadPolicyFile } from "../../src/policy/file-source.ts";
import type { Grant, PolicyLoadResult } from "../../src/policy/model.ts";
import { tempFiles } from "./temp-dir.ts";

const opts = { server: "server1" };

/** `principal role privilege-text` per grant, the shape a reviewer reads. */
const summary = (grants: Grant[]) =>
  grants.map((g) => `${g.principal.kind}:${g.principal.name} ${g.role} ${g.privilege.text}`);

const formatted = (r: PolicyLoadResult) => r.errors.map(formatDiagnostic);

describe("loadPolicyFile", () => {
  it("turns group → role → privilege mappings into grants that name their sources", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        analysts = reader, writer

        [roles]
        reader = server=server1->db=sales->table=customer->action=select
        writer = server=server1->db=sales->action=insert
      `,
    });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.warnings, []);
    assert.deepEqual(r.sources, [file]);
    assert.deepEqual(r.policy?.grants[0], {
      principal: { kind: "group", name: "analysts" },
      role: "reader",
      privilege: {
        text: "server=server1->db=sales->table=customer->action=select",
        server: "server1",
        db: "sales",
        table: "customer",
        action: "select",
        source: { file, line: 5 },
      },
      via: { file, line: 2 },
    });
    assert.deepEqual(summary(r.policy!.grants), [
      "group:analysts reader server=server1->db=sales->table=customer->action=select",
      "group:analysts writer server=server1->db=sales->action=insert",
    ]);
  });

  it("reads continued privileges, comments, wildcards and case-insensitive keys and values", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        # admins see everything in every database
        admins = all_dbs
        [roles]
        all_dbs = SERVER=Server1->DB=*, \\
                  server=server1->db=ALL->TABLE=Orders#2->Action=SELECT
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(r.errors, []);
    const privileges = r.policy!.grants.map((g) => g.privilege);
    assert.deepEqual(
      privileges.map((p) => [p.db, p.table, p.action, p.source.line]),
      [
        ["*", undefined, "all", 5],
        ["*", "orders#2", "select", 6],
      ],
    );
  });

  it("reports a multi-line continued privilege at the line it starts", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        analysts = reader
        [roles]
        reader = server=server1->db=sales->action=select, server=server1->db=sales-> \\
                 table=t-> \\
                 action=read
      `,
    });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    assert.equal(r.policy, undefined);
    assert.deepEqual(
      formatted(r).map((s) => s.split(" ").slice(0, 2).join(" ")),
      [`${file}:4: GS_POLICY_ACTION`],
    );
  });

  it("reports a privilege without server= at the line it starts", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        analysts = reader
        [roles]
        reader = server=server1->db=a, \\
                 db=b->action=select
      `,
    });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    assert.deepEqual(formatted(r), [
      `${file}:5: GS_POLICY_SERVER_REQUIRED "db=b->action=select" has no server= part`,
    ]);
  });

  it("reports every error in the file with FILE:LINE and keeps no policy", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        analysts = reader
        analysts without equals
        [roles]
        reader = server=*->db=a, server=server2->db=b, server=server1->db=c->table=t->select
        writer = server=server1->colour=red, server=server1->db=->action=select
        granter = server=server1->db=d->action=all->grantoption=true
        uris = server=server1->uri=relative/path
        [userroles]
        x = y
      `,
    });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    assert.equal(r.policy, undefined);
    assert.deepEqual(
      r.errors.map((d) => `${d.line} ${d.code}`),
      [
        "3 GS_POLICY_SYNTAX",
        "5 GS_POLICY_SERVER_WILDCARD",
        "5 GS_POLICY_SERVER_MISMATCH",
        "5 GS_POLICY_SYNTAX",
        "6 GS_POLICY_UNKNOWN_KEY",
        "6 GS_POLICY_EMPTY_VALUE",
        "7 GS_POLICY_GRANT_OPTION",
        "8 GS_POLICY_URI",
        "9 GS_POLICY_UNKNOWN_SECTION",
      ],
    );
    for (const line of formatted(r)) assert.match(line, new RegExp(`^${file}:\\d+: GS_POLICY_[A-Z_]+ \\S`));
  });

  it("warns about a missing role, a role defined twice and empty lists but still returns the policy", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        analysts = reader, ghost
        idle =
        [roles]
        reader = server=server1->db=a
        reader = server=server1->db=b
        empty =
      `,
    });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.warnings.map((d) => `${d.line} ${d.code}`),
      [
        "2 GS_POLICY_ROLE_UNDEFINED",
        "3 GS_POLICY_EMPTY_LIST",
        "6 GS_POLICY_DUPLICATE_KEY",
        "7 GS_POLICY_EMPTY_LIST",
      ],
    );
    assert.match(r.warnings[2]!.message, /role "reader" defined twice \(lines 5 and 6\)/);
    assert.deepEqual(summary(r.policy!.grants), ["group:analysts reader server=server1->db=b"]);
  });

  it("turns [users] user → group mappings into user grants through that group's roles", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        analysts = reader
        [roles]
        reader = server=server1->db=sales->action=select
        [users]
        alice = analysts, nobody
      `,
    });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    const alice = r.policy!.grants.find((g) => g.principal.kind === "user");
    assert.deepEqual(alice?.principal, { kind: "user", name: "alice" });
    assert.equal(alice?.role, "reader");
    assert.equal(alice?.viaGroup, "analysts");
    assert.deepEqual(alice?.via, { file, line: 6 });
    assert.deepEqual(alice?.privilege.source, { file, line: 4 });
    assert.deepEqual(
      r.warnings.map((d) => `${d.line} ${d.code}`),
      ["6 GS_POLICY_GROUP_UNDEFINED"],
    );
  });

  it("reports a file that cannot be read and lists it as a source", async (t) => {
    const dir = tempFiles(t, {});
    const file = join(dir, "missing.ini");
    const r = await loadPolicyFile(file, opts);
    assert.equal(r.policy, undefined);
    assert.deepEqual(r.sources, [file]);
    assert.equal(r.errors[0]?.code, "GS_POLICY_READ");
    assert.match(formatDiagnostic(r.errors[0]!), new RegExp(`^${file}: GS_POLICY_READ cannot read`));
  });
});

describe("loadPolicyFile, Shiro details", () => {
  it("splits a role's privileges on commas outside quotes, as Shiro's PermissionUtils does", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        etl: loader
        [roles]
        loader = "server=server1->uri=hdfs://nn:8020/in/a,b", server=server1->db=d->view=v->action=select
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.policy!.grants.map((g) => g.privilege.uri),
      ["hdfs://nn:8020/in/a,b"],
    );
    assert.deepEqual(
      r.warnings.map((d) => `${d.line} ${d.code}`),
      ["4 GS_POLICY_VIEW_IGNORED"],
    );
  });

  it("reports an unterminated quote at the line it opens", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": '[groups]\ng = r\n[roles]\nr = server=server1->db=a, \\\n  "server=server1->db=b\n',
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(
      r.errors.map((d) => `${d.line} ${d.code}`),
      ["5 GS_POLICY_SYNTAX"],
    );
  });

  it("warns when a group is mapped twice and uses the later mapping, as Shiro does", async (t) => {
    const dir = tempFiles(t, {
      "policy.ini": `
        [groups]
        g = a
        g = b
        [roles]
        a = server=server1->db=a
        b = server=server1->db=b
      `,
    });
    const r = await loadPolicyFile(join(dir, "policy.ini"), opts);
    assert.deepEqual(
      r.warnings.map((d) => `${d.line} ${d.code} ${d.message.split(";")[0]}`),
      ['3 GS_POLICY_DUPLICATE_KEY group "g" defined twice (lines 2 and 3)'],
    );
    assert.deepEqual(summary(r.policy!.grants), ["group:g b server=server1->db=b"]);
  });

  it("rejects a file without [groups] or [roles], which Sentry ignores", async (t) => {
    const dir = tempFiles(t, { "policy.ini": "[roles]\nr = server=server1\n" });
    const file = join(dir, "policy.ini");
    const r = await loadPolicyFile(file, opts);
    assert.deepEqual(formatted(r), [
      `${file}: GS_POLICY_SECTION_MISSING no [groups] entries; Sentry ignores a file without them`,
    ]);
  });
});
