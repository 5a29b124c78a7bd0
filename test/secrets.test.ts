import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { redactUrl, scrubText } from "../src/secrets.ts";

describe("the secret scrubber", () => {
  it("drops a URL's password and keeps everything else", () => {
    assert.equal(redactUrl("postgres://hive:s3cr3t@db:5432/metastore"), "postgres://hive@db:5432/metastore");
    assert.equal(redactUrl("mysql://root:p%40ss@127.0.0.1:3306/hms"), "mysql://root@127.0.0.1:3306/hms");
    assert.equal(redactUrl("postgres://hive@db/metastore"), "postgres://hive@db/metastore");
    assert.equal(redactUrl("hdfs://nn:8020/warehouse/a.db"), "hdfs://nn:8020/warehouse/a.db");
    assert.equal(redactUrl("file:///srv/w/x"), "file:///srv/w/x");
  });

  it("finds the password where WHATWG URL gives up: unencoded / @ and : inside it", () => {
    for (const pw of ["pa/ss", "a@b/c", "x:y/z", "//", "/@/"]) {
      const out = redactUrl(`postgres://hive:${pw}@db:5432/ms`);
      assert.equal(out, "postgres://hive@db:5432/ms", pw);
    }
  });

  it("masks secret query parameters by name", () => {
    assert.equal(
      redactUrl("postgres://hive@db/ms?sslmode=require&password=s3cr3t&sslpassword=x"),
      "postgres://hive@db/ms?sslmode=require&password=***&sslpassword=***",
    );
    assert.equal(
      scrubText("GET http://nn:9870/webhdfs/v1/x?op=GETACLSTATUS&delegation=AbCd&user.name=hdfs"),
      "GET http://nn:9870/webhdfs/v1/x?op=GETACLSTATUS&delegation=***&user.name=hdfs",
    );
  });

  it("redacts every URL inside free text and leaves paths alone", () => {
    assert.equal(
      scrubText('cannot connect to "postgres://u:pa/ss@db:5432/x": refused; retry mysql://r:q@h/d'),
      'cannot connect to "postgres://u@db:5432/x": refused; retry mysql://r@h/d',
    );
    assert.equal(scrubText("/srv/warehouse/sales.db"), "/srv/warehouse/sales.db");
    assert.ok(!scrubText("not a url //u:secret@h").includes("secret"));
  });
});
