// The Kerberos addon is optional: with [webhdfs] auth = kerberos and no addon, every command stops
// at once with a typed error naming Kerberos and how to install it, exit 1, and no stack trace.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { grantsync } from "../helpers/cli.ts";

const blockKerberos = fileURLToPath(new URL("../helpers/without-kerberos.mjs", import.meta.url));

describe("[webhdfs] auth = kerberos without the kerberos addon", () => {
  let dir: string;
  let config: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "gs-nokrb-"));
    config = join(dir, "grantsync.ini");
    writeFileSync(
      join(dir, "policy.ini"),
      "[groups]\ng = r\n[roles]\nr = server=server1->db=sales->action=select\n",
    );
    writeFileSync(join(dir, "locations.ini"), "[databases]\nsales = /wh/sales.db\n");
    writeFileSync(
      config,
      "[policy]\nfile = policy.ini\nserver = server1\n[catalog]\nfile = locations.ini\n" +
        "[target]\ntype = webhdfs\nroots = /wh\n[state]\ndir = state\n" +
        "[webhdfs]\nnamenodes = http://127.0.0.1:9\nauth = kerberos\n",
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const args of [["validate"], ["plan"], ["apply", "--yes"], ["runs"], ["daemon", "--once"]]) {
    it(`grantsync ${args.join(" ")} exits 1 naming Kerberos and how to install it`, () => {
      const r = grantsync([...args, "--config", config], { NODE_OPTIONS: `--import ${blockKerberos}` });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /GS_KERBEROS_MISSING .*Kerberos addon/);
      assert.match(r.stderr, /libkrb5-dev.*make.*g\+\+.*npm rebuild kerberos/);
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    });
  }

  it("reports the same error as one JSON document with --json", () => {
    const r = grantsync(["plan", "--config", config, "--json"], {
      NODE_OPTIONS: `--import ${blockKerberos}`,
    });
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as { error: { code: string; hint: string } };
    assert.equal(doc.error.code, "GS_KERBEROS_MISSING");
    assert.match(doc.error.hint, /npm rebuild kerberos/);
  });
});
