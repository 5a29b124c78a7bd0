// `grantsync runs` lists each run's status, trigger and counts, and [state] keep_runs prunes the
// oldest complete journals after a run, never a run still pending or one without an end record.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { encodeLine } from "../../src/reconcile/journal-record.ts";
import { listRuns, pruneRuns } from "../../src/reconcile/runs.ts";
import { grantsync, grantsyncJson } from "../helpers/cli.ts";
import { DEFAULT_POLICY, makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

const start = (run: string) => encodeLine({ t: "start", run, kind: "apply", time: "t", target: "posix" });
const end = encodeLine({ t: "end", time: "t", summary: {} });

describe("pruneRuns", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gs-runs-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("deletes the oldest ended journals down to keep, sparing pending, interrupted and the newest runs", () => {
    const runs = [
      "20260101T000000Z-a",
      "20260102T000000Z-b",
      "20260103T000000Z-c",
      "20260104T000000Z-d",
      "20260105T000000Z-e",
    ];
    mkdirSync(join(dir, "j"));
    for (const r of runs)
      writeFileSync(join(dir, "j", `${r}.jsonl`), start(r) + (r.endsWith("b") ? "" : end));
    const removed = pruneRuns(join(dir, "j"), 2, new Set(["20260101T000000Z-a"]));
    assert.deepEqual(removed, ["20260103T000000Z-c", "20260104T000000Z-d"]);
    assert.deepEqual(
      listRuns(join(dir, "j")).map((r) => [r.run, r.status]),
      [
        ["20260101T000000Z-a", "complete"],
        ["20260102T000000Z-b", "interrupted"],
        ["20260105T000000Z-e", "complete"],
      ],
    );
  });
});

describe("grantsync runs", () => {
  let wh: Warehouse;
  before(() => {
    wh = makeWarehouse({ extraConfig: "keep_runs = 2\n" });
  });
  after(() => wh.cleanup());

  it("shows status, trigger and counts, and keeps keep_runs journals", () => {
    const policies = [
      DEFAULT_POLICY,
      DEFAULT_POLICY.replace("db=sales->action=select", "db=sales->action=all"),
      DEFAULT_POLICY,
    ];
    for (const p of policies) {
      wh.writePolicy(p);
      const r = grantsync(["apply", "--config", wh.config, "--yes"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
    assert.equal(readdirSync(join(wh.state, "journal")).length, 2);
    const runs = grantsyncJson<
      { status: string; trigger: string; entriesChanged: number; entriesAdded: number }[]
    >(["runs", "--config", wh.config]);
    assert.equal(runs.json.length, 2);
    for (const r of runs.json) {
      assert.equal(r.status, "complete");
      assert.equal(r.trigger, "cli");
      assert.ok(r.entriesChanged > 0, JSON.stringify(r));
      assert.equal(r.entriesAdded, 0);
    }
    const text = grantsync(["runs", "--config", wh.config]);
    assert.match(text.stdout, /^\S+ +apply +complete +cli +\d+ paths +\+0 -0 ~\d+$/m);
  });
});
