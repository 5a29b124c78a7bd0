import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { isSecretName, redactUrl, scrubFields, scrubSecret, scrubText } from "../src/secrets.ts";

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

  it("knows one list of secret names, for query parameters and object fields alike", () => {
    for (const name of [
      "password",
      "sslpassword",
      "keytabPassword",
      "token",
      "delegation",
      "secret",
      "apiKey",
    ])
      assert.ok(isSecretName(name), name);
    for (const name of ["user", "url", "path", "code", "message", "principal", "run"])
      assert.ok(!isSecretName(name), name);
    assert.equal(redactUrl("https://r/x?apiKey=a&user=u"), "https://r/x?apiKey=***&user=u");
  });

  it("redacts secret-named fields and URLs in log fields, nested, without touching the original", () => {
    const fields = {
      config: { policy: { url: "mysql://s:pw@h/db", password: "pw" }, state: { keytabPassword: "k" } },
      token: "t0k",
      list: ["postgres://u:pw@h/db", { secret: 1 }],
      link: new URL("https://u:pw@nn/x?delegation=d"),
      path: "/wh/a",
    };
    assert.deepEqual(scrubFields(fields), {
      config: {
        policy: { url: "mysql://s@h/db", password: "[redacted]" },
        state: { keytabPassword: "[redacted]" },
      },
      token: "[redacted]",
      list: ["postgres://u@h/db", { secret: "[redacted]" }],
      link: "https://u@nn/x?delegation=***",
      path: "/wh/a",
    });
    assert.equal(fields.token, "t0k");
  });

  it("redacts a secret-named field of a class instance, and leaves other instances as they are", () => {
    class Conn {
      constructor(
        readonly url: string,
        readonly password: string,
      ) {}
    }
    assert.deepEqual(scrubFields({ conn: new Conn("postgres://h/db", "pw") }), {
      conn: { url: "postgres://h/db", password: "[redacted]" },
    });
    const when = new Date(0);
    assert.equal((scrubFields({ when }) as { when: Date }).when, when);
  });

  it("removes a password we hold from a driver's message", () => {
    assert.equal(scrubSecret("auth failed for pw-1 (pw-1)", "pw-1"), "auth failed for *** (***)");
    assert.equal(scrubSecret("refused", undefined), "refused");
  });
});
