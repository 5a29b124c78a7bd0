import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { call, remoteException, useEmulator } from "./helpers.ts";

const UGI = "Failed to obtain user group information:";

describe("who a request runs as (JspHelper.getUGI, UserProvider)", () => {
  const t = useEmulator({
    users: { alice: ["analysts"], bob: ["eng"], hue: ["hue"] },
    proxyUsers: { hue: ["analysts"], oozie: ["*"] },
  });
  const who = async (q: string) => {
    const r = await call(t.emu, "GET", "/", `op=GETHOMEDIRECTORY&${q}`);
    return r.status === 200 ? r.json.Path : remoteException(r);
  };

  it("doas needs a hadoop.proxyuser rule covering one of the target's groups", async () => {
    assert.equal(await who("user.name=hue&doas=alice"), "/user/alice");
    assert.equal(await who("user.name=oozie&doas=bob"), "/user/bob");
    assert.deepEqual(await who("user.name=hue&doas=bob"), {
      exception: "SecurityException",
      javaClassName: "java.lang.SecurityException",
      message: `${UGI} org.apache.hadoop.security.authorize.AuthorizationException: User: hue is not allowed to impersonate bob`,
    });
  });

  it("the superuser is no proxy user unless configured as one", async () => {
    const r = await who("user.name=hdfs&doas=alice");
    assert.match(r.message, /User: hdfs is not allowed to impersonate alice$/);
  });

  it("answers identity failures with 403 SecurityException", async () => {
    const r = await call(t.emu, "GET", "/", "op=GETHOMEDIRECTORY&user.name=hue&doas=bob");
    assert.equal(r.status, 403);
  });

  it("with a delegation token user.name and doas may only repeat the token's user", async () => {
    const token = (await call(t.emu, "GET", "/", "op=GETDELEGATIONTOKEN&user.name=hue&doas=alice")).json.Token
      .urlString as string;
    assert.equal(await who(`delegation=${token}`), "/user/alice");
    assert.equal(await who(`delegation=${token}&doas=alice`), "/user/alice");
    const other = await who(`delegation=${token}&doas=bob`);
    assert.equal(other.exception, "SecurityException");
    assert.equal(
      other.message,
      `${UGI} java.io.IOException: Usernames not matched: name=bob != expected=alice`,
    );
  });

  it("an unknown token is an InvalidToken wrapped in SecurityException", async () => {
    const r = await who("delegation=nope");
    assert.equal(
      r.message,
      `${UGI} org.apache.hadoop.security.token.SecretManager$InvalidToken: token (nope) can't be found in cache`,
    );
  });
});

describe("dfs.namenode.acls.enabled = false", () => {
  const t = useEmulator({ aclsEnabled: false });
  const DISABLED =
    "The ACL operation has been rejected.  Support for ACLs has been disabled by setting dfs.namenode.acls.enabled to false.";

  it("refuses every ACL op, reads included, with an AclException; other ops work", async () => {
    assert.equal((await call(t.emu, "PUT", "/d", "op=MKDIRS&user.name=hdfs")).status, 200);
    for (const [method, q] of [
      ["GET", "op=GETACLSTATUS"],
      ["PUT", "op=MODIFYACLENTRIES&aclspec=user:bob:r--"],
      ["PUT", "op=REMOVEACL"],
    ] as const) {
      const r = await call(t.emu, method, "/d", `${q}&user.name=hdfs`);
      assert.equal(r.status, 403, q);
      assert.deepEqual(remoteException(r), {
        exception: "AclException",
        javaClassName: "org.apache.hadoop.hdfs.protocol.AclException",
        message: DISABLED,
      });
    }
  });
});

describe("an injected clock instead of Date.now", () => {
  let now = 1_000_000;
  const t = useEmulator({ clock: () => now, tokens: { renewIntervalMs: 60_000, maxLifetimeMs: 120_000 } });

  it("stamps inode times and expires delegation tokens without waiting", async () => {
    await call(t.emu, "PUT", "/c", "op=MKDIRS&user.name=hdfs");
    assert.equal(
      (await call(t.emu, "GET", "/c", "op=GETFILESTATUS")).json.FileStatus.modificationTime,
      1_000_000,
    );
    const token = (await call(t.emu, "GET", "/", "op=GETDELEGATIONTOKEN&user.name=alice")).json.Token
      .urlString;
    assert.equal((await call(t.emu, "GET", "/", `op=GETHOMEDIRECTORY&delegation=${token}`)).status, 200);
    now += 60_001;
    const late = await call(t.emu, "GET", "/", `op=GETHOMEDIRECTORY&delegation=${token}`);
    assert.equal(late.status, 403);
    assert.match(
      remoteException(late).message,
      /InvalidToken: token \(.*\) is expired, current time: 1060001/,
    );
  });
});
