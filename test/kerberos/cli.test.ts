// End to end on a Kerberized WebHDFS: the grantsync CLI (child processes) logs in from a keytab,
// plans, applies over 1,000 files and undoes against the emulator checking SPNEGO tokens with a
// real KDC; the handshakes each run costs are counted on the server side.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import { grantsyncAsync } from "../helpers/cli.ts";
import { type Kdc, kdcMissing, REALM, startKdc } from "./kdc.ts";

const skip = kdcMissing();
const PARTITIONS = 10;
const FILES_PER_PARTITION = 100;

describe("grantsync plan/apply/undo with [webhdfs] auth = kerberos", { skip }, () => {
  let kdc: Kdc;
  let emu: Emulator;
  let dir: string;
  const files: string[] = [];

  function config(name: string, extra = ""): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      `[policy]\ntype = file\nfile = policy.ini\nserver = server1\n` +
        `[catalog]\ntype = file\nfile = locations.ini\n` +
        `[target]\ntype = webhdfs\nroots = /wh\n[state]\ndir = state\n` +
        `[webhdfs]\nnamenodes = ${emu.url.replace("127.0.0.1", "localhost")}\nauth = kerberos\n` +
        `principal = grantsync@${REALM}\nkeytab = grantsync.keytab\nretries = 1\n${extra}`,
    );
    return file;
  }

  before(async () => {
    kdc = await startKdc();
    dir = kdc.dir;
    kdc.addPrincipal("grantsync");
    kdc.addPrincipal("HTTP/localhost");
    kdc.keytab("grantsync.keytab", "grantsync");
    const serviceKeytab = kdc.keytab("http.keytab", "HTTP/localhost");
    emu = await startEmulator({
      port: 0,
      users: { grantsync: ["supergroup"] },
      kerberos: { keytab: serviceKeytab, principal: `HTTP/localhost@${REALM}` },
    });
    for (let p = 0; p < PARTITIONS; p++) {
      const part = `/wh/sales.db/orders/dt=2024-01-${String(p + 1).padStart(2, "0")}`;
      emu.fs.mkdirs(part);
      for (let f = 0; f < FILES_PER_PARTITION; f++) {
        emu.fs.create(`${part}/part-${f}`, { data: "x" });
        files.push(`${part}/part-${f}`);
      }
    }
    writeFileSync(
      join(dir, "policy.ini"),
      "[groups]\nanalysts = sales_reader\n[roles]\nsales_reader = server=server1->db=sales->action=select\n",
    );
    writeFileSync(join(dir, "locations.ini"), "[databases]\nsales = /wh/sales.db\n");
  });
  after(async () => {
    await emu?.close();
    await kdc?.stop();
  });

  it("plans, applies to 1,000 files and undoes with a handful of SPNEGO handshakes", async (t) => {
    const cfg = config("grantsync.ini");
    const secrets = (out: string) => assert.doesNotMatch(out, /hadoop\.auth|Negotiate |u=grantsync&/);

    let before = emu.authCounts().handshakes;
    const plan = await grantsyncAsync(["plan", "-c", cfg, "--detailed-exitcode", "--json"]);
    assert.equal(plan.code, 2, plan.stderr);
    secrets(plan.stdout + plan.stderr);
    const planHandshakes = emu.authCounts().handshakes - before;

    before = emu.authCounts().handshakes;
    const apply = await grantsyncAsync(["apply", "-c", cfg, "--yes", "--json"]);
    assert.equal(apply.code, 0, apply.stderr);
    secrets(apply.stdout + apply.stderr);
    const applyHandshakes = emu.authCounts().handshakes - before;
    const run = (JSON.parse(apply.stdout) as { run: string }).run;
    assert.deepEqual(emu.fs.getAclStatus(files[0]!).entries, ["group::r--", "group:analysts:r-x"]);
    assert.deepEqual(emu.fs.getAclStatus(files.at(-1)!).entries, ["group::r--", "group:analysts:r-x"]);

    before = emu.authCounts().handshakes;
    const again = await grantsyncAsync(["plan", "-c", cfg, "--detailed-exitcode"]);
    assert.equal(again.code, 0, again.stderr);

    const undo = await grantsyncAsync(["undo", run, "-c", cfg, "--json"]);
    assert.equal(undo.code, 0, undo.stderr);
    secrets(undo.stdout + undo.stderr);
    assert.deepEqual(emu.fs.getAclStatus(files[0]!).entries, []);
    const restHandshakes = emu.authCounts().handshakes - before;

    t.diagnostic(
      `SPNEGO handshakes: plan ${planHandshakes}, apply over ${files.length} files ${applyHandshakes}, ` +
        `no-op plan + undo ${restHandshakes}`,
    );
    assert.ok(applyHandshakes >= 1 && applyHandshakes <= 3, `apply took ${applyHandshakes} handshakes`);
    assert.ok(planHandshakes <= 3 && restHandshakes <= 6);
  });

  it("with delegation_tokens = true, sends the token and cancels it when the run ends", async () => {
    const cfg = config("grantsync-dt.ini", "delegation_tokens = true\n");
    emu.resetCounts();
    const plan = await grantsyncAsync(["plan", "-c", cfg, "--json"]);
    assert.equal(plan.code, 0, plan.stderr);
    const counts = emu.counts();
    assert.equal(counts.RENEWDELEGATIONTOKEN, 1);
    assert.equal(counts.CANCELDELEGATIONTOKEN, 1);
  });

  it("refuses a user without Kerberos credentials with GS_WEBHDFS_AUTH", async () => {
    const cfg = config("grantsync-nokeytab.ini");
    writeFileSync(cfg, readFileSync(cfg, "utf8").replace(/^keytab = .*$/m, ""));
    const r = await grantsyncAsync(["plan", "-c", cfg, "--json"]);
    // No NameNode accepting us is the run's failure, not a problem of one path: exit 1, typed error.
    assert.equal(r.code, 1, r.stdout);
    const out = JSON.parse(r.stdout) as { error: { code: string; message: string } };
    assert.equal(out.error.code, "GS_WEBHDFS_AUTH", r.stderr);
    assert.match(out.error.message, /no Kerberos credentials/);
  });
});
