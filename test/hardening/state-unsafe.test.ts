// A state directory someone else could have written decides nothing: apply refuses it with
// GS_STATE_UNSAFE (exit 1) and writes nothing, neither to the tree nor to the state directory.
// A record that is not intact (other than a torn last line) stops the run the same way.

import assert from "node:assert/strict";
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { StateStore } from "../../src/reconcile/state.ts";
import { grantsync } from "../helpers/cli.ts";
import { makeScratch, stateOf } from "../helpers/hardening.ts";

const NOBODY = 65534;

function scratch() {
  const wh = makeScratch({
    policy: "[groups]\nstaff = reader\n[roles]\nreader = server=server1->db=sales->action=select\n",
    locations: "[databases]\nsales = @ROOT@/sales.db\n",
    dirs: ["sales.db/t"],
  });
  writeFileSync(wh.p("sales.db/t/part-0"), "x");
  mkdirSync(wh.state, { mode: 0o750 });
  return wh;
}

describe("a state directory grantsync cannot trust", () => {
  const cases: [string, (state: string) => void, RegExp][] = [
    ["owned by another user", (s) => chownSync(s, NOBODY, NOBODY), /owned by uid 65534/],
    ["writable by others", (s) => chmodSync(s, 0o777), /writable by others/],
    [
      "holding a managed.json symlink",
      (s) => symlinkSync("/etc/passwd", join(s, "managed.json")),
      /managed\.json: it is a symlink/,
    ],
    [
      "holding a journal owned by another user",
      (s) => {
        mkdirSync(join(s, "journal"), { mode: 0o750 });
        writeFileSync(join(s, "journal/x.jsonl"), "");
        chownSync(join(s, "journal/x.jsonl"), NOBODY, NOBODY);
      },
      /x\.jsonl: it is owned by uid 65534/,
    ],
  ];
  for (const [name, spoil, message] of cases) {
    it(`refuses one ${name}: apply exits 1 and writes nothing`, (t) => {
      const wh = scratch();
      t.after(() => wh.cleanup());
      spoil(wh.state);
      const before = stateOf(wh.dir);
      const r = grantsync(["apply", "-c", wh.config, "--yes"]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /GS_STATE_UNSAFE/);
      assert.match(r.stderr, message);
      assert.equal(stateOf(wh.dir), before);
    });
  }

  it("stops at a corrupt record in the middle of adopted.jsonl: GS_STATE with file:line, nothing written", (t) => {
    const wh = scratch();
    t.after(() => wh.cleanup());
    const log = new StateStore(wh.state).loadAdoptions();
    log.record(wh.p("sales.db"), new Map([["group:staff", 4]]), []);
    log.record(wh.p("sales.db/t"), new Map([["group:staff", 4]]), []);
    log.closeLog();
    const file = join(wh.state, "adopted.jsonl");
    const [a, b] = readFileSync(file, "utf8").split("\n");
    writeFileSync(file, `${a}\n{"p":"${wh.p("x")}","k":"gro\n${b}\n`);
    const tree = stateOf(wh.root);
    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${file}:2: GS_STATE`));
    assert.equal(stateOf(wh.root), tree);
    assert.equal(existsSync(join(wh.state, "managed.json")), false);
  });
});
