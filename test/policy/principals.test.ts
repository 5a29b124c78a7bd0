import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { assembleGrants } from "../../src/policy/grants.ts";
import type { PolicyLoadResult } from "../../src/policy/model.ts";
import { parsePolicyText } from "../../src/policy/policy-file.ts";
import { screenPrincipals } from "../../src/policy/principals.ts";

function load(text: string): PolicyLoadResult {
  const { content } = parsePolicyText(text, "/etc/p.ini", { server: "server1" });
  const { grants } = assembleGrants([content]);
  return { policy: { grants, sources: ["/etc/p.ini"] }, errors: [], warnings: [], sources: ["/etc/p.ini"] };
}

describe("screening principal names at the edge", () => {
  const text = [
    "[groups]",
    "staff = r",
    "a,other = r",
    "x#y = r",
    "[roles]",
    "r = server=server1->db=sales->action=select",
    "[users]",
    "bob = staff",
    "",
  ].join("\n");

  it("leaves out the grants of invalid names and reports each with file:line", () => {
    const r = screenPrincipals(load(text), "posix");
    assert.deepEqual(
      r.policy!.grants.map((g) => `${g.principal.kind}:${g.principal.name}`),
      ["group:staff", "user:bob"],
    );
    assert.deepEqual(
      r.warnings.map((w) => [w.code, w.file, w.line]),
      [
        ["GS_PRINCIPAL_INVALID", "/etc/p.ini", 3],
        ["GS_PRINCIPAL_INVALID", "/etc/p.ini", 4],
      ],
    );
    assert.match(r.warnings[0]!.message, /group name "a,other" is invalid \(the name contains a comma\)/);
  });

  it("applies the target's own rule on top of the common one", () => {
    const dollar = load(text.replace("bob = staff", "host$ = staff"));
    assert.equal(screenPrincipals(dollar, "posix").warnings.length, 2);
    assert.equal(screenPrincipals(dollar, "webhdfs").warnings.length, 3);
  });
});
