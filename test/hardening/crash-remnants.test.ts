// What a kill -9 can leave in the state directory at the worst moment: a journal file created but
// without its start line, and an adoption record torn in the middle. Neither may cost a later run.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { listRuns } from "../../src/reconcile/journal.ts";
import { encodeLine } from "../../src/reconcile/journal-record.ts";
import { StateStore } from "../../src/reconcile/state.ts";

describe("remnants of a crash in the state directory", () => {
  const dir = mkdtempSync(join(tmpdir(), "gs-remnants-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the other runs when one was killed before its journal's start line was written", () => {
    const journal = join(dir, "journal");
    mkdirSync(journal, { recursive: true });
    writeFileSync(join(journal, "20260101T000000Z-aaaaaa.jsonl"), "");
    writeFileSync(join(journal, "20260101T000001Z-bbbbbb.jsonl"), '{"t":"start","run":"20260101T0');
    const start = encodeLine({
      t: "start",
      run: "20260101T000002Z-cccccc",
      kind: "apply",
      time: "x",
      target: "posix",
    });
    writeFileSync(join(journal, "20260101T000002Z-cccccc.jsonl"), start);
    assert.deepEqual(
      listRuns(journal).map((r) => [r.run, r.complete]),
      [["20260101T000002Z-cccccc", false]],
    );
  });

  it("keeps the first adoption recorded after a torn line", () => {
    const store = new StateStore(dir);
    writeFileSync(
      join(dir, "adopted.jsonl"),
      '{"p":"/w/a","k":"access:group:staff","v":4}\n{"p":"/w/b","k":"acc',
    );
    const adoptions = store.loadAdoptions();
    adoptions.record("/w/c", new Map([["access:group:users", 4]]), []);
    adoptions.closeLog();
    const reloaded = store.loadAdoptions();
    assert.equal(reloaded.get("/w/a").get("access:group:staff"), 4);
    assert.equal(
      reloaded.get("/w/c").get("access:group:users"),
      4,
      readFileSync(join(dir, "adopted.jsonl"), "utf8"),
    );
  });
});
