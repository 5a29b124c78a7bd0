// Several roots walked at once (WebHDFS walks a few databases together) report exactly what one
// root at a time reports, and a target that goes away mid-run stops every walk: no write after it.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import { GsError, isGsError } from "../../src/errors.ts";
import { applyChanges, computePlan, type Session } from "../../src/reconcile/run.ts";
import type { Target } from "../../src/targets/target.ts";
import { withWrites } from "../helpers/failing-target.ts";
import { type HdfsSessionFiles, hdfsSessionFiles } from "../helpers/webhdfs-session.ts";

const DBS = 5;
const TABLES = 4;
const FILES = 12;
const FOREIGN_MANY = Array.from({ length: 28 }, (_, i) => `user:u${i}:r--`).join(",");

const POLICY = `[groups]
staff = reader
[roles]
reader = ${Array.from({ length: DBS }, (_, d) => `server=server1->db=db${d}->action=select`).join(", ")}
`;

function locations(): string {
  const lines = ["[databases]"];
  for (let d = 0; d < DBS; d++) lines.push(`db${d} = /w/db${d}.db`);
  lines.push("[tables]");
  for (let d = 0; d < DBS; d++)
    for (let t = 0; t < TABLES; t++) lines.push(`db${d}.t${t} = /w/db${d}.db/t${t}`);
  return `${lines.join("\n")}\n`;
}

/** Changes everywhere; in each database a path with too many entries (a problem), one whose mask widens someone else's (a warning), and an excluded staging directory. */
function buildTree(emu: Emulator): void {
  const fs = emu.fs;
  fs.mkdirs("/w");
  for (let d = 0; d < DBS; d++) {
    for (let t = 0; t < TABLES; t++) {
      const table = `/w/db${d}.db/t${t}`;
      fs.mkdirs(table);
      fs.mkdirs(`${table}/_temporary/x`);
      for (let f = 0; f < FILES; f++) fs.create(`${table}/part-${f}`, { data: "" });
    }
    fs.modifyAclEntries(`/w/db${d}.db/t1/part-3`, FOREIGN_MANY);
    fs.setAcl(`/w/db${d}.db/t2/part-5`, "user::rw-,user:carol:rwx,group::r--,mask::r--,other::---");
  }
}

/** The same target, walking one root at a time. */
function oneRootAtATime(target: Target): Target {
  return Object.assign(target, { concurrentRoots: 1 });
}

describe("roots walked at once", { timeout: 120_000 }, () => {
  let emu: Emulator;
  let files: HdfsSessionFiles;

  before(async () => {
    emu = await startEmulator({ port: 0, latencyMs: 2 });
    buildTree(emu);
    files = hdfsSessionFiles({
      namenodes: [emu.url],
      policy: POLICY,
      locations: locations(),
      webhdfs: "retries = 1\ntimeout = 2s",
    });
  });
  after(async () => {
    await emu.close();
    files.cleanup();
  });

  async function withSession<T>(run: (s: Session) => Promise<T>, wrap?: (t: Target) => Target): Promise<T> {
    const s = await files.open();
    try {
      return await run(wrap ? { ...s, target: wrap(s.target) } : s);
    } finally {
      await s.target.close();
    }
  }

  it("plans exactly what one root at a time plans: changes, skips, problems, warnings, exclusions", async () => {
    const together = await withSession((s) => {
      assert.ok((s.target.concurrentRoots ?? 1) > 1, "WebHDFS walks several roots at once");
      return computePlan(s);
    });
    const alone = await withSession((s) => computePlan(s), oneRootAtATime);
    const { createdAt: _a, ...a } = together;
    const { createdAt: _b, ...b } = alone;
    assert.deepEqual(a, b);
    assert.equal(a.summary.problems, DBS, JSON.stringify(a.problems));
    assert.equal(a.summary.warnings, DBS, JSON.stringify(a.warnings));
    assert.equal(a.summary.excluded, DBS * TABLES);
    assert.ok(a.changes.length > DBS * TABLES * FILES);
    const paths = a.changes.map((c) => c.path);
    assert.ok(paths.indexOf("/w/db1.db") > paths.indexOf("/w/db0.db/t3/part-9"), "in tree order");
  });

  it("stops every walk when the NameNode goes away mid-run: the first error, no write after it", async () => {
    const events: string[] = [];
    let failing = 0;
    let requestsAtStop = 0;
    const gone = new GsError("GS_WEBHDFS_UNAVAILABLE", "no NameNode answered");
    const flaky = (t: Target) =>
      withWrites(t, async (node, write) => {
        events.push(`write ${node.path}`);
        if (node.path.startsWith("/w/db1.db/t1/") && ++failing === 3) {
          // Once this error had a turn of the event loop to reach the engine, nothing may start.
          setImmediate(() => {
            events.push("stopped");
            requestsAtStop = total(emu.counts());
          });
          throw gone;
        }
        await write();
      });
    const requestsBefore = total(emu.counts());
    await assert.rejects(
      withSession((s) => applyChanges(s, { force: true }), flaky),
      (e) => isGsError(e, "GS_WEBHDFS_UNAVAILABLE") && e.message === gone.message,
    );
    const settled = total(emu.counts());
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(total(emu.counts()), settled, "no request after the run stopped");
    assert.ok(settled > requestsBefore);
    // The other walks are aborted: what was in flight (4 requests at most here) is all that follows.
    assert.ok(settled - requestsAtStop <= 8, `${settled - requestsAtStop} requests after the stop`);
    const stoppedAt = events.indexOf("stopped");
    assert.ok(stoppedAt > 0, "the stop was seen");
    assert.deepEqual(events.slice(stoppedAt + 1), [], "writes started after the stop");
    assert.ok(
      events.some((e) => /^write \/w\/db[02-4]/.test(e)),
      "other roots were being written at the same time",
    );

    const again = await withSession((s) => applyChanges(s, { force: true }));
    assert.equal(again.failed, 0);
    const plan = await withSession((s) => computePlan(s));
    assert.equal(plan.summary.changed, 0);
    assert.equal(plan.summary.problems, DBS);
  });
});

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
