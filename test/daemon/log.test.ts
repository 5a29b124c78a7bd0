import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { createLogger } from "../../src/log.ts";
import { scrubText } from "../../src/secrets.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      for (const l of String(chunk).split("\n")) if (l) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, log: createLogger({ level: "debug", destination }) };
}

describe("daemon logs", () => {
  it("hides credentials inside URLs and secret query parameters", () => {
    assert.equal(scrubText("postgres://hive:s3cret@db:5432/metastore"), "postgres://hive@db:5432/metastore");
    assert.equal(
      scrubText("GET http://nn:9870/webhdfs/v1/x?op=GETACLSTATUS&delegation=AbCd&user.name=hdfs"),
      "GET http://nn:9870/webhdfs/v1/x?op=GETACLSTATUS&delegation=***&user.name=hdfs",
    );
    assert.equal(scrubText("/srv/warehouse/sales.db"), "/srv/warehouse/sales.db");
  });

  it("never writes a password, token or credential URL, in messages, fields or errors", () => {
    const { lines, log } = capture();
    log.info({ config: { policy: { url: "mysql://s:pw@h/db", password: "pw" } }, token: "t0k" }, "loaded");
    log.error({ err: new Error("connect postgres://u:pw@h/db failed") }, "failed for mysql://a:pw@b/c");
    const text = JSON.stringify(lines);
    assert.doesNotMatch(text, /pw|t0k/);
    assert.match(text, /\[redacted\]/);
    assert.equal(lines[1]?.msg, "failed for mysql://a@b/c");
  });

  it("stamps every line with an ISO-8601 time", () => {
    const { lines, log } = capture();
    log.info("tick");
    assert.match(String(lines[0]?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("writes one JSON object per line with the configured level", () => {
    const { lines, log } = capture();
    log.debug({ path: "/wh/a" }, "path changed");
    log.trace("hidden");
    assert.equal(lines.length, 1);
    assert.equal(lines[0]?.level, 20);
    assert.equal(lines[0]?.path, "/wh/a");
  });
});
