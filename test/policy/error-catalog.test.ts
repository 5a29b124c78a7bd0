import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ERROR_CODES, formatDiagnostic } from "../../src/errors.ts";
import type { PolicyCode } from "../../src/policy/diagnostics.ts";
import { loadPolicyFile } from "../../src/policy/file-source.ts";
import { tempFiles } from "./temp-dir.ts";

/** One broken role line per error code; `db` puts it in the per-database file of "sales". */
const CASES: { code: PolicyCode; role: string; db?: true }[] = [
  { code: "GS_POLICY_SYNTAX", role: "r = server=server1->db=d->select" },
  { code: "GS_POLICY_UNKNOWN_KEY", role: "r = server=server1->schema=d" },
  { code: "GS_POLICY_EMPTY_VALUE", role: "r = server=server1->db=" },
  { code: "GS_POLICY_HIERARCHY", role: "r = server=server1->column=c" },
  { code: "GS_POLICY_SERVER_REQUIRED", role: "r = db=d" },
  { code: "GS_POLICY_SERVER_WILDCARD", role: "r = server=ALL" },
  { code: "GS_POLICY_SERVER_MISMATCH", role: "r = server=server9" },
  { code: "GS_POLICY_URI", role: "r = server=server1->uri=data/x" },
  { code: "GS_POLICY_ACTION", role: "r = server=server1->db=d->action=update" },
  { code: "GS_POLICY_GRANT_OPTION", role: "r = server=server1->db=d->action=select->grantoption=false" },
  { code: "GS_POLICY_DB_REQUIRED", role: "r = server=server1", db: true },
  { code: "GS_POLICY_DB_MISMATCH", role: "r = server=server1->db=hr", db: true },
  { code: "GS_POLICY_URI_IN_DB_FILE", role: "r = server=server1->uri=file:///x", db: true },
  { code: "GS_POLICY_UNKNOWN_SECTION", role: "r = server=server1->db=d\n[role]" },
  { code: "GS_POLICY_SECTION_NOT_ALLOWED", role: "r = server=server1->db=sales\n[users]", db: true },
];

describe("policy error catalog", () => {
  for (const { code, role, db } of CASES) {
    it(`prints ${code} as FILE:LINE: CODE message at the offending line`, async (t) => {
      const broken = `[groups]\ng = r\n[roles]\n${role}\n`;
      const good = "[groups]\ng = r\n[roles]\nr = server=server1->db=sales\n";
      const dir = tempFiles(t, {
        "policy.ini": db ? `${good}[databases]\nsales = sales.ini\n` : broken,
        "sales.ini": broken,
      });
      const file = join(dir, db ? "sales.ini" : "policy.ini");
      const r = await loadPolicyFile(join(dir, "policy.ini"), { server: "server1" });
      assert.equal(r.policy, undefined);
      assert.deepEqual(
        r.errors.map((d) => d.code),
        [code],
      );
      const line = code.includes("SECTION") ? 5 : 4;
      assert.match(formatDiagnostic(r.errors[0]!), new RegExp(`^${file}:${line}: ${code} \\S`));
    });
  }

  it("covers every error code of the catalog in these tests or the read tests", () => {
    const errorCodes = Object.entries(ERROR_CODES)
      .filter(([c, d]) => c.startsWith("GS_POLICY_") && "severity" in d && d.severity === "error")
      .map(([c]) => c);
    const untested = errorCodes.filter((c) => !CASES.some((k) => k.code === c));
    assert.deepEqual(untested, ["GS_POLICY_READ", "GS_POLICY_SECTION_MISSING"]);
  });
});
