// Apply over a WebHDFS that misbehaves: 503s, standby answers, resets, retriable exceptions and
// hung requests. At 10 % the run completes and loses nothing; when every request fails the run
// stops with GS_WEBHDFS_UNAVAILABLE, and a run after the faults stop converges.

import assert from "node:assert/strict";
import { after, afterEach, before, describe, it } from "node:test";
import { formatEntry } from "../../src/acl/spec.ts";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import { isGsError } from "../../src/errors.ts";
import { type ApplyResult, applyChanges, computePlan } from "../../src/reconcile/run.ts";
import { SOAK, size } from "../helpers/hardening.ts";
import { type HdfsSessionFiles, hdfsSessionFiles } from "../helpers/webhdfs-session.ts";

const TABLES = size(5, 20);
const FILES = size(30, 100);
const FOREIGN = "user:carol:r-x";

const POLICY = `[groups]
staff = reader
users = writer
[roles]
reader = server=server1->db=sales->action=select
writer = server=server1->db=sales->table=t0->action=all
`;

describe("apply over a faulty WebHDFS", { timeout: SOAK ? 600_000 : 60_000 }, () => {
  let standby: Emulator;
  let active: Emulator;
  let files: HdfsSessionFiles;
  const paths: string[] = [];

  before(async () => {
    // The first NameNode listed is a standby: every request that starts there fails over.
    standby = await startEmulator({ port: 0, standby: true });
    active = await startEmulator({ port: 0 });
    const locations = [`[databases]`, `sales = /w/sales.db`, `[tables]`];
    active.fs.mkdirs("/w/sales.db");
    paths.push("/w/sales.db");
    for (let t = 0; t < TABLES; t++) {
      const table = `/w/sales.db/t${t}`;
      active.fs.mkdirs(table);
      paths.push(table);
      for (let f = 0; f < FILES; f++) {
        active.fs.create(`${table}/part-${f}`, { data: "" });
        paths.push(`${table}/part-${f}`);
      }
      locations.push(`sales.t${t} = ${table}`);
    }
    for (const p of paths) active.fs.modifyAclEntries(p, FOREIGN);
    files = hdfsSessionFiles({
      namenodes: [standby.url, active.url],
      policy: POLICY,
      locations: `${locations.join("\n")}\n`,
      webhdfs: "retries = 5\ntimeout = 300ms",
      extraConfig: "[safety]\nmax_removals_percent = 100\n",
    });
  });
  afterEach(() => active.setFaults({ errorRate: 0 }));
  after(async () => {
    await Promise.all([standby.close(), active.close()]);
    files.cleanup();
  });

  async function apply(onWrite?: (n: number) => void): Promise<ApplyResult> {
    const session = await files.open();
    let writes = 0;
    if (onWrite) session.onWrite = () => onWrite(++writes);
    try {
      return await applyChanges(session, { force: true });
    } finally {
      await session.target.close();
    }
  }

  async function assertConverged(): Promise<void> {
    const session = await files.open();
    try {
      const plan = await computePlan(session);
      assert.deepEqual(plan.problems, []);
      assert.equal(plan.summary.changed, 0, JSON.stringify(plan.changes.slice(0, 3)));
      // The root above the database is observed too, for the traverse entries it might need.
      assert.equal(plan.summary.scanned, paths.length + 1);
    } finally {
      await session.target.close();
    }
    for (const p of paths) {
      const acl = active.fs.getAcl(p).map(formatEntry);
      assert.ok(acl.includes(FOREIGN), `${p} lost ${FOREIGN}: ${acl}`);
      assert.ok(
        acl.some((e) => e.startsWith("group:staff:")),
        `${p} lacks the staff grant: ${acl}`,
      );
    }
  }

  /** Revokes everything and checks that only the foreign entry is left. */
  async function resetGrants(): Promise<void> {
    files.writePolicy(
      "[groups]\nstaff = nothing\n[roles]\nnothing = server=server1->db=elsewhere->action=select\n",
    );
    const r = await apply();
    assert.equal(r.failed, 0);
    for (const p of paths) {
      const named = active.fs
        .getAcl(p)
        .map(formatEntry)
        .filter((e) => /^(default:)?(user|group):[^:]+:/.test(e));
      assert.deepEqual(named, [FOREIGN], p);
    }
    files.writePolicy(POLICY);
  }

  it("completes at a 10 % fault rate (503, standby, reset, retriable, timeout) and loses nothing", async () => {
    active.setFaults({ errorRate: 0.1, errorKinds: ["503", "standby", "reset", "retriable", "timeout"] });
    const r = await apply();
    assert.deepEqual(r.plan.problems, []);
    assert.equal(r.failed, 0);
    assert.equal(r.plan.summary.changed, paths.length);
    await assertConverged();
  });

  it("stops with GS_WEBHDFS_UNAVAILABLE when every request fails, and a later run converges", async () => {
    await resetGrants();
    active.setFaults({ errorRate: 1, errorKinds: ["503", "reset", "standby", "retriable"] });
    await assert.rejects(apply(), (e) => isGsError(e, "GS_WEBHDFS_UNAVAILABLE"));
    active.setFaults({ errorRate: 0 });
    const r = await apply();
    assert.equal(r.failed, 0);
    await assertConverged();
  });

  it("stops when the NameNodes go away in the middle of a run, and a later run converges", async () => {
    await resetGrants();
    const r = apply((n) => {
      if (n === 20) active.setFaults({ errorRate: 1, errorKinds: ["503", "reset"] });
    });
    await assert.rejects(r, (e) => isGsError(e, "GS_WEBHDFS_UNAVAILABLE"));
    active.setFaults({ errorRate: 0 });
    const again = await apply();
    assert.equal(again.failed, 0);
    await assertConverged();
  });
});
