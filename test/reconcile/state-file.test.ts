import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isGsError } from "../../src/errors.ts";
import { emptyState, StateStore } from "../../src/reconcile/state.ts";

function store(t: { after(fn: () => void): void }): StateStore {
  const dir = mkdtempSync(join(tmpdir(), "gs-statefile-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return new StateStore(dir);
}

describe("managed.json", () => {
  it("round-trips, leaving no temp file behind", (t) => {
    const s = store(t);
    const state = {
      ...emptyState("posix"),
      locations: { "/w/a": { objects: ["a"], dir: ["group:g"], file: [] } },
    };
    s.save(state);
    assert.deepEqual(s.load("posix"), state);
    assert.deepEqual(readdirSync(s.dir).sort(), ["journal", "managed.json"]);
  });

  it("refuses an edited or torn file without quoting it", (t) => {
    const s = store(t);
    s.save(emptyState("posix"));
    const file = join(s.dir, "managed.json");
    const text = readFileSync(file, "utf8");
    for (const spoilt of [
      text.replace('"locations":{}', '"locations":{"/etc":{}}'),
      text.slice(0, 20),
      "SECRET-BYTES",
    ]) {
      writeFileSync(file, spoilt);
      assert.throws(
        () => new StateStore(s.dir).load("posix"),
        (e: unknown) =>
          isGsError(e, "GS_STATE") && !e.message.includes("SECRET") && !e.message.includes("/etc"),
      );
    }
  });

  it("is never read through a symlink", (t) => {
    const s = store(t);
    s.ensure();
    symlinkSync("/etc/hostname", join(s.dir, "managed.json"));
    assert.throws(
      () => new StateStore(s.dir).load("posix"),
      (e: unknown) => isGsError(e, "GS_STATE_UNSAFE"),
    );
  });
});
