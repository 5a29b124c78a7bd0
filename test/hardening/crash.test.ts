// kill -9 at random points of an apply over a tree that also carries entries grantsync does not
// manage: the next apply converges, nobody else's entry changes, the journal stays readable, and
// undo of the killed run (at any point of a journal batch) or of a completed run restores exactly
// the tree it found.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readdirSync, readSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { readJournalFile } from "../../src/reconcile/journal.ts";
import { grantsync, setfacl } from "../helpers/cli.ts";
import {
  fillTables,
  getfaclTree,
  grantsyncBigJson,
  makeScratch,
  parseGetfaclTree,
  type Scratch,
  SOAK,
  size,
} from "../helpers/hardening.ts";

const TABLES = size(20, 50);
const FILES = size(100, 200);
const TRIALS = size(3, 20);
const repo = fileURLToPath(new URL("../..", import.meta.url));
/** Draws the kill points; GRANTSYNC_SEED replays a run's draws (each trial's title shows its seed). */
const SEED = Number(process.env.GRANTSYNC_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: a small seeded generator of numbers in [0, 1). */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
const random = seededRandom(SEED);

/** The db-wide reader group alternates between trials, so every trial has every path to rewrite. */
const policyFor = (reader: string) => `[groups]
${reader} = reader
users = writer

[roles]
reader = server=server1->db=sales->action=select
writer = server=server1->db=sales->table=t0->action=all
`;

const REVOKED = `[groups]
staff = nothing

[roles]
nothing = server=server1->db=elsewhere->action=select
`;

const READERS = ["staff", "adm"];
/** Every apply started, so one still running when a test times out is killed in after(). */
const children: ChildProcess[] = [];

interface Killed {
  /** The journal the killed run left, if it got that far. */
  run?: string;
  lines: number;
  /** It finished on its own before the kill came. */
  exited: boolean;
  /** Its journal has its end record: the kill came after the run's last write. */
  ended: boolean;
  /** Exit code and signal, for the test's diagnostics. */
  how: string;
}

/** Counts a growing file's lines, reading only what was appended since the last count. */
class LineCounter {
  private fd: number | undefined;
  private offset = 0;
  private lines = 0;
  private readonly buf = Buffer.alloc(1 << 16);

  count(file: string): number {
    this.fd ??= openSync(file, "r");
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
      if (n === 0) return this.lines;
      this.offset += n;
      for (let i = 0; i < n; i++) if (this.buf[i] === 10) this.lines++;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}

/** Starts `grantsync apply` and kills its whole process group at a random point. */
async function applyAndKill(wh: Scratch, trial: number): Promise<Killed> {
  const journalDir = join(wh.state, "journal");
  const known = new Set(existsSync(journalDir) ? readdirSync(journalDir) : []);
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", "src/cli/main.ts", "apply", "-c", wh.config, "--yes", "--force", "--json"],
    { cwd: repo, detached: true, stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } },
  );
  children.push(child);
  let exited = false;
  let how = "";
  const exit = new Promise<void>((resolve) =>
    child.on("exit", (code, sig) => {
      exited = true;
      how = `code=${code} signal=${sig}`;
      resolve();
    }),
  );
  // Two trials in three: when the journal reaches a random line count; else after a random delay.
  // A run writes thousands of lines in a few milliseconds, so once its journal exists the child is
  // stepped: stopped, its journal counted, and let run for a moment until the count is reached.
  const byDelay = trial % 3 === 0;
  const paths = TABLES * (FILES + 1) + 1;
  // About one journal line per path: its change record (a written path needs no line of its own).
  const wantLines = 1 + Math.floor(random() * paths);
  const killAt = Date.now() + (byDelay ? 500 + random() * 4_000 : 60_000);
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // It exited between the check and the signal.
    }
  };
  let run: string | undefined;
  const counter = new LineCounter();
  while (!exited && Date.now() < killAt) {
    if (!run && existsSync(journalDir)) run = readdirSync(journalDir).find((f) => !known.has(f));
    if (run && !byDelay) {
      signal("SIGSTOP");
      if (counter.count(join(journalDir, run)) >= wantLines) break;
      signal("SIGCONT");
      await new Promise(setImmediate);
    } else await sleep(1);
  }
  const finished = exited;
  if (!finished) signal("SIGKILL");
  const lines = run ? counter.count(join(journalDir, run)) : 0;
  counter.close();
  await exit;
  const ended =
    run !== undefined && readJournalFile(join(journalDir, run)).records.some((r) => r.rec.t === "end");
  return { ...(run ? { run: run.replace(/\.jsonl$/, "") } : {}), lines, exited: finished, ended, how };
}

describe("kill -9 during apply", { timeout: SOAK ? 3_600_000 : 120_000 }, () => {
  let wh: Scratch;
  let pristine: string;
  let killedMidRun = 0;

  before(() => {
    wh = makeScratch({
      policy: policyFor(READERS[0]!),
      locations: `[databases]\nsales = @ROOT@/sales.db\n[tables]\n${Array.from(
        { length: TABLES },
        (_, t) => `sales.t${t} = @ROOT@/sales.db/t${t}`,
      ).join("\n")}\n`,
      extraConfig: "[safety]\nmax_removals = 10000000\nmax_removals_percent = 100\n",
    });
    fillTables(wh.root, "sales.db", TABLES, FILES);
    // Entries grantsync does not manage: one for a principal it never grants, and one for a
    // principal it does grant (widened, then given back on revocation).
    setfacl(["-R", "-m", "u:nobody:r--", wh.root]);
    setfacl(["-R", "-m", "g:users:r--", wh.p("sales.db/t0")]);
    pristine = getfaclTree(wh.root);
    const first = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
  });
  after(() => {
    for (const c of children) {
      try {
        if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    wh.cleanup();
  });

  /** Every path carries exactly the grants of `reader`, and the entries nobody asked us to manage. */
  function assertConverged(reader: string): void {
    const plan = grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]);
    assert.equal(plan.code, 0, `plan after convergence: ${plan.stdout}${plan.stderr}`);
    const tree = parseGetfaclTree(getfaclTree(wh.root));
    const other = READERS.find((r) => r !== reader)!;
    for (const [path, entries] of tree) {
      assert.ok(entries.includes("user:nobody:r--"), `${path} lost user:nobody:r--: ${entries}`);
      if (path === wh.root) continue;
      const isDir = !/part-\d+$/.test(path);
      assert.ok(entries.includes(`group:${reader}:${isDir ? "r-x" : "r--"}`), `${path}: ${entries}`);
      assert.ok(!entries.some((e) => e.includes(`group:${other}:`)), `${path} kept ${other}: ${entries}`);
      if (path.includes("/t0")) assert.ok(entries.includes(`group:users:${isDir ? "rwx" : "rw-"}`), path);
    }
  }

  for (let trial = 1; trial <= TRIALS; trial++) {
    it(`converges after a kill -9 (trial ${trial}/${TRIALS}, seed ${SEED})`, async (t) => {
      const reader = READERS[trial % 2]!;
      wh.write("policy", policyFor(reader));
      const found = getfaclTree(wh.root);
      const killed = await applyAndKill(wh, trial);
      t.diagnostic(
        `killed=${!killed.exited} ended=${killed.ended} ${killed.how} journal=${killed.run ?? "none"} lines=${killed.lines}`,
      );
      if (!killed.exited && !killed.ended && killed.lines > 1) killedMidRun++;

      const runs = grantsyncBigJson<{ run: string; complete: boolean }[]>(["runs", "-c", wh.config]);
      assert.equal(runs.code, 0, `${runs.stderr}${JSON.stringify(runs.json)}`);
      if (killed.run) {
        const listed = runs.json.find((r) => r.run === killed.run);
        assert.ok(listed, `run ${killed.run} is listed`);
        // Outcomes and the end record share one write, so a kill can also come just after it.
        if (!killed.exited)
          assert.equal(listed.complete, killed.ended, "a killed run is listed as incomplete");
      }

      if (killed.run && !killed.exited) {
        // The kill fell inside a journal batch's writes, or between two batches: every path the
        // run touched has its record, so undoing the killed run gives back the tree it found.
        const undoKilled = grantsyncBigJson<{
          conflicts: number;
          failed: number;
          outcomes: { path: string; result: string; message?: string }[];
        }>(["undo", killed.run, "-c", wh.config]);
        assert.equal(undoKilled.code, 0, `${undoKilled.stderr}${JSON.stringify(undoKilled.json)}`);
        const unrestored = undoKilled.json.outcomes.filter(
          (o) => o.result === "changed-since" || o.result === "failed",
        );
        assert.deepEqual(unrestored, [], "undo of the killed run restores every path it wrote");
        assert.equal(getfaclTree(wh.root), found, "undo of the killed run restores the tree it found");
      }

      const afterKill = getfaclTree(wh.root);
      const again = grantsyncBigJson<{ run: string | null; failed: number }>([
        "apply",
        "-c",
        wh.config,
        "--yes",
        "--force",
      ]);
      assert.equal(again.code, 0, `${again.stderr}${JSON.stringify(again.json)}`);
      assert.equal(again.json.failed, 0);
      assertConverged(reader);

      if (again.json.run && (trial === TRIALS || trial % 5 === 0)) {
        const undo = grantsyncBigJson<{ restored: number; conflicts: number; failed: number }>([
          "undo",
          again.json.run,
          "-c",
          wh.config,
        ]);
        assert.equal(undo.code, 0, `${undo.stderr}${JSON.stringify(undo.json)}`);
        assert.equal(undo.json.conflicts + undo.json.failed, 0);
        assert.equal(getfaclTree(wh.root), afterKill, "undo puts back exactly the tree the run found");
        const redo = grantsync(["apply", "-c", wh.config, "--yes", "--force"]);
        assert.equal(redo.code, 0, redo.stdout + redo.stderr);
        assertConverged(reader);
      }
    });
  }

  it("killed at least one run between its first and its last journal line", () => {
    assert.ok(killedMidRun > 0);
  });

  it("gives every entry back when the grants are revoked after all the kills", () => {
    wh.write("policy", REVOKED);
    const r = grantsync(["apply", "-c", wh.config, "--yes", "--force"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(getfaclTree(wh.root), pristine);
  });
});
