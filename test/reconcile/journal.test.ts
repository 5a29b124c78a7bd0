// The journal: records carry a checksum, so a torn or edited one is found at its file:line, and an
// apply writes each batch's before/after images to disk before it touches any of those paths.

import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isGsError } from "../../src/errors.ts";
import { parseJournal, scanJournal } from "../../src/reconcile/journal.ts";
import {
  encodeLine,
  lineFrom,
  lineHead,
  lineOf,
  writeChangeEnd,
} from "../../src/reconcile/journal-record.ts";
import { applyChanges } from "../../src/reconcile/run.ts";
import type { Target, TargetNode } from "../../src/targets/target.ts";
import { fillTables, makeScratch, openSessionFor } from "../helpers/hardening.ts";

const start = encodeLine({ t: "start", run: "r1", kind: "apply", time: "t", target: "posix" });
const change = (path: string) =>
  encodeLine({
    t: "change",
    path,
    type: "file",
    before: [["a", "user", "", 6]],
    after: [["a", "user", "", 7]],
  });

describe("journal records", () => {
  it("reads back what was written: a done record settles every change up to it but the failed ones", () => {
    const text =
      start +
      change("/w/a") +
      change("/w/b") +
      change("/w/c") +
      encodeLine({ t: "fail", path: "/w/b", code: "GS_TARGET_IO" }) +
      encodeLine({ t: "done", upto: 2 });
    const j = parseJournal(text, "j.jsonl");
    assert.deepEqual(
      j.changes.map((c) => [c.path, c.status]),
      [
        ["/w/a", "done"],
        ["/w/b", "fail"],
        ["/w/c", "pending"],
      ],
    );
  });

  it("refuses an edited record and names its file and line, without quoting it", () => {
    const edited = change("/w/a").replace('"user","",7', '"user","mallory",7');
    const scanned = scanJournal(start + edited + change("/w/b"), "j.jsonl");
    assert.deepEqual(
      scanned.refused.map((r) => [r.location, r.reason]),
      [["j.jsonl:2", "the record's checksum does not match: torn or edited"]],
    );
    assert.equal(scanned.records.length, 2);
    assert.throws(
      () => parseJournal(start + edited, "j.jsonl"),
      (e) => isGsError(e, "GS_JOURNAL") && e.location === "j.jsonl:2" && !e.message.includes("mallory"),
    );
  });

  it("checksums a line written from a shared head as it would the whole line", () => {
    const head = lineHead('{"t":"change","type":"file","before":[["a","user","",6]],"after":[],"path":');
    for (const path of ["/w/a", '/w/"q"\\', "/w/é✓"]) {
      const line = lineFrom(head, `${JSON.stringify(path)}}`);
      assert.equal(line, lineOf(`${head.text}${JSON.stringify(path)}}`));
      assert.equal(parseJournal(start + line, "j.jsonl").changes[0]?.path, path);
    }
  });

  it("writes a path's end of a change line into a buffer exactly as lineFrom builds it", () => {
    const head = lineHead('{"t":"change","type":"dir","before":[],"after":[["a","group","g",5]],"path":');
    const plain = ["/w/a", "/w/é✓", "/w/😀/x", "/w/a b/c=d,e", "/"];
    const escaped = ['/w/"q"', "/w/back\\slash", "/w/tab\tnl\n", "/w/\u0001", "/w/lone\ud800"];
    for (const path of [...plain, ...escaped]) {
      const buf = Buffer.alloc(path.length * 3 + 24);
      const end = writeChangeEnd(buf, 0, head, path);
      if (escaped.includes(path)) {
        assert.equal(end, -1, `${JSON.stringify(path)} needs escaping`);
        continue;
      }
      const expected = lineFrom(head, `${JSON.stringify(path)}}`).slice(head.text.length);
      assert.equal(buf.toString("utf8", 0, end), expected, path);
      assert.equal(parseJournal(start + head.text + expected, "j.jsonl").changes[0]?.path, path);
    }
  });

  it("refuses a record without a checksum", () => {
    const bare = `${JSON.stringify({ t: "change", path: "/w/a", type: "file", before: [], after: [] })}\n`;
    assert.equal(scanJournal(start + bare, "j.jsonl").refused[0]?.reason, "the record has no checksum");
  });

  it("skips a fragment cut short after the last whole record", () => {
    const scanned = scanJournal(start + change("/w/a").slice(0, 40), "j.jsonl");
    assert.equal(scanned.torn, true);
    assert.deepEqual(scanned.refused, []);
    assert.deepEqual(parseJournal(start + change("/w/a").slice(0, 40), "j.jsonl").changes, []);
  });
});

/** The real target, with every write first checking what the journal holds on disk at that moment. */
function checkingJournal(
  target: Target,
  journalDir: string,
  seen: { path: string; journalBytes: number; journaled: boolean }[],
): Target {
  const check = (node: TargetNode): TargetNode => ({
    path: node.path,
    type: node.type,
    acl: node.acl,
    write: (next) => {
      const [file] = readdirSync(journalDir);
      const text = readFileSync(join(journalDir, file!), "utf8");
      const journaled = parseJournal(text, file!).changes.some((c) => c.path === node.path);
      seen.push({ path: node.path, journalBytes: statSync(join(journalDir, file!)).size, journaled });
      return node.write(next);
    },
  });
  return {
    kind: target.kind,
    fileExecuteDefault: target.fileExecuteDefault,
    walk: (root, o) => target.walk(root, { ...o, visit: (n) => o.visit(check(n)) }),
    node: (p) => target.node(p),
    unknownPrincipals: (ps) => target.unknownPrincipals(ps),
    close: () => target.close(),
  };
}

describe("write-ahead in batches", () => {
  it("has every path's record on disk before its write, many paths to one journal write", async () => {
    const wh = makeScratch({
      policy: "[groups]\nstaff = r\n[roles]\nr = server=server1->db=sales->action=select\n",
      locations: "[databases]\nsales = @ROOT@/sales.db\n",
    });
    try {
      fillTables(wh.root, "sales.db", 4, 50);
      const session = await openSessionFor(wh.config);
      const seen: { path: string; journalBytes: number; journaled: boolean }[] = [];
      const r = await applyChanges({
        ...session,
        target: checkingJournal(session.target, join(wh.state, "journal"), seen),
      });
      await session.target.close();
      assert.equal(r.failed, 0);
      assert.equal(seen.length, 205);
      assert.deepEqual(
        seen.filter((s) => !s.journaled).map((s) => s.path),
        [],
      );
      const run = parseJournal(
        readFileSync(join(wh.state, "journal", `${r.run}.jsonl`), "utf8"),
        `${r.run}.jsonl`,
      );
      assert.deepEqual(
        run.changes.filter((c) => c.status !== "done").map((c) => c.path),
        [],
        "one done record settles them all",
      );
      const writesOfJournal = new Set(seen.map((s) => s.journalBytes)).size;
      assert.ok(writesOfJournal < 5, `${writesOfJournal} journal writes for ${seen.length} paths`);
    } finally {
      wh.cleanup();
    }
  });
});
