import assert from "node:assert/strict";
import { createServer } from "node:net";
import { afterEach, describe, it } from "node:test";
import { parseAclSpec } from "../../../src/acl/spec.ts";
import type { Emulator } from "../../../src/emulator/server.ts";
import { isGsError } from "../../../src/errors.ts";
import { SEED } from "../../helpers/seed.ts";
import { newClient, requests, resetCounts, useEmulators } from "./helpers.ts";

const spec = (s: string) => parseAclSpec(s);

/** A port nothing listens on: bound once, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("NameNode HA and retries", () => {
  const emus = useEmulators(2);
  const nn1 = (): Emulator => emus[0]!;
  const nn2 = (): Emulator => emus[1]!;
  afterEach(() => {
    for (const e of emus) {
      e.setStandby(false);
      e.setFaults({ errorRate: 0 });
      e.resetCounts();
    }
  });

  it("fails over from a standby to the active NameNode and stays there", async () => {
    nn1().setStandby(true);
    nn2().fs.mkdirs("/ha");
    const client = newClient(emus);
    try {
      assert.equal((await client.getFileStatus("/ha")).type, "DIRECTORY");
      assert.equal(client.activeNamenode, nn2().url);
      for (let i = 0; i < 5; i++) await client.getFileStatus("/ha");
      assert.deepEqual(nn1().counts(), { GETFILESTATUS: 1 });
      assert.deepEqual(nn2().counts(), { GETFILESTATUS: 6 });
    } finally {
      await client.close();
    }
  });

  it("fails over when the first NameNode refuses connections", async () => {
    const client = newClient([{ url: `http://127.0.0.1:${await deadPort()}` } as Emulator, nn2()]);
    try {
      nn2().fs.mkdirs("/refused");
      assert.equal((await client.getFileStatus("/refused")).type, "DIRECTORY");
      assert.equal(client.activeNamenode, nn2().url);
    } finally {
      await client.close();
    }
  });

  it("keeps converging when the roles switch in the middle of a run", async () => {
    // The two emulators keep separate namespaces, so each holds the writes made while it was active;
    // a second pass that reads before writing must bring the one active at the end up to date.
    const files = Array.from({ length: 20 }, (_, i) => `/switch/f${i}`);
    for (const e of emus) for (const f of files) e.fs.create(f, { data: "" });
    nn2().setStandby(true);
    const client = newClient(emus);
    try {
      for (const [i, f] of files.entries()) {
        if (i === 10) {
          nn1().setStandby(true);
          nn2().setStandby(false);
        }
        await client.modifyAclEntries(f, spec("group:eng:r-x"));
      }
      assert.equal(client.activeNamenode, nn2().url);
      let writes = 0;
      for (const f of files) {
        if ((await client.getAclStatus(f)).entries.includes("group:eng:r-x")) continue;
        await client.modifyAclEntries(f, spec("group:eng:r-x"));
        writes++;
      }
      assert.equal(writes, 10);
      for (const f of files) assert.ok(nn2().fs.getAclStatus(f).entries.includes("group:eng:r-x"), f);
    } finally {
      await client.close();
    }
  });

  it(`completes every operation with 10 % injected 503s, resets and RetriableExceptions (seed ${SEED})`, async () => {
    const files = Array.from({ length: 60 }, (_, i) => `/flaky/f${i}`);
    for (const f of files) nn1().fs.create(f, { data: "" });
    nn1().setFaults({ errorRate: 0.1, errorKinds: ["503", "reset", "retriable"], faultSeed: SEED });
    const client = newClient([nn1()]);
    try {
      await Promise.all(files.map((f) => client.modifyAclEntries(f, spec("user:alice:r--"))));
      const statuses = await Promise.all(files.map((f) => client.getAclStatus(f)));
      for (const s of statuses) assert.deepEqual(s.entries, ["user:alice:r--", "group::r--"]);
      assert.ok((requests(emus).MODIFYACLENTRIES ?? 0) >= files.length);
    } finally {
      await client.close();
    }
  });

  it("retries a NameNode that times out, then moves to the next one", async () => {
    nn1().setFaults({ errorRate: 1, errorKinds: ["timeout"] });
    nn2().fs.mkdirs("/slow");
    const client = newClient(emus, { timeoutMs: 150, retry: { maxAttempts: 2, baseMs: 1, capMs: 5 } });
    try {
      assert.equal((await client.getFileStatus("/slow")).type, "DIRECTORY");
      assert.deepEqual(nn1().counts(), { GETFILESTATUS: 2 });
    } finally {
      await client.close();
    }
  });

  it("gives up with GS_WEBHDFS_UNAVAILABLE naming every NameNode's failure", async () => {
    nn1().setFaults({ errorRate: 1, errorKinds: ["503"] });
    nn2().setStandby(true);
    const client = newClient(emus, { retry: { maxAttempts: 3, baseMs: 1, capMs: 5 } });
    try {
      const err = await client.getFileStatus("/").catch((e: unknown) => e);
      assert.ok(isGsError(err, "GS_WEBHDFS_UNAVAILABLE"), String(err));
      assert.match(err.message, new RegExp(`${nn1().url}: HTTP 503`));
      assert.match(err.message, new RegExp(`${nn2().url}: StandbyException: Operation category READ`));
      assert.doesNotMatch(err.message, /user\.name/);
      assert.deepEqual(requests(emus), { GETFILESTATUS: 6 });
    } finally {
      await client.close();
    }
  });

  it("does not retry final 4xx answers on any NameNode", async () => {
    const client = newClient(emus);
    try {
      resetCounts(emus);
      const err = await client.getAclStatus("/does/not/exist").catch((e: unknown) => e);
      assert.ok(isGsError(err, "GS_WEBHDFS_REMOTE"));
      assert.deepEqual(requests(emus), { GETACLSTATUS: 1 });
    } finally {
      await client.close();
    }
  });
});
