import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SEED } from "../helpers/seed.ts";
import { call, remoteException, useEmulator } from "./helpers.ts";

const STANDBY_READ =
  "Operation category READ is not supported in state standby. Visit https://s.apache.org/sbnn-error";

describe("standby NameNode", () => {
  const t = useEmulator({ standby: true });

  it("answers every op with 403 StandbyException naming the op's category", async () => {
    const r = await call(t.emu, "GET", "/", "op=GETFILESTATUS");
    assert.equal(r.status, 403);
    assert.deepEqual(remoteException(r), {
      exception: "StandbyException",
      javaClassName: "org.apache.hadoop.ipc.StandbyException",
      message: STANDBY_READ,
    });
    const w = await call(t.emu, "PUT", "/x", "op=MKDIRS&user.name=hdfs");
    assert.equal(
      remoteException(w).message,
      "Operation category WRITE is not supported in state standby. Visit https://s.apache.org/sbnn-error",
    );
  });

  it("flips role through setStandby() and through /emulator/standby", async () => {
    t.emu.setStandby(false);
    assert.equal((await call(t.emu, "GET", "/", "op=GETFILESTATUS")).status, 200);
    const res = await fetch(`${t.emu.url}/emulator/standby?on=true`, { method: "POST" });
    assert.deepEqual(await res.json(), { standby: true });
    assert.equal((await call(t.emu, "GET", "/", "op=GETFILESTATUS")).status, 403);
  });
});

describe("injected faults", () => {
  const t = useEmulator();

  it("503 comes as Jetty's HTML page, not as a RemoteException", async () => {
    t.emu.setFaults({ errorRate: 1, errorKinds: ["503"] });
    const r = await call(t.emu, "GET", "/", "op=GETFILESTATUS");
    assert.equal(r.status, 503);
    assert.match(r.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(r.text, /HTTP ERROR 503/);
  });

  it("reset destroys the connection", async () => {
    t.emu.setFaults({ errorRate: 1, errorKinds: ["reset"] });
    await assert.rejects(fetch(`${t.emu.url}/webhdfs/v1/?op=GETFILESTATUS`));
  });

  it("standby and retriable answer 403 with their exceptions", async () => {
    t.emu.setFaults({ errorRate: 1, errorKinds: ["standby"] });
    assert.equal(remoteException(await call(t.emu, "GET", "/", "op=GETFILESTATUS")).message, STANDBY_READ);
    t.emu.setFaults({ errorKinds: ["retriable"] });
    const r = await call(t.emu, "GET", "/", "op=GETFILESTATUS");
    assert.equal(r.status, 403);
    assert.deepEqual(remoteException(r), {
      exception: "RetriableException",
      javaClassName: "org.apache.hadoop.ipc.RetriableException",
      message: "Namenode is in startup mode",
    });
  });

  it("timeout holds the request unanswered", async () => {
    t.emu.setFaults({ errorRate: 1, errorKinds: ["timeout"] });
    await assert.rejects(
      fetch(`${t.emu.url}/webhdfs/v1/?op=GETFILESTATUS`, { signal: AbortSignal.timeout(200) }),
      { name: "TimeoutError" },
    );
  });

  it("latency delays each request", async () => {
    t.emu.setFaults({ errorRate: 0, latencyMs: 80 });
    const start = performance.now();
    assert.equal((await call(t.emu, "GET", "/", "op=GETFILESTATUS")).status, 200);
    assert.ok(performance.now() - start >= 75);
    t.emu.setFaults({ latencyMs: 0 });
  });

  it(`an error rate between 0 and 1 fails some requests and not others (seed ${SEED})`, async () => {
    t.emu.setFaults({ errorRate: 0.5, errorKinds: ["retriable"], faultSeed: SEED });
    const statuses = new Set<number>();
    for (let i = 0; i < 60; i++) statuses.add((await call(t.emu, "GET", "/", "op=GETFILESTATUS")).status);
    assert.deepEqual([...statuses].sort(), [200, 403]);
    t.emu.setFaults({ errorRate: 0 });
  });

  it(`a fault seed replays the same faults (seed ${SEED})`, async () => {
    const draw = async () => {
      t.emu.setFaults({ errorRate: 0.5, errorKinds: ["retriable", "503"], faultSeed: SEED });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await call(t.emu, "GET", "/", "op=GETFILESTATUS")).status);
      return out;
    };
    const first = await draw();
    assert.deepEqual(await draw(), first);
    assert.ok(new Set(first).size > 1, "some requests failed and some did not");
    t.emu.setFaults({ errorRate: 0 });
  });

  it("/emulator/faults sets faults from another process", async () => {
    const res = await fetch(`${t.emu.url}/emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ errorRate: 1, errorKinds: ["503"] }),
    });
    assert.equal(((await res.json()) as { errorRate: number }).errorRate, 1);
    assert.equal((await call(t.emu, "GET", "/", "op=GETFILESTATUS")).status, 503);
    t.emu.setFaults({ errorRate: 0 });
  });
});

describe("request counters", () => {
  const t = useEmulator();

  it("count requests per op, readable and resettable over HTTP and in-process", async () => {
    t.emu.resetCounts();
    await call(t.emu, "PUT", "/c", "op=MKDIRS&user.name=hdfs");
    await call(t.emu, "GET", "/c", "op=getaclstatus");
    await call(t.emu, "GET", "/c", "op=GETACLSTATUS");
    await call(t.emu, "GET", "/nope", "op=GETFILESTATUS");
    assert.deepEqual(t.emu.counts(), { MKDIRS: 1, GETACLSTATUS: 2, GETFILESTATUS: 1 });
    const res = await fetch(`${t.emu.url}/emulator/counts`);
    assert.deepEqual(await res.json(), { MKDIRS: 1, GETACLSTATUS: 2, GETFILESTATUS: 1 });
    await fetch(`${t.emu.url}/emulator/reset`, { method: "POST" });
    assert.deepEqual(t.emu.counts(), {});
  });
});
