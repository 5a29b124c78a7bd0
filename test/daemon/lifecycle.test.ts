// The daemon as a service: one instance per state dir (a stale lock is taken over), SIGTERM in the
// middle of a large apply exits 0 with a consistent journal, SIGHUP and the schedule run full
// reconciles, a config edit takes effect, and nothing is printed on stderr.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseJournal } from "../../src/reconcile/journal.ts";
import { getfacl, grantsync } from "../helpers/cli.ts";
import { startDaemon, waitFor, waitReady } from "../helpers/daemon.ts";
import { makeWarehouse } from "../helpers/warehouse.ts";

const LISTEN = "[daemon]\nlisten = 127.0.0.1:0\ndebounce = 50ms\n";

describe("grantsync daemon lifecycle", () => {
  it("refuses a second daemon on the same state dir, and takes over a dead one's lock", async (t) => {
    const wh = makeWarehouse({ extraConfig: LISTEN });
    t.after(() => wh.cleanup());
    const dead = spawnSync("true").pid;
    mkdirSync(wh.state, { recursive: true });
    writeFileSync(
      join(wh.state, "daemon.lock"),
      JSON.stringify({ pid: dead, purpose: "daemon", since: "x" }),
    );
    const first = startDaemon(wh.config);
    t.after(() => first.stop());
    await waitReady(first);

    const second = startDaemon(wh.config);
    assert.equal(await second.exited, 1);
    assert.match(
      second.stderr(),
      new RegExp(`GS_LOCKED state dir is locked by pid ${first.child.pid} \\(daemon\\)`),
    );
    assert.match(second.stderr(), /hint: Another grantsync process holds the state lock/);
    assert.equal((await first.get("/healthz")).status, 200, "the first daemon is unaffected");
    assert.equal(await first.stop(), 0);
    assert.equal(first.stderr(), "");
  });

  it("stops on SIGTERM in the middle of a large apply: exit 0, journal consistent, next run converges", async (t) => {
    const wh = makeWarehouse({ extraConfig: `${LISTEN}shutdown_timeout = 5s\n` });
    t.after(() => wh.cleanup());
    for (let d = 0; d < 40; d++) {
      const dir = wh.p(`sales.db/customers/part-${d}`);
      mkdirSync(dir);
      // Empty files: creating them is several times faster than writing content.
      for (let f = 0; f < 100; f++) closeSync(openSync(join(dir, `f${f}.csv`), "w", 0o640));
    }
    const daemon = startDaemon(wh.config);
    t.after(() => daemon.stop());
    const journalDir = join(wh.state, "journal");
    const journal = await waitFor(
      () => {
        if (!existsSync(journalDir)) return undefined;
        const f = readdirSync(journalDir, { withFileTypes: true }).find((e) => e.name.endsWith(".jsonl"));
        return (
          f &&
          readFileSync(join(journalDir, f.name), "utf8").split("\n").length > 100 &&
          join(journalDir, f.name)
        );
      },
      15_000,
      "the first run to be writing",
      2,
    );
    const t0 = Date.now();
    assert.equal(await daemon.stop("SIGTERM"), 0);
    t.diagnostic(`exited ${Date.now() - t0} ms after SIGTERM`);
    assert.ok(Date.now() - t0 < 5000, "within the shutdown timeout");

    const run = daemon.logs.find((l) => typeof l.result === "string");
    assert.equal(run?.result, "interrupted", "the run was cut short, not finished");
    const j = parseJournal(readFileSync(journal, "utf8"), journal);
    assert.ok(j.end, "the journal is closed");
    assert.ok(
      j.changes.length > 0 && j.changes.length < 4000,
      `${j.changes.length} paths written before stopping`,
    );
    assert.deepEqual(
      j.changes.filter((c) => c.status === "pending"),
      [],
      "every change line is followed by its outcome",
    );

    const once = grantsync(["daemon", "-c", wh.config, "--once"]);
    assert.equal(once.code, 0, once.stderr);
    const plan = grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]);
    assert.equal(plan.code, 0, `converged, nothing left to change:\n${plan.stdout}`);
    assert.ok(getfacl(wh.p("sales.db/customers/part-39/f99.csv")).includes("group:staff:r--"));
  });

  it("runs a full reconcile on SIGHUP and on the schedule, and applies a config edit", async (t) => {
    const wh = makeWarehouse({ extraConfig: `${LISTEN}schedule = */2 * * * * *\n` });
    t.after(() => wh.cleanup());
    const daemon = startDaemon(wh.config);
    t.after(() => daemon.stop());
    await waitReady(daemon);
    const runs = (reason: string) =>
      daemon.logs.filter((l) => l.msg.startsWith("reconcile") && (l.reasons as string[]).includes(reason));

    const scheduled = await waitFor(() => runs("schedule")[0], 3000, "a scheduled run");
    assert.equal(scheduled.scope, "full");
    daemon.child.kill("SIGHUP");
    const hup = await waitFor(() => runs("sighup")[0], 3000, "a run after SIGHUP");
    assert.equal(hup.scope, "full");

    writeFileSync(
      wh.config,
      readFileSync(wh.config, "utf8").replace("[state]", "[compile]\nselect = rw\n[state]"),
    );
    await waitFor(
      () => getfacl(wh.p("sales.db/customers")).includes("group:staff:rwx"),
      2000,
      "the config edit applied",
    );
    assert.equal(await daemon.stop(), 0);
    assert.equal(daemon.stderr(), "", "node-cron and pino write nothing to stderr");
  });
});
