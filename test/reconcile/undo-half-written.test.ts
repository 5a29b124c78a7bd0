// A run killed between a directory's two ACL writes (access, then default) leaves each scope either
// as it was or as the run meant it: undo of that run restores it, and reports anything else as changed.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getfacl, grantsyncJson, setfacl } from "../helpers/cli.ts";
import { applyOnce, salesScratch } from "../helpers/hardening.ts";

interface UndoJson {
  restored: number;
  conflicts: number;
  outcomes: { path: string; result: string }[];
}

function applied() {
  const wh = salesScratch(["sales.db/a"]);
  const original = getfacl(wh.p("sales.db/a"));
  const run = applyOnce(wh);
  assert.ok(getfacl(wh.p("sales.db/a")).includes("default:group:staff:r-x"));
  return { wh, run, original };
}

describe("undo after a run killed between a directory's two writes", () => {
  it("restores a directory whose access ACL was written and whose default ACL was not", (t) => {
    const { wh, run, original } = applied();
    t.after(() => wh.cleanup());
    setfacl(["-k", wh.p("sales.db/a")]); // the default ACL as it was before the run: none
    const undo = grantsyncJson<UndoJson>(["undo", run, "-c", wh.config, "--yes"]);
    assert.equal(undo.code, 0, undo.stderr);
    const a = undo.json.outcomes.find((o) => o.path === wh.p("sales.db/a"));
    assert.equal(a?.result, "restored");
    assert.equal(undo.json.conflicts, 0);
    assert.deepEqual(getfacl(wh.p("sales.db/a")), original);
  });

  it("still reports a scope someone else changed since", (t) => {
    const { wh, run } = applied();
    t.after(() => wh.cleanup());
    setfacl(["-k", wh.p("sales.db/a")]);
    setfacl(["-m", "g:users:r-x", wh.p("sales.db/a")]); // the access ACL is now neither
    const undo = grantsyncJson<UndoJson>(["undo", run, "-c", wh.config, "--yes"]);
    const a = undo.json.outcomes.find((o) => o.path === wh.p("sales.db/a"));
    assert.equal(a?.result, "changed-since");
    assert.ok(getfacl(wh.p("sales.db/a")).includes("group:users:r-x"), "left as it was");
  });
});
