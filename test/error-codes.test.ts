// The one catalog of codes (src/error-codes.ts) against what uses it: the compiler refuses a code it
// does not list, every code the source writes is listed (also where a code travels as a string),
// every listed code is used, and docs/ERRORS.md shows exactly the catalog.

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type Diagnostic, ERROR_CODES, type ErrorCode, GsError, targetFamily } from "../src/errors.ts";
import { stopsRun } from "../src/reconcile/run-stop.ts";
import { catalogTable } from "./helpers/error-table.ts";

const root = new URL("..", import.meta.url).pathname;
const CATALOG_FILE = "src/error-codes.ts";

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = join(dir, d.name);
    if (d.isDirectory()) return tsFiles(p);
    return d.name.endsWith(".ts") ? [p] : [];
  });
}

/** Quoted `"GS_…"` literals by file, relative to the repository. */
function quotedCodes(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const abs of tsFiles(join(root, "src"))) {
    const file = abs.slice(root.length);
    if (file === CATALOG_FILE) continue;
    for (const m of readFileSync(abs, "utf8").matchAll(/"(GS_[A-Z0-9_]+)"/g)) {
      const codes = out.get(m[1]!) ?? new Set<string>();
      codes.add(file);
      out.set(m[1]!, codes);
    }
  }
  return out;
}

describe("the error code catalog", () => {
  it("is what GsError and Diagnostic are typed with, so an unlisted code does not compile", () => {
    // Never called: `npm run typecheck` fails if either line stops being a type error.
    const unlisted = (): Diagnostic => {
      // @ts-expect-error: not a catalog code
      new GsError("GS_NOT_A_CODE", "x");
      // @ts-expect-error: not a catalog code
      return { severity: "error", code: "GS_NOT_A_CODE", message: "x" };
    };
    const known: ErrorCode = "GS_TARGET_IO";
    assert.equal(typeof unlisted, "function");
    assert.equal(new GsError(known, "x").hint, ERROR_CODES.GS_TARGET_IO.hint);
  });

  it("lists every code the source writes, also where a code travels as a string", () => {
    const unlisted = [...quotedCodes()]
      .filter(([code]) => !(code in ERROR_CODES))
      .map(([code, files]) => `${code} in ${[...files].join(", ")}`);
    assert.deepEqual(unlisted, []);
  });

  it("lists only codes the source uses", () => {
    const used = quotedCodes();
    assert.deepEqual(
      Object.keys(ERROR_CODES).filter((c) => !used.has(c)),
      [],
    );
  });

  it("puts each target's unreachable and refused codes in a target-neutral family", () => {
    assert.equal(targetFamily("GS_WEBHDFS_UNAVAILABLE"), "GS_TARGET_UNAVAILABLE");
    assert.equal(targetFamily("GS_WEBHDFS_AUTH"), "GS_TARGET_AUTH");
    assert.equal(targetFamily("GS_TARGET_UNAVAILABLE"), "GS_TARGET_UNAVAILABLE");
    assert.equal(targetFamily("GS_WEBHDFS_REMOTE"), undefined);
    assert.equal(targetFamily("GS_TARGET_IO"), undefined);
  });

  it("stops a run on a target-neutral family, whichever target's code raised it", () => {
    for (const code of [
      "GS_TARGET_UNAVAILABLE",
      "GS_TARGET_AUTH",
      "GS_WEBHDFS_UNAVAILABLE",
      "GS_WEBHDFS_AUTH",
    ] as const)
      assert.ok(stopsRun(new GsError(code, "x")), code);
    for (const code of ["GS_TARGET_IO", "GS_WEBHDFS_REMOTE", "GS_ACL_CHANGED", "GS_PATH_UNSAFE"] as const)
      assert.ok(!stopsRun(new GsError(code, "x")), code);
  });

  it("is shown in docs/ERRORS.md row for row", () => {
    const doc = readFileSync(join(root, "docs/ERRORS.md"), "utf8");
    const table = doc
      .split("\n")
      .filter((l) => l.startsWith("|"))
      .join("\n");
    assert.equal(table, catalogTable(), "paste the expected table into docs/ERRORS.md");
  });

  it("names no code in README.md or docs/ that the catalog does not list", () => {
    const docs = ["README.md", ...readdirSync(join(root, "docs")).map((f) => `docs/${f}`)].filter((f) =>
      f.endsWith(".md"),
    );
    const unknown = docs.flatMap((f) =>
      [...readFileSync(join(root, f), "utf8").matchAll(/\bGS_[A-Z0-9_]*[A-Z0-9]\b/g)]
        .map((m) => m[0])
        .filter((c) => !(c in ERROR_CODES))
        .map((c) => `${c} in ${f}`),
    );
    assert.deepEqual(unknown, []);
  });
});
