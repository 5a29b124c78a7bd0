// A config is refused for anything the other commands would trip over later: unknown sections and
// keys (at FILE:LINE, with a did-you-mean), bad values, every problem listed, not only the first.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkConfigText, parseConfig } from "../../src/config/load.ts";
import { SECTIONS } from "../../src/config/schema.ts";
import { isGsError } from "../../src/errors.ts";

const FILE = "/etc/grantsync/grantsync.ini";
const BASE = "[policy]\nfile = p.ini\nserver = s\n[catalog]\nfile = l.ini\n[target]\nroots = /srv/wh\n";

describe("strict config", () => {
  it("refuses a misspelt key at its line and suggests the right one", () => {
    const r = checkConfigText(BASE.replace("roots", "rots"), FILE);
    assert.equal(r.config, undefined);
    const unknown = r.errors.find((d) => d.code === "GS_CONFIG_UNKNOWN");
    assert.deepEqual(unknown && { line: unknown.line, message: unknown.message }, {
      line: 7,
      message: 'unknown key "rots" in [target] (did you mean roots?)',
    });
    assert.ok(r.errors.some((d) => d.code === "GS_CONFIG_INVALID" && /\[target\] roots/.test(d.message)));
  });

  it("refuses a misspelt section at its header line and suggests the right one", () => {
    const r = checkConfigText(`${BASE}\n[polcy]\ntype = file\n`, FILE);
    assert.deepEqual(
      r.errors.map((d) => [d.line, d.message]),
      [[9, "unknown section [polcy] (did you mean [policy]?)"]],
    );
  });

  it("refuses keys outside any section", () => {
    const r = checkConfigText(`roots = /x\n${BASE}`, FILE);
    assert.match(r.errors[0]!.message, /"roots" is outside any section/);
    assert.equal(r.errors[0]!.line, 1);
  });

  it("throws the first problem at FILE:LINE and counts the rest", () => {
    assert.throws(
      () => parseConfig(`${BASE}[log]\nlevl = info\n[daemon]\nlisten = nonsense\n`, FILE),
      (e) =>
        isGsError(e, "GS_CONFIG_UNKNOWN") &&
        e.location === `${FILE}:9` &&
        /and 1 more; `grantsync validate` lists them/.test(e.message),
    );
  });

  it("accepts every key the schema declares, and ignores comments", () => {
    const text = `${BASE}; a comment\n# another\n[log]\nlevel = warn   ; inline\n`;
    assert.equal(parseConfig(text, FILE).log.level, "warn");
    assert.ok(Object.keys(SECTIONS.daemon).includes("poll_interval"));
  });

  it("refuses database URLs that are not postgres or mysql, without echoing them", () => {
    const r = checkConfigText(
      BASE.replace("[policy]\nfile = p.ini", "[policy]\ntype = sentry-db\nurl = http://u:secret@h/db"),
      FILE,
    );
    const bad = r.errors.find((d) => /\[policy\] url/.test(d.message));
    assert.ok(bad, JSON.stringify(r.errors));
    assert.equal(bad.line, 3);
    assert.doesNotMatch(bad.message, /secret/);
  });
});
