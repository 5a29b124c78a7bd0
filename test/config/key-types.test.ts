// What each key type refuses, and the message it says it with: the messages grantsync gave when zod
// checked the config, kept word for word (a script or a person may match on them).

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkConfigText } from "../../src/config/load.ts";

const FILE = "/etc/grantsync/grantsync.ini";
const BASE = "[policy]\nfile = p.ini\nserver = s\n[catalog]\nfile = l.ini\n[target]\nroots = /srv/wh\n";

/** The messages for one `key = value` line in [section] (appended after BASE). */
function messages(section: string, line: string): string[] {
  const r = checkConfigText(`${BASE}[${section}]\n${line}\n`, FILE);
  assert.equal(r.config, undefined, `${section} ${line} should be refused`);
  return r.errors.map((e) => `${e.line}: ${e.message}`);
}

describe("config key types", () => {
  it("names the type it expected and the one it got", () => {
    assert.deepEqual(messages("policy", "password = null"), [
      "9: [policy] password: Invalid input: expected string, received null",
    ]);
    assert.deepEqual(messages("policy", "service"), [
      "9: [policy] service: Invalid input: expected string, received boolean",
    ]);
    assert.deepEqual(messages("policy", "catalog ="), [
      "9: [policy] catalog: Too small: expected string to have >=1 characters",
    ]);
  });

  it("reports an empty checked value twice: empty, and what the check says", () => {
    assert.deepEqual(messages("daemon", "timezone ="), [
      "9: [daemon] timezone: Too small: expected string to have >=1 characters",
      '9: [daemon] timezone: "" is not an IANA time zone',
    ]);
  });

  it("lists the options of an enumeration", () => {
    assert.deepEqual(messages("log", "level = loud"), [
      '9: [log] level: Invalid option: expected one of "trace"|"debug"|"info"|"warn"|"error"',
    ]);
  });

  it("reads integers as JavaScript's Number does, and says which bound failed", () => {
    for (const [value, message] of [
      ["abc", "Invalid input: expected number, received NaN"],
      ["Infinity", "Invalid input: expected number, received Infinity"],
      ["1.5", "Invalid input: expected int, received number"],
      ["0", "Too small: expected number to be >=1"],
      ["", "Too small: expected number to be >=1"],
      ["99999999999999999999", "Too big: expected int to be <=9007199254740991"],
    ])
      assert.deepEqual(messages("policy", `page_size = ${value}`), [`9: [policy] page_size: ${message}`]);
    const r = checkConfigText(`${BASE}[state]\nkeep_runs = 0x10\n[safety]\nmax_removals = 1e3\n`, FILE);
    assert.deepEqual(r.errors, []);
    assert.deepEqual([r.config?.state.keepRuns, r.config?.safety.maxRemovals], [16, 1000]);
  });

  it("bounds a percentage on both sides", () => {
    assert.deepEqual(messages("safety", "max_removals_percent = 101"), [
      "9: [safety] max_removals_percent: Too big: expected number to be <=100",
    ]);
    assert.deepEqual(messages("safety", "max_removals_percent = -1"), [
      "9: [safety] max_removals_percent: Too small: expected number to be >=0",
    ]);
  });

  it("takes booleans as true/false, yes/no, on/off only", () => {
    assert.deepEqual(messages("compile", "uri_grants = 1"), ["9: [compile] uri_grants: Invalid input"]);
    const r = checkConfigText(`${BASE}[compile]\nuri_grants = on\ntraverse = no\n`, FILE);
    assert.deepEqual([r.config?.compile.uriGrants, r.config?.compile.traverse], [true, false]);
  });

  it("reads durations in ms, s (the default unit) and m", () => {
    assert.deepEqual(messages("daemon", "debounce = 1.5s"), [
      "9: [daemon] debounce: a duration like 30s, 500ms or 2m",
    ]);
    const r = checkConfigText(`${BASE}[daemon]\ndebounce = 250ms\nshutdown_timeout = 2m\n`, FILE);
    assert.deepEqual(
      [r.config?.daemon.debounceMs, r.config?.daemon.shutdownTimeoutMs, r.config?.daemon.pollIntervalMs],
      [250, 120_000, 10_000],
    );
  });

  it("needs an item in a list, and names the item at fault", () => {
    assert.deepEqual(messages("webhdfs", "namenodes = ,"), [
      "9: [webhdfs] namenodes: Too small: expected array to have >=1 items",
    ]);
    assert.deepEqual(messages("webhdfs", "namenodes = http://a:1, foo bar"), [
      "9: [webhdfs] namenodes.1: Invalid URL",
    ]);
    assert.deepEqual(
      checkConfigText(BASE.replace("roots = /srv/wh", "roots = ,"), FILE).errors.map((e) => e.message),
      ["[target] roots: at least one root"],
    );
  });

  it("says a required section is required, and names what a top-level key hides", () => {
    const r = checkConfigText("catalog = x\n[policy]\nfile = p\nserver = s\n[target]\nroots = /a\n", FILE);
    assert.deepEqual(
      r.errors.map((e) => `${e.line}: ${e.message}`),
      [
        '1: "catalog" is outside any section; keys belong under a [section] header',
        "undefined: [catalog]: section required",
      ],
    );
  });
});
