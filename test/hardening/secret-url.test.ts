// A database password with an unencoded `/` makes the URL unparsable for WHATWG URL, which is
// where regex scrubbers gave up. The config check refuses such a URL before anything connects, naming
// the key and never the URL; the password appears in no output or log line.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { grantsync } from "../helpers/cli.ts";
import { startDaemon } from "../helpers/daemon.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

const SECRET = "Sl4sh/S3cr3t";
const URL_WITH_SECRET = `postgres://postgres:${SECRET}@127.0.0.1:5432/test`;

describe("a database password holding a /", { timeout: 60_000 }, () => {
  let wh: Warehouse;
  before(() => {
    wh = makeWarehouse();
    writeFileSync(
      wh.config,
      `[policy]\ntype = sentry-db\nurl = ${URL_WITH_SECRET}\nserver = server1\n` +
        `[catalog]\ntype = hms\nurl = ${URL_WITH_SECRET}?sslpassword=${SECRET}\n` +
        `[target]\ntype = posix\nroots = ${wh.root}\n[state]\ndir = state\n` +
        "[daemon]\nlisten = 127.0.0.1:0\ndebounce = 50ms\n",
    );
  });
  after(() => wh.cleanup());

  const leaks = (text: string) =>
    [SECRET, "S3cr3t", encodeURIComponent(SECRET)].filter((s) => text.includes(s));

  for (const args of [
    ["validate"],
    ["validate", "--json"],
    ["plan"],
    ["plan", "--json"],
    ["apply", "--yes"],
  ]) {
    it(`is absent from ${args.join(" ")}`, () => {
      const r = grantsync([...args, "-c", wh.config]);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /GS_CONFIG_INVALID/);
      assert.match(r.stdout + r.stderr, /\[catalog\] url: is not a URL/);
      assert.deepEqual(leaks(r.stdout + r.stderr), []);
    });
  }

  it("is absent from the daemon's log when it refuses to start", async () => {
    const d = startDaemon(wh.config);
    const code = await d.exited;
    assert.notEqual(code, 0);
    const output = JSON.stringify(d.logs) + d.stderr();
    assert.match(output, /GS_CONFIG_INVALID/);
    assert.deepEqual(leaks(output), []);
  });
});
