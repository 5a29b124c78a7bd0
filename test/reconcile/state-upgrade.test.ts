// `grantsync state upgrade`: a state directory in the format of the earlier grantsync (no
// checksums, ACLs as spec text, one outcome line per path) is refused with a hint, converted all
// or nothing, and afterwards plan, apply and undo work as if today's grantsync had written it.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { aclFromRecord } from "../../src/acl/record.ts";
import { formatAclSpec } from "../../src/acl/spec.ts";
import { parseJournal } from "../../src/reconcile/journal.ts";
import { decodeLine, type JournalLine } from "../../src/reconcile/journal-record.ts";
import { getfacl, grantsync, grantsyncJson, setfacl } from "../helpers/cli.ts";
import { applyOnce, salesScratch } from "../helpers/hardening.ts";

/** Rewrites one of today's journals as the earlier grantsync wrote it. */
function oldJournal(text: string): string {
  const out: object[] = [];
  const changes: string[] = [];
  let settled = 0;
  for (const line of text.trimEnd().split("\n")) {
    const rec = decodeLine(line) as JournalLine;
    if (rec.t === "change") {
      changes.push(rec.path);
      const spec = (r: unknown) => formatAclSpec(aclFromRecord(r)!);
      out.push({ ...rec, before: spec(rec.before), after: spec(rec.after) });
    } else if (rec.t === "done") {
      for (; settled < rec.upto; settled++) out.push({ t: "done", path: changes[settled] });
    } else out.push(rec);
  }
  return out.map((o) => `${JSON.stringify(o)}\n`).join("");
}

/** The whole state directory in the earlier format. */
function downgrade(state: string): void {
  const managed = JSON.parse(readFileSync(join(state, "managed.json"), "utf8")) as { checksum?: string };
  delete managed.checksum;
  writeFileSync(join(state, "managed.json"), JSON.stringify(managed));
  const adopted = readFileSync(join(state, "adopted.jsonl"), "utf8").trimEnd().split("\n");
  const bare = adopted.map((l) => {
    const { c: _c, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return `${JSON.stringify(rest)}\n`;
  });
  writeFileSync(join(state, "adopted.jsonl"), bare.join(""));
  for (const f of readdirSync(join(state, "journal"))) {
    const file = join(state, "journal", f);
    writeFileSync(file, oldJournal(readFileSync(file, "utf8")));
  }
}

function filesOf(state: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of ["managed.json", "adopted.jsonl"]) out[f] = readFileSync(join(state, f), "utf8");
  for (const f of readdirSync(join(state, "journal")))
    out[f] = readFileSync(join(state, "journal", f), "utf8");
  return out;
}

function applied() {
  const wh = salesScratch();
  // Someone else's narrower entry: the grant widens it, and the state records the adoption.
  setfacl(["-m", "g:staff:r--", wh.p("sales.db/a")]);
  return { wh, run: applyOnce(wh) };
}

describe("state upgrade", () => {
  it("converts an earlier state directory; plan, undo and adoptions then work as before", (t) => {
    const { wh, run } = applied();
    t.after(() => wh.cleanup());
    const today = parseJournal(readFileSync(join(wh.state, "journal", `${run}.jsonl`), "utf8"), "j");
    downgrade(wh.state);

    const refused = grantsync(["plan", "-c", wh.config]);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(refused.stderr, /GS_STATE/);
    assert.match(refused.stderr, /grantsync state upgrade/);

    const before = filesOf(wh.state);
    const dry = grantsync(["state", "upgrade", "--dry-run", "-c", wh.config]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      /Would upgrade .*managed\.json upgraded, 1 adoption record\(s\), 1 journal\(s\)/,
    );
    assert.deepEqual(filesOf(wh.state), before, "a dry run writes nothing");

    const up = grantsyncJson<{ managed: string; adoptions: number; journals: number; changes: number }>([
      "state",
      "upgrade",
      "-c",
      wh.config,
    ]);
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(
      [up.json.managed, up.json.adoptions, up.json.journals, up.json.changes],
      ["upgraded", 1, 1, today.changes.length],
    );
    const converted = parseJournal(readFileSync(join(wh.state, "journal", `${run}.jsonl`), "utf8"), "j");
    assert.deepEqual(converted.changes, today.changes);

    assert.equal(
      grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code,
      0,
      "in sync, nothing to do",
    );
    const again = grantsync(["state", "upgrade", "-c", wh.config]);
    assert.match(again.stdout, /nothing to convert/);

    const undo = grantsync(["undo", run, "-c", wh.config, "--yes"]);
    assert.equal(undo.code, 0, undo.stderr);
    assert.ok(getfacl(wh.p("sales.db/a")).includes("group:staff:r--"), "the adopted entry is back as it was");
    assert.ok(!getfacl(wh.p("sales.db/b")).some((l) => l.includes("staff")), "our entry is gone");
  });

  it("keeps a change the earlier run never settled pending", (t) => {
    const { wh, run } = applied();
    t.after(() => wh.cleanup());
    downgrade(wh.state);
    const file = join(wh.state, "journal", `${run}.jsonl`);
    // The process died between a change and its outcome: drop the last outcome and the end record.
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    const lastDone = lines.findLastIndex((l) => l.includes('"t":"done"'));
    const kept = lines.filter((l, i) => i !== lastDone && !l.includes('"t":"end"'));
    writeFileSync(file, `${kept.join("\n")}\n`);
    assert.equal(grantsync(["state", "upgrade", "-c", wh.config]).code, 0);
    const statuses = parseJournal(readFileSync(file, "utf8"), "j").changes.map((c) => c.status);
    assert.equal(statuses.filter((s) => s === "pending").length, 1, statuses.join());
    assert.equal(statuses.filter((s) => s === "done").length, statuses.length - 1);
  });

  it("refuses a record of neither format, at its file and line, and writes nothing", (t) => {
    const { wh, run } = applied();
    t.after(() => wh.cleanup());
    downgrade(wh.state);
    const file = join(wh.state, "journal", `${run}.jsonl`);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    lines.splice(2, 0, JSON.stringify({ t: "change", path: "/x", type: "file", before: 7, after: "" }));
    writeFileSync(file, `${lines.join("\n")}\n`);
    const before = filesOf(wh.state);
    const r = grantsync(["state", "upgrade", "-c", wh.config]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stderr, /GS_STATE/);
    assert.ok(r.stderr.includes(`${file}:3`), r.stderr);
    assert.deepEqual(filesOf(wh.state), before, "nothing was written");
  });
});
