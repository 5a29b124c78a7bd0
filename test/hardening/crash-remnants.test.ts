// What a kill -9 can leave in the state directory at the worst moment: a journal file created but
// without its start line, and an adoption record torn in the middle. Neither may cost a later run.

import assert from "node:assert/strict";
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { isGsError } from "../../src/errors.ts";
import { encodeLine } from "../../src/reconcile/journal-record.ts";
import { listRuns } from "../../src/reconcile/runs.ts";
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
    const first = store.loadAdoptions();
    first.record("/w/a", new Map([["access:group:staff", 4]]), []);
    first.closeLog();
    appendFileSync(join(dir, "adopted.jsonl"), '{"p":"/w/b","k":"acc');
    const adoptions = store.loadAdoptions();
    adoptions.record("/w/c", new Map([["access:group:users", 4]]), []);
    adoptions.closeLog();
    const reloaded = store.loadAdoptions();
    assert.equal(reloaded.get("/w/b").size, 0, "the torn record was cut off, not completed");
    assert.equal(reloaded.get("/w/a").get("access:group:staff"), 4);
    assert.equal(
      reloaded.get("/w/c").get("access:group:users"),
      4,
      readFileSync(join(dir, "adopted.jsonl"), "utf8"),
    );
  });

  it("stops at a record in the middle of adopted.jsonl that is not intact, naming file and line", () => {
    const sub = join(dir, "middle");
    mkdirSync(sub);
    const store = new StateStore(sub);
    const log = store.loadAdoptions();
    log.record("/w/a", new Map([["access:group:staff", 4]]), []);
    log.record("/w/b", new Map([["access:group:users", 6]]), []);
    log.closeLog();
    const file = join(sub, "adopted.jsonl");
    const [a, b] = readFileSync(file, "utf8").split("\n");
    for (const middle of ["{not json", a!.replace('"v":4', '"v":7'), "{}"]) {
      writeFileSync(file, `${a}\n${middle}\n${b}\n`);
      assert.throws(
        () => store.loadAdoptions(),
        (e: unknown) =>
          isGsError(e, "GS_STATE") && e.location === `${file}:2` && !e.message.includes("not json"),
        middle,
      );
    }
  });
});
