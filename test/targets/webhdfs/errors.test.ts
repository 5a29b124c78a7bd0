import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { GsError, isGsError } from "../../../src/errors.ts";
import {
  classifyFailure,
  parseErrorResponse,
  WebhdfsRemoteError,
} from "../../../src/targets/webhdfs/errors.ts";
import { backoffDelay } from "../../../src/targets/webhdfs/ha.ts";

const remote = (javaClassName: string, message = "m") =>
  JSON.stringify({
    RemoteException: { exception: javaClassName.split(".").pop(), javaClassName, message },
  });

describe("parseErrorResponse", () => {
  it("turns RemoteException JSON into a typed error with op, path and status", () => {
    const body = remote("org.apache.hadoop.security.AccessControlException", "Permission denied: user=bob");
    const err = parseErrorResponse(403, body, "SETACL", "/data/t");
    assert.ok(err instanceof WebhdfsRemoteError);
    assert.equal(err.code, "GS_WEBHDFS_REMOTE");
    assert.equal(err.javaClassName, "org.apache.hadoop.security.AccessControlException");
    assert.equal(err.exception, "AccessControlException");
    assert.equal(err.remoteMessage, "Permission denied: user=bob");
    assert.equal(err.status, 403);
    assert.equal(err.op, "SETACL");
    assert.equal(err.path, "/data/t");
    assert.equal(err.location, "/data/t");
  });

  it("keeps bodies that are not RemoteException as HTTP errors", () => {
    const err = parseErrorResponse(503, "<html>busy</html>", "LISTSTATUS", "/");
    assert.ok(err instanceof WebhdfsRemoteError);
    assert.equal(err.exception, "HTTP 503");
    assert.equal(err.javaClassName, "");
  });

  it("unwraps the SecurityException a NameNode wraps identity failures in, as WebHdfsFileSystem does", () => {
    const body = remote(
      "java.lang.SecurityException",
      "Failed to obtain user group information: org.apache.hadoop.security.token.SecretManager$InvalidToken: token (abc) is expired",
    );
    const err = parseErrorResponse(403, body, "GETFILESTATUS", "/p");
    assert.ok(err instanceof WebhdfsRemoteError);
    assert.equal(err.exception, "InvalidToken");
    assert.equal(err.javaClassName, "org.apache.hadoop.security.token.SecretManager$InvalidToken");
    assert.equal(err.remoteMessage, "token (abc) is expired");
    const plain = parseErrorResponse(403, remote("java.lang.SecurityException", "other"), "OP", "/p");
    assert.equal((plain as WebhdfsRemoteError).exception, "SecurityException");
  });

  it("reports a 401 as an authentication failure", () => {
    assert.ok(isGsError(parseErrorResponse(401, "", "GETFILESTATUS", "/"), "GS_WEBHDFS_AUTH"));
  });
});

describe("classifyFailure", () => {
  const err = (status: number, cls: string, message = "m") =>
    parseErrorResponse(status, remote(cls, message), "OP", "/p");

  it("fails over on StandbyException, also when only the message names it", () => {
    assert.equal(classifyFailure(err(403, "org.apache.hadoop.ipc.StandbyException")), "failover");
    assert.equal(
      classifyFailure(
        err(403, "org.apache.hadoop.security.token.SecretManager$InvalidToken", "x StandbyException"),
      ),
      "failover",
    );
  });

  it("retries a safe mode the NameNode is starting in, not one an operator turned on", () => {
    const safe = "org.apache.hadoop.hdfs.server.namenode.SafeModeException";
    assert.equal(
      classifyFailure(
        err(403, safe, "Name node is in safe mode.\nThe reported blocks 10 needs additional 5 blocks."),
      ),
      "retry",
    );
    assert.equal(
      classifyFailure(
        err(
          403,
          safe,
          'Name node is in safe mode.\nIt was turned on manually. Use "hdfs dfsadmin -safemode leave" to turn safe mode off.',
        ),
      ),
      "final",
    );
  });

  it("retries RetriableException and bare 5xx on the same NameNode", () => {
    assert.equal(classifyFailure(err(403, "org.apache.hadoop.ipc.RetriableException")), "retry");
    assert.equal(classifyFailure(parseErrorResponse(503, "", "OP", "/p")), "retry");
  });

  it("never retries final exceptions, even when HttpFS sends them as 500", () => {
    for (const cls of [
      "org.apache.hadoop.security.AccessControlException",
      "java.io.FileNotFoundException",
      "org.apache.hadoop.hdfs.protocol.AclException",
      "java.lang.IllegalArgumentException",
    ]) {
      assert.equal(classifyFailure(err(403, cls)), "final", cls);
      assert.equal(classifyFailure(err(500, cls)), "final", cls);
    }
  });

  it("fails over on refused and reset connections, retries on timeouts", () => {
    const net = (code: string) => Object.assign(new Error(code), { code });
    assert.equal(classifyFailure(net("ECONNREFUSED")), "failover");
    assert.equal(classifyFailure(net("UND_ERR_SOCKET")), "failover");
    assert.equal(classifyFailure(new Error("x", { cause: net("ECONNRESET") })), "failover");
    assert.equal(classifyFailure(net("UND_ERR_HEADERS_TIMEOUT")), "retry");
  });

  it("treats our own errors and bugs as final", () => {
    assert.equal(classifyFailure(new GsError("GS_WEBHDFS_AUTH", "x")), "final");
    assert.equal(classifyFailure(new TypeError("bug")), "final");
  });
});

describe("backoffDelay", () => {
  const policy = { maxAttempts: 5, baseMs: 100, capMs: 1000 };

  it("stays below base·2^retry, capped", () => {
    assert.equal(
      backoffDelay(0, policy, () => 0.999),
      99,
    );
    assert.equal(
      backoffDelay(2, policy, () => 0.999),
      399,
    );
    assert.equal(
      backoffDelay(10, policy, () => 0.999),
      999,
    );
  });

  it("can be zero (full jitter)", () => {
    assert.equal(
      backoffDelay(3, policy, () => 0),
      0,
    );
  });
});
