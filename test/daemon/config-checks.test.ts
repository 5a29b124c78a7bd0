// The daemon's settings are checked where the config is loaded (config/schema.ts), so `validate`
// and the daemon's start refuse the same values.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseConfig } from "../../src/config/load.ts";
import { parseListen } from "../../src/config/values.ts";
import { isGsError } from "../../src/errors.ts";

const BASE = "[policy]\nfile = p.ini\nserver = s\n[catalog]\nfile = l.ini\n[target]\nroots = /srv/wh\n";
const withDaemon = (lines: string) => parseConfig(`${BASE}[daemon]\n${lines}\n`, "/etc/gs.ini");

describe("daemon settings checked at load", () => {
  it("accepts 5- and 6-field cron expressions with an IANA time zone", () => {
    assert.equal(withDaemon("schedule = */15 * * * *").daemon.schedule, "*/15 * * * *");
    assert.equal(
      withDaemon("schedule = */2 * * * * *\ntimezone = Europe/Berlin").daemon.timezone,
      "Europe/Berlin",
    );
  });

  it("rejects a bad schedule or time zone with GS_CONFIG_INVALID naming the key and its line", () => {
    assert.throws(
      () => withDaemon("schedule = 61 * * * *"),
      (e) =>
        isGsError(e, "GS_CONFIG_INVALID") &&
        /\[daemon\] schedule/.test(e.message) &&
        e.location === "/etc/gs.ini:9",
    );
    assert.throws(
      () => withDaemon("timezone = Mars/Olympus"),
      (e) => isGsError(e, "GS_CONFIG_INVALID") && /\[daemon\] timezone/.test(e.message),
    );
  });

  it("reads listen as host:port, [v6]:port or :port, and refuses anything else", () => {
    assert.deepEqual(parseListen("127.0.0.1:9464"), { host: "127.0.0.1", port: 9464 });
    assert.deepEqual(parseListen("[::1]:0"), { host: "::1", port: 0 });
    assert.deepEqual(parseListen(":9464"), { host: "127.0.0.1", port: 9464 });
    for (const bad of ["9464", "host:99999", "a:b", "nonsense"])
      assert.throws(
        () => withDaemon(`listen = ${bad}`),
        (e) => isGsError(e, "GS_CONFIG_INVALID") && /\[daemon\] listen/.test(e.message),
        bad,
      );
  });
});
