// A state directory on a 48 KB tmpfs that fills up during apply: the run stops cleanly (exit 1, the
// reason in plain words) and every path it wrote is journaled, so undo restores the tree exactly.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { readJournalFile } from "../../src/reconcile/journal.ts";
import { grantsync, grantsyncJson } from "../helpers/cli.ts";
import {
  fillTables,
  getfaclTree,
  makeScratch,
  parseGetfaclTree,
  type Scratch,
} from "../helpers/hardening.ts";

/** One database per walk root: each root's walk ends a journal batch, so several fit before the disk fills. */
const DATABASES = 40;

const POLICY = `[groups]
staff = reader

[roles]
reader = ${Array.from({ length: DATABASES }, (_, d) => `server=server1->db=db${d}->action=select`).join(", ")}
`;

describe("write-ahead on a full disk", () => {
  let wh: Scratch;
  let mounted = false;

  before(() => {
    wh = makeScratch({
      policy: POLICY,
      locations: `[databases]\n${Array.from({ length: DATABASES }, (_, d) => `db${d} = @ROOT@/db${d}.db`).join("\n")}\n`,
    });
    for (let d = 0; d < DATABASES; d++) fillTables(wh.root, `db${d}.db`, 1, 8);
    mkdirSync(wh.state);
    try {
      execFileSync("mount", ["-t", "tmpfs", "-o", "size=48k,mode=0700", "tmpfs", wh.state], {
        stdio: "ignore",
      });
      mounted = true;
    } catch {
      // Not root, or no CAP_SYS_ADMIN: the test below says so and skips.
    }
  });
  after(() => {
    if (mounted) execFileSync("umount", [wh.state]);
    wh.cleanup();
  });

  it("stops with exit 1 when the journal no longer fits, and undo restores the tree exactly", (t) => {
    if (!mounted) {
      t.skip("cannot mount a tmpfs here (needs root)");
      return;
    }
    // Half the disk taken by something else: the journal fills the rest part-way through the run.
    const filler = join(wh.state, "filler");
    writeFileSync(filler, Buffer.alloc(24 * 1024));
    const pristine = getfaclTree(wh.root);

    const apply = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(apply.code, 1, apply.stdout + apply.stderr);
    assert.match(
      apply.stderr,
      /GS_JOURNAL_WRITE the journal could not be written: the disk holding the state directory is full/,
    );
    assert.doesNotMatch(apply.stderr, /GS_INTERNAL/);

    const runs = readdirSync(join(wh.state, "journal"));
    assert.equal(runs.length, 1);
    const scanned = readJournalFile(join(wh.state, "journal", runs[0]!));
    assert.deepEqual(scanned.refused, [], "what is on disk is whole records only");
    const journaled = new Set(scanned.records.flatMap((r) => (r.rec.t === "change" ? [r.rec.path] : [])));

    const before = parseGetfaclTree(pristine);
    const now = parseGetfaclTree(getfaclTree(wh.root));
    const written = [...now].filter(([p, e]) => before.get(p)?.join() !== e.join()).map(([p]) => p);
    t.diagnostic(`${written.length} of ${now.size} paths written, ${journaled.size} journaled`);
    assert.ok(written.length > 0, "the run wrote some paths before the disk filled");
    assert.ok(written.length < now.size, "the run stopped before writing every path");
    assert.deepEqual(
      written.filter((p) => !journaled.has(p)),
      [],
      "every written path is journaled",
    );

    // The admin frees space; undo journals too, so it needs some.
    rmSync(filler);
    const undo = grantsyncJson<{ restored: number; conflicts: number; failed: number }>([
      "undo",
      runs[0]!.replace(/\.jsonl$/, ""),
      "-c",
      wh.config,
    ]);
    assert.equal(undo.code, 0, undo.stderr);
    assert.equal(undo.json.restored, written.length);
    assert.equal(undo.json.conflicts + undo.json.failed, 0);
    assert.equal(getfaclTree(wh.root), pristine);
  });
});
