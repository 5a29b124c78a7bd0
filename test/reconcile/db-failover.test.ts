// Failover on a database state: the leader loses its database session midway through a large
// apply and stops writing; the next leader converges without losing anyone else's entries, and
// undo of the interrupted run puts back exactly what that run changed.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { isGsError } from "../../src/errors.ts";
import { applyChanges, computePlan } from "../../src/reconcile/run.ts";
import { undoRun } from "../../src/reconcile/undo.ts";
import type { WriterLease } from "../../src/state/store.ts";
import { setfacl } from "../helpers/cli.ts";
import { withWrites } from "../helpers/failing-target.ts";
import {
  fillTables,
  getfaclTree,
  makeScratch,
  openSessionFor,
  parseGetfaclTree,
  size,
} from "../helpers/hardening.ts";
import { createDb, type Dialect } from "../sources/fixtures.ts";
import { killLockSession } from "../state/db/kill.ts";

const POLICY = `[groups]
staff = reader
users = writer
[roles]
reader = server=server1->db=sales->action=select
writer = server=server1->db=sales->table=t0->action=all
`;
// The issue asks for 20k paths: `npm run soak` runs that; CI runs 1501 (more than one journal batch)
// to keep a 2-core machine's suite short.
const TABLES = size(30, 400);
const FILES = 49;

function lease(got: WriterLease | { holder: string }): WriterLease {
  if (!("epoch" in got)) assert.fail(`expected the lease, ${got.holder} holds it`);
  return got;
}

for (const dialect of ["postgres", "mysql"] as Dialect[]) {
  describe(`failover during an apply, state on ${dialect}`, () => {
    const cleanups: (() => Promise<void> | void)[] = [];
    after(async () => {
      for (const c of cleanups.reverse()) await c();
    });

    it("the leader stops writing, the next converges keeping foreign entries, and undo is exact", async () => {
      const db = await createDb(dialect);
      cleanups.push(() => db.drop());
      const s = makeScratch({
        policy: POLICY,
        locations: "[databases]\nsales = @ROOT@/sales.db\n",
        extraConfig: `url = ${db.url}\n[daemon]\nha_check_interval = 200ms\n[safety]\nmax_removals_percent = 100\n`,
        dirs: ["sales.db"],
      });
      cleanups.push(() => s.cleanup());
      fillTables(s.root, "sales.db", TABLES, FILES);
      // Someone else's entries: one we never grant, and one equal to a grant (which we adopt).
      setfacl(["-R", "-m", "u:daemon:r-x", s.p("sales.db/t1")]);
      setfacl(["-m", "g:staff:r-x", s.p("sales.db/t2")]);
      const before = parseGetfaclTree(getfaclTree(s.root));
      const foreign = () =>
        [...parseGetfaclTree(getfaclTree(s.root))].flatMap(([p, acl]) =>
          acl.filter((e) => e.startsWith("user:daemon:")).map((e) => `${p} ${e}`),
        );
      const foreignBefore = foreign();

      const a = await openSessionFor(s.config);
      cleanups.push(() => a.store.close());
      const leaseA = lease(await a.store.tryAcquireWriter("apply"));
      const lost = new Promise<void>((resolve) => leaseA.onLost(() => resolve()));
      let lostNow = false;
      void lost.then(() => {
        lostNow = true;
      });
      let started = 0;
      let startedAfterLoss = 0;
      const written: string[] = [];
      // The first write waits until the leader's session is killed and the loss is seen; the rest
      // of its batch goes on concurrently, as it would in production.
      const target = withWrites(a.target, async (node, write) => {
        started++;
        if (lostNow) startedAfterLoss++;
        if (started === 1) {
          await killLockSession(db, dialect);
          await lost;
        }
        await write();
        written.push(node.path);
      });
      await assert.rejects(applyChanges({ ...a, target, lease: leaseA }), (e) =>
        isGsError(e, "GS_LEADERSHIP_LOST"),
      );
      // Only paths whose batch was committed before the loss were written, and once the loss was
      // known no path was started: the per-batch check and the per-path flag both held.
      assert.equal(startedAfterLoss, 0);
      const [interrupted] = await a.store.listRuns();
      assert.equal(interrupted?.complete, false);

      const b = await openSessionFor(s.config);
      cleanups.push(() => b.store.close());
      await applyChanges(b);
      assert.equal((await computePlan(b)).summary.changed, 0, "converged");
      assert.deepEqual(foreign(), foreignBefore, "no foreign entry lost");
      const converged = parseGetfaclTree(getfaclTree(s.root));

      const undone = await undoRun(b.target, b.targetId, b.store, interrupted!.run, b.config.target.roots);
      assert.equal(undone.failed, 0);
      const journal = await b.store.readRun(interrupted!.run);
      const touched = new Set(journal.changes.filter((c) => c.status !== "fail").map((c) => c.path));
      assert.deepEqual(
        written.filter((p) => !touched.has(p)),
        [],
        "every written path is in the interrupted run's journal",
      );
      assert.equal(journal.end, undefined);
      const now = parseGetfaclTree(getfaclTree(s.root));
      for (const [p, acl] of now) {
        assert.deepEqual(acl, touched.has(p) ? before.get(p) : converged.get(p), p);
      }
      await b.target.close();
      await a.target.close();
    });
  });
}
