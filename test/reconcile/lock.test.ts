// The state lock is flock(2) on an open descriptor: many processes contend and none ever overlaps
// another; a holder's death frees it; releasing drops only our own lock.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { isGsError } from "../../src/errors.ts";
import { acquireLock } from "../../src/reconcile/lock.ts";

const repo = fileURLToPath(new URL("../..", import.meta.url));
const PROCESSES = 8;
const ROUNDS = 20;

describe("the state lock", () => {
  it(`admits one holder at a time among ${PROCESSES} contending processes`, async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "gs-lock-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const log = join(dir, "log");
    writeFileSync(log, "");
    const script = join(repo, "test/helpers/lock-contender.ts");
    const children = Array.from(
      { length: PROCESSES },
      (_, id) =>
        new Promise<number>((resolve, reject) => {
          const c = spawn(
            process.execPath,
            ["--import", "tsx", script, dir, log, String(id), String(ROUNDS)],
            {
              cwd: repo,
              stdio: ["ignore", "ignore", "inherit"],
            },
          );
          c.on("error", reject);
          c.on("exit", (code) => resolve(code ?? -1));
        }),
    );
    assert.deepEqual(await Promise.all(children), Array(PROCESSES).fill(0));
    const events = readFileSync(log, "utf8").trim().split("\n");
    assert.equal(events.length, PROCESSES * ROUNDS * 2);
    let holder: string | undefined;
    for (const [i, e] of events.entries()) {
      if (e.startsWith("+")) {
        assert.equal(holder, undefined, `overlap at event ${i}: ${e} while ${holder} holds it`);
        holder = e.slice(1);
      } else {
        assert.equal(e.slice(1), holder, `event ${i}`);
        holder = undefined;
      }
    }
  });

  it("refuses a second holder, and after release admits the next", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "gs-lock-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const first = acquireLock(dir, "first");
    assert.throws(
      () => acquireLock(dir, "second"),
      (e: unknown) => isGsError(e, "GS_LOCKED") && /pid \d+ \(first\)/.test(e.message),
    );
    first.release();
    first.release();
    acquireLock(dir, "third").release();
  });

  it("releasing drops only our own lock, never one another holder took", (t) => {
    const dir = mkdtempSync(join(tmpdir(), "gs-lock-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    const ours = acquireLock(dir, "ours");
    ours.release();
    const theirs = acquireLock(dir, "theirs");
    ours.release();
    assert.throws(
      () => acquireLock(dir, "third"),
      (e: unknown) => isGsError(e, "GS_LOCKED"),
    );
    theirs.release();
  });
});
