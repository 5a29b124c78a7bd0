// Checks that span keys are made where the config is loaded, each at the offending key's line, so
// `validate` reports them like any other key instead of the daemon or the target refusing them at
// start-up without a line; and each section's mapper resolves relative paths against the file.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkConfigText } from "../../src/config/load.ts";

const FILE = "/etc/grantsync/grantsync.ini";
const BASE = "[policy]\nfile = p.ini\nserver = s\n[catalog]\nfile = l.ini\n[target]\nroots = /srv/wh\n";
const WEBHDFS = BASE.replace("roots = /srv/wh", "type = webhdfs\nroots = /w");

/** The errors of a config text as "LINE: message". */
function errorsOf(text: string): string[] {
  const r = checkConfigText(text, FILE);
  assert.equal(r.config, undefined, "the config should be refused");
  return r.errors.map((d) => `${d.line}: ${d.code} ${d.message}`);
}

describe("config checks that span keys, at the key's line", () => {
  it("[daemon] ha needs [state] url", () => {
    assert.deepEqual(errorsOf(`${BASE}[daemon]\nha = true\n`), [
      "9: GS_CONFIG_INVALID [daemon] ha: needs a database state: set [state] url = postgres://… or mysql://…",
    ]);
    const ok = checkConfigText(`${BASE}[state]\nurl = postgres://u@h/db\n[daemon]\nha = true\n`, FILE);
    assert.deepEqual(ok.errors, []);
    assert.equal(ok.config?.daemon.ha, true);
  });

  it("[daemon] ha_check_interval is at least 100ms", () => {
    assert.deepEqual(errorsOf(`${BASE}[daemon]\nha_check_interval = 50ms\n`), [
      "9: GS_CONFIG_INVALID [daemon] ha_check_interval: at least 100ms",
    ]);
  });

  it("[daemon] poll_interval is at least 100ms (0 would poll the databases without pause)", () => {
    assert.deepEqual(errorsOf(`${BASE}[daemon]\npoll_interval = 0ms\n`), [
      "9: GS_CONFIG_INVALID [daemon] poll_interval: at least 100ms",
    ]);
  });

  it("[compile] file_execute takes auto or a boolean in any of the config's spellings", () => {
    for (const [text, want] of [
      ["true", true],
      ["false", false],
      ["yes", true],
      ["off", false],
      ["auto", undefined],
    ] as const) {
      const r = checkConfigText(`${BASE}[compile]\nfile_execute = ${text}\n`, FILE);
      assert.deepEqual(r.errors, [], text);
      assert.equal(r.config?.compile.fileExecute, want, text);
    }
    assert.match(
      errorsOf(`${BASE}[compile]\nfile_execute = sometimes\n`)[0]!,
      /^9: GS_CONFIG_INVALID \[compile\] file_execute/,
    );
  });

  it("[webhdfs] keytab needs principal with Kerberos, and is ignored without", () => {
    assert.deepEqual(
      errorsOf(`${WEBHDFS}[webhdfs]\nnamenodes = http://nn:9870\nauth = kerberos\nkeytab = gs.keytab\n`),
      ["12: GS_CONFIG_INVALID [webhdfs] keytab: needs principal (the key to log in with)"],
    );
    const simple = checkConfigText(
      `${WEBHDFS}[webhdfs]\nnamenodes = http://nn:9870\nkeytab = gs.keytab\n`,
      FILE,
    );
    assert.deepEqual(simple.errors, []);
    assert.equal(simple.config?.webhdfs?.keytab, "/etc/grantsync/gs.keytab");
  });

  it("[webhdfs] namenodes are http(s), webhdfs:// or swebhdfs:// addresses", () => {
    assert.deepEqual(errorsOf(`${WEBHDFS}[webhdfs]\nnamenodes = http://a:1, ftp://nn:9870\n`), [
      '10: GS_CONFIG_INVALID [webhdfs] namenodes.1: "ftp://nn:9870" is not an http(s) NameNode address (http://, https://, webhdfs:// or swebhdfs://)',
    ]);
    const ok = checkConfigText(
      `${WEBHDFS}[webhdfs]\nnamenodes = https://a:1, webhdfs://b:2, SWEBHDFS://c:3, nn:9870\n`,
      FILE,
    );
    assert.deepEqual(ok.errors, []);
    assert.deepEqual(ok.config?.webhdfs?.namenodes, [
      "https://a:1",
      "webhdfs://b:2",
      "SWEBHDFS://c:3",
      "nn:9870",
    ]);
  });

  it("[webhdfs] is required with a webhdfs target (at no line: the section is missing)", () => {
    assert.deepEqual(errorsOf(WEBHDFS), [
      "undefined: GS_CONFIG_INVALID [webhdfs]: section required when [target] type = webhdfs",
    ]);
  });
});

describe("config sections mapped onto Config", () => {
  it("resolves relative paths against the config file's directory, section by section", () => {
    const text =
      "[policy]\ntype = ranger\nservice = hive\nfile = r.json\nroles_file = /abs/roles.json\n" +
      "[catalog]\ntype = hms\nurl = postgres://h/m\npassword_file = hms.pw\n" +
      "[target]\nroots = wh, /srv/x//y/\n[state]\ndir = st\nurl = mysql://u@h/s\npassword_file = st.pw\n";
    const { config, errors } = checkConfigText(text, FILE);
    assert.deepEqual(errors, []);
    assert.deepEqual(config?.policy, {
      type: "ranger",
      service: "hive",
      file: "/etc/grantsync/r.json",
      rolesFile: "/abs/roles.json",
      pageSize: 200,
    });
    assert.deepEqual(config?.catalog, {
      type: "hms",
      catalogName: "hive",
      pageSize: 5000,
      url: "postgres://h/m",
      passwordFile: "/etc/grantsync/hms.pw",
    });
    assert.deepEqual(config?.target.roots, ["/etc/grantsync/wh", "/srv/x/y"]);
    assert.deepEqual(config?.state, {
      dir: "/etc/grantsync/st",
      keepRuns: 200,
      db: { url: "mysql://u@h/s", passwordFile: "/etc/grantsync/st.pw" },
    });
  });

  it("maps [compile] actions over the defaults, keeping read and write bits only", () => {
    const { config } = checkConfigText(`${BASE}[compile]\nselect = rx\ninsert =\nalter = w\n`, FILE);
    assert.deepEqual(config?.compile.actionPerms, {
      select: 4,
      insert: 0,
      all: 6,
      owner: 6,
      alter: 2,
      create: 0,
      drop: 0,
      index: 0,
      lock: 0,
    });
  });
});
