import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isGsError } from "../../../src/errors.ts";
import { fetchRangerPolicies, type RangerRestOptions } from "../../../src/policy/ranger/rest.ts";
import { type RangerAdmin, startRangerAdmin } from "../../helpers/ranger-admin.ts";
import { rangerPolicy, rangerRole } from "./fixtures.ts";

const policy = (id: number, roles: string[] = []) =>
  rangerPolicy({
    id,
    name: `p${id}`,
    resources: { database: ["db"] },
    allow: [{ accesses: ["select"], groups: ["g"], roles }],
  });

describe("Ranger Admin's public v2 REST API", () => {
  let admin: RangerAdmin;
  let t: string;
  let opts: RangerRestOptions;
  before(async () => {
    admin = await startRangerAdmin("auditor", "pw");
    t = mkdtempSync(join(tmpdir(), "gs-ranger-rest-"));
    writeFileSync(join(t, "pw"), "pw\n");
    opts = {
      url: `${admin.url}/`,
      service: "cm_hive",
      username: "auditor",
      passwordFile: join(t, "pw"),
      pageSize: 2,
      timeoutMs: 5000,
    };
  });
  after(async () => {
    await admin.close();
    rmSync(t, { recursive: true, force: true });
  });

  it("pages through the service's policies until a short page, and reads roles only when policies name them", async () => {
    admin.serve([1, 2, 3, 4].map((id) => policy(id)));
    admin.requests.length = 0;
    const r = await fetchRangerPolicies(opts);
    assert.deepEqual(
      r.policies.map((p) => (p as { id: number }).id),
      [1, 2, 3, 4],
    );
    assert.equal(r.roles, undefined);
    assert.deepEqual(admin.requests, [
      "GET /service/public/v2/api/service/cm_hive/policy?startIndex=0&pageSize=2",
      "GET /service/public/v2/api/service/cm_hive/policy?startIndex=2&pageSize=2",
      "GET /service/public/v2/api/service/cm_hive/policy?startIndex=4&pageSize=2",
    ]);
    admin.serve([policy(1, ["readers"])], [rangerRole("readers", { users: ["ann"] })]);
    assert.equal((await fetchRangerPolicies(opts)).roles?.length, 1);
  });

  it("says GS_RANGER_AUTH for a wrong password and never echoes it", async () => {
    writeFileSync(join(t, "bad"), "hunter2\n");
    await assert.rejects(fetchRangerPolicies({ ...opts, passwordFile: join(t, "bad") }), (e: unknown) => {
      return (
        isGsError(e, "GS_RANGER_AUTH") &&
        !JSON.stringify(e).includes("hunter2") &&
        !e.message.includes("hunter2")
      );
    });
  });

  it("says GS_RANGER_UNAVAILABLE when nothing listens", async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    await assert.rejects(fetchRangerPolicies({ ...opts, url: `http://127.0.0.1:${port}` }), (e: unknown) =>
      isGsError(e, "GS_RANGER_UNAVAILABLE"),
    );
  });

  it("says GS_RANGER_RESPONSE for an unknown service path", async () => {
    await assert.rejects(fetchRangerPolicies({ ...opts, url: `${admin.url}/nothing-here` }), (e: unknown) =>
      isGsError(e, "GS_RANGER_RESPONSE"),
    );
  });
});
