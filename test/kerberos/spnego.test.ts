// SPNEGO against a real MIT KDC: the WebHDFS client's handshakes, cookies and delegation tokens,
// the Kerberized emulator's filter, HTTPS with a test CA, and the errors of the usual failures.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { request } from "undici";
import { type Emulator, type EmulatorOptions, startEmulator } from "../../src/emulator/server.ts";
import { isGsError } from "../../src/errors.ts";
import { WebhdfsClient, type WebhdfsClientOptions } from "../../src/targets/webhdfs/client.ts";
import { explainGssFailure } from "../../src/targets/webhdfs/kerberos.ts";
import { expireCcache } from "./ccache.ts";
import { type Kdc, kdcMissing, REALM, startKdc } from "./kdc.ts";

const skip = kdcMissing();
const FAST = { maxAttempts: 2, baseMs: 1, capMs: 5 };

/** The emulator's and the client's clock in one: expiry tests move it instead of sleeping. */
class FakeClock {
  private t = Date.now();
  readonly now = (): number => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

describe("Kerberos (SPNEGO) for WebHDFS against a real KDC", { skip }, () => {
  let kdc: Kdc;
  let clientKeytab: string;
  let serviceKeytab: string;
  const emulators: Emulator[] = [];
  const clients: WebhdfsClient[] = [];

  async function emulator(opts: EmulatorOptions = {}): Promise<Emulator> {
    const emu = await startEmulator({
      port: 0,
      users: { grantsync: ["supergroup"], alice: ["users"] },
      kerberos: { keytab: serviceKeytab, principal: `HTTP/localhost@${REALM}` },
      ...opts,
    });
    emulators.push(emu);
    return emu;
  }

  /** A client reaching the emulator by the host name of its service principal. */
  function client(emu: Emulator, opts: Partial<WebhdfsClientOptions> = {}): WebhdfsClient {
    const c = new WebhdfsClient({
      namenodes: [emu.url.replace("127.0.0.1", "localhost")],
      user: "hdfs",
      kerberos: { principal: `grantsync@${REALM}`, keytab: clientKeytab },
      connections: 16,
      timeoutMs: 5_000,
      retry: FAST,
      ...opts,
    });
    clients.push(c);
    return c;
  }

  before(async () => {
    kdc = await startKdc();
    for (const p of ["grantsync", "alice", "shortlived", "HTTP/localhost"]) kdc.addPrincipal(p);
    clientKeytab = kdc.keytab("grantsync.keytab", "grantsync");
    serviceKeytab = kdc.keytab("http-localhost.keytab", "HTTP/localhost");
  });
  after(async () => {
    try {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await Promise.all(emulators.map((e) => e.close()));
    } finally {
      await kdc?.stop();
    }
  });

  it("answers 401 Negotiate without credentials, whatever user.name says", async () => {
    const emu = await emulator();
    emu.fs.mkdirs("/data");
    for (const query of ["op=GETFILESTATUS", "op=GETFILESTATUS&user.name=hdfs"]) {
      const res = await request(`${emu.url}/webhdfs/v1/data?${query}`);
      await res.body.text();
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers["www-authenticate"], "Negotiate");
    }
    const simple = client(emu, { kerberos: undefined });
    await assert.rejects(simple.getFileStatus("/data"), (e) => isGsError(e, "GS_WEBHDFS_AUTH"));
  });

  it("authenticates once, then rides the hadoop.auth cookie through many concurrent requests", async (t) => {
    const emu = await emulator();
    emu.fs.mkdirs("/w");
    const c = client(emu);
    await Promise.all(Array.from({ length: 300 }, (_, i) => c.mkdirs(`/w/d${i}`)));
    const statuses = await Promise.all(Array.from({ length: 300 }, (_, i) => c.getFileStatus(`/w/d${i}`)));
    t.diagnostic(`600 requests, ${c.handshakes} SPNEGO handshake(s), ${emu.authCounts().refused} 401(s)`);
    assert.equal(c.handshakes, 1);
    assert.equal(emu.authCounts().handshakes, 1);
    // The principal's short name is the HDFS user; user.name=hdfs (the superuser) was not sent.
    assert.ok(statuses.every((s) => s.owner === "grantsync"));
  });

  it("enforces owner checks on ACL ops for the authenticated user", async () => {
    const emu = await emulator();
    emu.fs.mkdirs("/owned");
    emu.fs.setOwner("/owned", "grantsync", "supergroup");
    kdc.keytab("alice.keytab", "alice");
    const alice = client(emu, {
      kerberos: { principal: `alice@${REALM}`, keytab: join(kdc.dir, "alice.keytab") },
    });
    const entry = { scope: "access", type: "user", name: "bob", perm: 5 } as const;
    await assert.rejects(alice.modifyAclEntries("/owned", [entry]), (e) =>
      /AccessControlException.*alice/.test(String(e)),
    );
    const owner = client(emu, { user: "alice" });
    await owner.modifyAclEntries("/owned", [entry]);
    assert.deepEqual((await owner.getAclStatus("/owned")).entries, ["user:bob:r-x", "group::r-x"]);
  });

  it("handshakes again when the cookie expires", async () => {
    const clock = new FakeClock();
    const emu = await emulator({
      clock: clock.now,
      kerberos: { keytab: serviceKeytab, principal: `HTTP/localhost@${REALM}`, cookieValidityMs: 1_000 },
    });
    const c = client(emu, {
      kerberos: { principal: `grantsync@${REALM}`, keytab: clientKeytab, now: clock.now },
    });
    await c.getFileStatus("/");
    await c.getFileStatus("/");
    assert.equal(c.handshakes, 1);
    clock.advance(1_100);
    await c.getFileStatus("/");
    assert.equal(c.handshakes, 2);
  });

  it("uses a delegation token for the bulk of the requests, renews it and cancels it on close", async () => {
    const clock = new FakeClock();
    const emu = await emulator({
      clock: clock.now,
      tokens: { renewIntervalMs: 4_000, maxLifetimeMs: 60_000 },
    });
    emu.fs.mkdirs("/t");
    const c = client(emu, {
      kerberos: {
        principal: `grantsync@${REALM}`,
        keytab: clientKeytab,
        delegationTokens: true,
        now: clock.now,
      },
    });
    await Promise.all(Array.from({ length: 100 }, (_, i) => c.mkdirs(`/t/d${i}`)));
    // The first GETDELEGATIONTOKEN is the SPNEGO probe (401), the second the authenticated one.
    let counts = emu.counts();
    assert.equal(counts.GETDELEGATIONTOKEN, 2);
    assert.equal(counts.RENEWDELEGATIONTOKEN, 1);
    assert.equal(counts.MKDIRS, 100);
    assert.equal(c.handshakes, 1);
    assert.equal(emu.authCounts().refused, 1);
    clock.advance(2_100); // past half the renew interval, when the client renews a short-lived token
    await c.getFileStatus("/t/d1");
    counts = emu.counts();
    assert.equal(counts.RENEWDELEGATIONTOKEN, 2);
    assert.equal(counts.GETDELEGATIONTOKEN, 2);
    await c.close();
    assert.equal(emu.counts().CANCELDELEGATIONTOKEN, 1);
    assert.equal(c.handshakes, 1);
  });

  it("gets a new delegation token when the old one is past its maximum lifetime", async () => {
    const clock = new FakeClock();
    const emu = await emulator({ clock: clock.now, tokens: { renewIntervalMs: 800, maxLifetimeMs: 800 } });
    const c = client(emu, {
      kerberos: {
        principal: `grantsync@${REALM}`,
        keytab: clientKeytab,
        delegationTokens: true,
        now: clock.now,
      },
    });
    await c.getFileStatus("/");
    clock.advance(900);
    await c.getFileStatus("/");
    // A probe and two tokens, with the cookie of the one handshake for the second.
    assert.equal(emu.counts().GETDELEGATIONTOKEN, 3);
    assert.equal(c.handshakes, 1);
  });

  it("refuses a delegation token where Kerberos is required (GETDELEGATIONTOKEN, RENEW)", async () => {
    const emu = await emulator();
    const token = emu.issueToken("grantsync");
    const get = await request(`${emu.url}/webhdfs/v1/?op=GETDELEGATIONTOKEN&delegation=${token}`);
    assert.equal(get.statusCode, 400);
    assert.match(await get.body.text(), /delegation parameter is not null/);
    const renew = await request(
      `${emu.url}/webhdfs/v1/?op=RENEWDELEGATIONTOKEN&token=${token}&delegation=${token}`,
      {
        method: "PUT",
      },
    );
    assert.equal(renew.statusCode, 403);
    assert.match(await renew.body.text(), /can be renewed only with kerberos/);
    // The token itself is good for ordinary ops, as the grantsync user.
    const stat = await request(`${emu.url}/webhdfs/v1/?op=GETFILESTATUS&delegation=${token}`);
    assert.equal(stat.statusCode, 200);
    await stat.body.text();
  });

  it("serves and reaches swebhdfs with a CA file, the cookie marked Secure", async () => {
    const dir = kdc.dir;
    const [caKey, caCert, key, csr, cert] = ["ca.key", "ca.pem", "nn.key", "nn.csr", "nn.pem"].map((f) =>
      join(dir, f),
    ) as [string, string, string, string, string];
    const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
    ssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      caKey,
      "-out",
      caCert,
      "-subj",
      "/CN=grantsync test CA",
    );
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost");
    const ext = join(dir, "san.ext");
    execFileSync("sh", ["-c", `printf 'subjectAltName=DNS:localhost\\n' > ${ext}`]);
    ssl(
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      caCert,
      "-CAkey",
      caKey,
      "-CAcreateserial",
      "-days",
      "1",
      "-out",
      cert,
      "-extfile",
      ext,
    );
    const emu = await emulator({ tls: { key: readFileSync(key), cert: readFileSync(cert) } });
    assert.match(emu.url, /^https:/);
    const swebhdfs = emu.url.replace(/^https:\/\/127\.0\.0\.1/, "swebhdfs://localhost");
    const c = client(emu, { namenodes: [swebhdfs], caFile: caCert });
    emu.fs.mkdirs("/secure");
    assert.equal((await c.getFileStatus("/secure")).type, "DIRECTORY");
    assert.equal(c.handshakes, 1);
    const untrusting = client(emu, { namenodes: [swebhdfs] });
    await assert.rejects(untrusting.getFileStatus("/secure"));
  });

  it("explains a NameNode reached by a name that is not its principal's (wrong service principal)", async () => {
    const emu = await emulator();
    const c = client(emu, { namenodes: [emu.url] }); // 127.0.0.1: the KDC has no HTTP/127.0.0.1
    await assert.rejects(c.getFileStatus("/"), (e) => {
      assert.ok(isGsError(e, "GS_WEBHDFS_AUTH"));
      assert.match(e.message, /wrong service principal.*HTTP\/127\.0\.0\.1/);
      assert.match(e.hint, /host names/);
      return true;
    });
  });

  it("explains missing credentials: no keytab, a keytab without the principal, an empty ticket cache", async () => {
    const emu = await emulator();
    assert.throws(
      () =>
        client(emu, {
          kerberos: { principal: `grantsync@${REALM}`, keytab: join(kdc.dir, "absent.keytab") },
        }),
      (e) => isGsError(e, "GS_WEBHDFS_AUTH") && /cannot read \[webhdfs\] keytab/.test(e.message),
    );
    const wrongKeytab = client(emu, { kerberos: { principal: `alice@${REALM}`, keytab: clientKeytab } });
    await assert.rejects(wrongKeytab.getFileStatus("/"), (e) => {
      assert.ok(isGsError(e, "GS_WEBHDFS_AUTH"));
      assert.match(e.message, /no Kerberos credentials/);
      return true;
    });
    const noTicket = client(emu, { kerberos: { principal: `grantsync@${REALM}` } });
    await assert.rejects(noTicket.getFileStatus("/"), (e) => {
      assert.ok(isGsError(e, "GS_WEBHDFS_AUTH"));
      assert.match(e.message, /no Kerberos credentials/);
      assert.match(e.hint, /kinit|keytab/);
      return true;
    });
  });

  it("explains expired tickets in a cache, and logs in from a keytab regardless", async () => {
    const emu = await emulator();
    const keytab = kdc.keytab("shortlived.keytab", "shortlived");
    execFileSync("kinit", ["-k", "-t", keytab, `shortlived@${REALM}`], { env: process.env });
    const fromCache = client(emu, { kerberos: { principal: `shortlived@${REALM}` } });
    const fromKeytab = client(emu, { kerberos: { principal: `shortlived@${REALM}`, keytab } });
    await fromCache.getFileStatus("/");
    await fromKeytab.getFileStatus("/");
    // The TGT and the HTTP service ticket in the cache, as if their life had run out an hour ago.
    assert.ok(expireCcache(join(kdc.dir, "ccache")) >= 2);
    const later = client(emu, { kerberos: { principal: `shortlived@${REALM}` } });
    await assert.rejects(later.getFileStatus("/"), (e) => {
      assert.ok(isGsError(e, "GS_WEBHDFS_AUTH"));
      assert.match(e.message, /expired credentials/);
      return true;
    });
    const laterFromKeytab = client(emu, { kerberos: { principal: `shortlived@${REALM}`, keytab } });
    assert.equal((await laterFromKeytab.getFileStatus("/")).type, "DIRECTORY");
  });

  it("reports a 401 loop when the server keeps refusing after the token", async () => {
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(401, { "WWW-Authenticate": "Negotiate" }).end("no");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const c = new WebhdfsClient({
        namenodes: [`http://localhost:${port}`],
        kerberos: { principal: `grantsync@${REALM}`, keytab: clientKeytab },
        retry: FAST,
      });
      clients.push(c);
      await assert.rejects(c.getFileStatus("/"), (e) => {
        assert.ok(isGsError(e, "GS_WEBHDFS_AUTH"));
        assert.match(e.message, /keeps answering 401/);
        assert.doesNotMatch(`${e.message} ${e.hint}`, /Negotiate [A-Za-z0-9+/]{20}/);
        return true;
      });
      assert.equal(c.handshakes, 1);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("names clock skew, a service keytab out of date (kvno) and an unreachable KDC", async () => {
    const skew = explainGssFailure(
      new Error("Unspecified GSS failure.  Minor code may provide more information: Clock skew too great"),
      "HTTP@nn1",
      {},
    );
    assert.match(skew.message, /^clock skew/);
    assert.match(skew.hint, /chrony|ntp/);
    // Last: a new key for HTTP/localhost leaves the emulators' keytab one kvno behind.
    const emu = await emulator();
    kdc.kadmin(`cpw -randkey HTTP/localhost@${REALM}`);
    const c = client(emu);
    await assert.rejects(c.getFileStatus("/"), (e) => {
      assert.ok(isGsError(e, "GS_WEBHDFS_AUTH"));
      assert.match(e.message, /refused the SPNEGO token/);
      return true;
    });
    const unreachable = explainGssFailure(new Error("Cannot contact any KDC for realm 'X'"), "HTTP@nn1", {});
    assert.match(unreachable.message, /KDC unreachable/);
  });
});
