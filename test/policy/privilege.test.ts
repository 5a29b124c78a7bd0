import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePrivilege } from "../../src/policy/privilege.ts";
import { validatePrivilege } from "../../src/policy/validate.ts";

const codes = (text: string) => parsePrivilege(text).findings.map((f) => f.code);

describe("parsePrivilege", () => {
  it("lower-cases keys and resource names and treats a missing action as all", () => {
    const { parts, findings } = parsePrivilege(
      " SERVER=Server1 -> DB=Sales -> Table=Customer -> Column=Name ",
    );
    assert.deepEqual(findings, []);
    assert.deepEqual(parts, {
      server: "server1",
      db: "sales",
      table: "customer",
      column: "name",
      action: "all",
    });
  });

  it("stores * and ALL in any case as the wildcard *", () => {
    assert.equal(parsePrivilege("server=s1->db=*").parts.db, "*");
    assert.equal(parsePrivilege("server=s1->db=ALL").parts.db, "*");
    assert.equal(parsePrivilege("server=s1->db=d->table=aLl").parts.table, "*");
  });

  it("reads actions case-insensitively, with * meaning all", () => {
    assert.equal(parsePrivilege("server=s1->action=SELECT").parts.action, "select");
    assert.equal(parsePrivilege("server=s1->db=d->action=*").parts.action, "all");
    assert.equal(parsePrivilege("server=s1->db=d->action=Owner").parts.action, "owner");
  });

  it("keeps the case of a URI", () => {
    const { parts, findings } = parsePrivilege("server=s1->uri=hdfs://NN:8020/Data/X");
    assert.deepEqual(findings, []);
    assert.equal(parts.uri, "hdfs://NN:8020/Data/X");
  });

  it("rejects a URI without scheme:// and an absolute path", () => {
    assert.deepEqual(codes("server=s1->uri=/data"), ["GS_POLICY_URI"]);
    assert.deepEqual(codes("server=s1->uri=hdfs://nn"), ["GS_POLICY_URI"]);
    assert.deepEqual(codes("server=s1->uri=s3a://bucket/key"), []);
  });

  it("rejects an unknown action", () => {
    assert.deepEqual(codes("server=s1->db=d->action=read"), ["GS_POLICY_ACTION"]);
  });

  it("rejects the legacy form ...->table=t->select and says how to write it", () => {
    const { findings } = parsePrivilege("server=s1->db=d->table=t->select");
    assert.deepEqual(
      findings.map((f) => f.code),
      ["GS_POLICY_SYNTAX"],
    );
    assert.match(findings[0]!.message, /write action=select/);
  });

  it("rejects empty keys and values, unknown keys and grantoption", () => {
    assert.deepEqual(codes("server=s1->db="), ["GS_POLICY_EMPTY_VALUE"]);
    assert.deepEqual(codes("server=s1->=d"), ["GS_POLICY_EMPTY_VALUE"]);
    assert.deepEqual(codes("server=s1->database=d"), ["GS_POLICY_UNKNOWN_KEY"]);
    assert.deepEqual(codes("server=s1->db=d->action=select->grantoption=true"), ["GS_POLICY_GRANT_OPTION"]);
  });

  it("rejects repeated, out-of-order and orphaned parts", () => {
    assert.deepEqual(codes("server=s1->db=a->db=b"), ["GS_POLICY_HIERARCHY"]);
    assert.deepEqual(codes("server=s1->action=select->db=d"), ["GS_POLICY_HIERARCHY"]);
    assert.deepEqual(codes("server=s1->table=t"), ["GS_POLICY_HIERARCHY"]);
    assert.deepEqual(codes("server=s1->db=d->uri=file:///x"), ["GS_POLICY_HIERARCHY"]);
  });

  it("reports every problem of one privilege, not only the first", () => {
    assert.deepEqual(codes("server=s1->db=->tbl=t->action=read"), [
      "GS_POLICY_EMPTY_VALUE",
      "GS_POLICY_UNKNOWN_KEY",
      "GS_POLICY_ACTION",
    ]);
  });
});

describe("validatePrivilege", () => {
  const check = (text: string, database?: string) =>
    validatePrivilege(parsePrivilege(text).parts, text, { server: "Server1", database }).map((f) => f.code);

  it("accepts the configured server in any case", () => {
    assert.deepEqual(check("server=SERVER1->db=d"), []);
  });

  it("rejects a privilege without server=, server=* and another server", () => {
    assert.deepEqual(check("db=d->action=select"), ["GS_POLICY_SERVER_REQUIRED"]);
    assert.deepEqual(check("server=*->db=d"), ["GS_POLICY_SERVER_WILDCARD"]);
    assert.deepEqual(check("server=all->db=d"), ["GS_POLICY_SERVER_WILDCARD"]);
    assert.deepEqual(check("server=server2->db=d"), ["GS_POLICY_SERVER_MISMATCH"]);
  });

  it("in a per-database file requires db= naming that database and forbids uri=", () => {
    assert.deepEqual(check("server=server1->db=Sales->table=t", "sales"), []);
    assert.deepEqual(check("server=server1", "sales"), ["GS_POLICY_DB_REQUIRED"]);
    assert.deepEqual(check("server=server1->db=other", "sales"), ["GS_POLICY_DB_MISMATCH"]);
    assert.deepEqual(check("server=server1->db=*", "sales"), ["GS_POLICY_DB_MISMATCH"]);
    assert.deepEqual(check("server=server1->uri=file:///x", "sales"), ["GS_POLICY_URI_IN_DB_FILE"]);
  });

  it("reports a server and a database problem together", () => {
    assert.deepEqual(check("server=s2->db=other", "sales"), [
      "GS_POLICY_SERVER_MISMATCH",
      "GS_POLICY_DB_MISMATCH",
    ]);
  });
});
