import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { MAX_PRINCIPAL_NAME, principalNameProblem } from "../../src/acl/principal.ts";

describe("the principal-name rule", () => {
  it("accepts the names sites use", () => {
    for (const name of ["alice", "www-data", "svc_etl", "hadoop.admin", "MACHINE$", "_apt", "g1"]) {
      assert.equal(principalNameProblem(name), undefined, name);
      assert.equal(principalNameProblem(name, "posix"), undefined, name);
    }
    for (const name of ["alice", "www-data", "svc_etl", "hadoop.admin", "1234"]) {
      assert.equal(principalNameProblem(name, "webhdfs"), undefined, name);
    }
  });

  it("refuses every character that splits or ends an entry in some spec text, for any target", () => {
    for (const name of [
      "x:rwx,user:mallory:rwx,group:y",
      "w:rwx,other:",
      "a,b",
      "a:b",
      "a#b",
      "a b",
      "a\tb",
      "a\nb",
      "a\0b",
      "a\u0085b",
      "a\u200bb",
      "a\u2028b",
      "",
      "x".repeat(MAX_PRINCIPAL_NAME + 1),
    ]) {
      assert.notEqual(principalNameProblem(name), undefined, JSON.stringify(name));
    }
  });

  it("applies useradd's rule on POSIX and the NameNode's pattern on WebHDFS", () => {
    for (const name of ["-rf", ".", "..", "1234", "a$b", "alice@EXAMPLE.COM", "é"]) {
      assert.notEqual(principalNameProblem(name, "posix"), undefined, name);
    }
    for (const name of ["MACHINE$", "alice@EXAMPLE.COM", "é"]) {
      assert.notEqual(principalNameProblem(name, "webhdfs"), undefined, name);
    }
  });
});
