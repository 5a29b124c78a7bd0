import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseListen } from "../../src/daemon/health.ts";
import { checkSchedule } from "../../src/daemon/schedule.ts";
import { isGsError } from "../../src/errors.ts";

describe("daemon settings checked at start", () => {
  it("accepts 5- and 6-field cron expressions with an IANA time zone", () => {
    checkSchedule("*/15 * * * *", undefined);
    checkSchedule("*/2 * * * * *", "Europe/Berlin");
  });

  it("rejects a bad schedule or time zone with GS_CONFIG_INVALID naming the key", () => {
    assert.throws(
      () => checkSchedule("61 * * * *", undefined),
      (e) => isGsError(e, "GS_CONFIG_INVALID") && /\[daemon\] schedule/.test(e.message),
    );
    assert.throws(
      () => checkSchedule("* * * * *", "Mars/Olympus"),
      (e) => isGsError(e, "GS_CONFIG_INVALID") && /\[daemon\] timezone/.test(e.message),
    );
  });

  it("reads listen as host:port, [v6]:port or :port", () => {
    assert.deepEqual(parseListen("127.0.0.1:9464"), { host: "127.0.0.1", port: 9464 });
    assert.deepEqual(parseListen("[::1]:0"), { host: "::1", port: 0 });
    assert.deepEqual(parseListen(":9464"), { host: "127.0.0.1", port: 9464 });
    for (const bad of ["9464", "host:99999", "a:b"])
      assert.throws(
        () => parseListen(bad),
        (e) => isGsError(e, "GS_CONFIG_INVALID"),
        bad,
      );
  });
});
