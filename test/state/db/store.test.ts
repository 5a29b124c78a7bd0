import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseAclSpec } from "../../../src/acl/spec.ts";
import { isGsError } from "../../../src/errors.ts";
import { SCHEMA_VERSION } from "../../../src/state/db/schema.ts";
import { DbStateStore } from "../../../src/state/db/store.ts";
import type { ManagedState } from "../../../src/state/model.ts";
import type { WriterLease } from "../../../src/state/store.ts";
import { createDb, type Dialect, type TestDb } from "../../sources/fixtures.ts";
import { killLockSession } from "./kill.ts";

const OPTS = { checkIntervalMs: 200 };

function lease(got: WriterLease | { holder: string }): WriterLease {
  if (!("epoch" in got)) assert.fail(`expected the lease, ${got.holder} holds it`);
  return got;
}

const STATE: ManagedState = {
  version: 1,
  target: "posix",
  locations: {
    "/wh/sales.db": { objects: ["db:sales"], dir: ["group:analysts"], file: ["group:analysts"] },
    [`/wh/${"long/".repeat(300)}t`]: { objects: ["table:sales.t"], dir: ["user:éva"], file: [] },
  },
  traverse: { "/wh": ["group:analysts", "user:éva"] },
  pending: { runs: ["20261129T120000Z-abcdef"] },
};

for (const dialect of ["postgres", "mysql"] as Dialect[]) {
  describe(`database state store on ${dialect}`, () => {
    let db: TestDb;
    const open: DbStateStore[] = [];
    const store = async () => {
      const s = await DbStateStore.open({ url: db.url }, OPTS);
      open.push(s);
      return s;
    };
    before(async () => {
      db = await createDb(dialect);
    });
    after(async () => {
      for (const s of open) await s.close();
      await db.drop();
    });

    it("creates its schema from two hosts at once, and again without harm", async () => {
      await Promise.all([store(), store()]);
      await store();
      const probe = await store();
      assert.deepEqual(await probe.listRuns(), []);
    });

    it("refuses a schema newer than it knows", async () => {
      await store();
      await db.exec(`UPDATE gs_schema SET version = 99 WHERE id = 1`);
      await assert.rejects(store(), (e) => isGsError(e, "GS_STATE") && /version 99/.test(e.message));
      await db.exec(`UPDATE gs_schema SET version = ${SCHEMA_VERSION} WHERE id = 1`);
    });

    it("refuses every write without the writer lease", async () => {
      const s = await store();
      await assert.rejects(s.saveManaged(STATE), (e) => isGsError(e, "GS_LEADERSHIP_LOST"));
      await assert.rejects(s.openRun({ run: "r0", kind: "apply", target: "posix" }), (e) =>
        isGsError(e, "GS_LEADERSHIP_LOST"),
      );
    });

    it("keeps managed entries, adoptions and journals as a directory does", async () => {
      const s = await store();
      const l = lease(await s.tryAcquireWriter("apply"));
      await s.saveManaged(STATE);
      assert.deepEqual(await s.loadManaged("posix"), STATE);
      assert.deepEqual((await s.loadManaged("webhdfs:nn")).locations, {});
      await s.saveManaged({ version: 1, target: "posix", locations: {} });
      assert.deepEqual(await s.loadManaged("posix"), { version: 1, target: "posix", locations: {} });

      const run = "20261129T120001Z-000001";
      const adoptions = await s.loadAdoptions();
      const w = await s.openRun({ run, kind: "apply", target: "posix", time: "2026-11-29T12:00:01.000Z" });
      adoptions.record("/wh/a", new Map([["group:x", 5]]), []);
      // Intents staged in one turn of the event loop are one batch, committed before any resolves.
      await Promise.all([
        w.intend("/wh/a", "dir", parseAclSpec("user::rwx"), parseAclSpec("user::rwx,group:g:r-x")),
        w.intend("/wh/b", "file", parseAclSpec("user::rw-"), parseAclSpec("user::rw-,group:g:r--")),
      ]);
      w.outcome("/wh/a", true);
      w.outcome("/wh/b", false, { code: "GS_TARGET_IO", message: "EPERM" });
      adoptions.record("/wh/a", new Map(), ["group:x"]);
      await w.intend("/wh/c", "dir", parseAclSpec("user::rwx"), parseAclSpec("user::rwx,user:u:rwx"));
      const j = await s.readRun(run);
      assert.equal(j.end, undefined);
      assert.deepEqual(
        j.changes.map((c) => `${c.path} ${c.type} ${c.status}`),
        ["/wh/a dir done", "/wh/b file fail", "/wh/c dir pending"],
      );
      assert.deepEqual(
        (await s.listRuns()).find((r) => r.run === run),
        {
          run,
          kind: "apply",
          time: "2026-11-29T12:00:01.000Z",
          status: "interrupted",
          complete: false,
          changes: 3,
          failed: 1,
        },
      );
      w.outcome("/wh/c", true);
      await w.end({ changed: 2 });
      const ended = await s.readRun(run);
      assert.deepEqual(ended.end?.summary, { changed: 2 });
      assert.equal(ended.changes.at(-1)?.status, "done");
      assert.deepEqual((await s.loadAdoptions()).get("/wh/a"), new Map());
      adoptions.record("/wh/d", new Map([["user:u", 4]]), []);
      await adoptions.flush();
      await adoptions.compact();
      const reloaded = await s.loadAdoptions();
      assert.deepEqual(reloaded.entries(), [{ p: "/wh/d", k: "user:u", v: 4 }]);
      await assert.rejects(s.readRun("nope"), (e) => isGsError(e, "GS_RUN_UNKNOWN"));
      await l.release();
    });

    it("lists a run's trigger and status, and prunes the oldest ended runs but never a pending one or the newest", async () => {
      const s = await store();
      const l = lease(await s.tryAcquireWriter("apply"));
      const ids = ["20261129T130001Z-000001", "20261129T130002Z-000002", "20261129T130003Z-000003"];
      for (const run of ids) {
        const w = await s.openRun({ run, kind: "apply", target: "posix", trigger: "schedule" });
        await w.intend("/wh/a", "dir", parseAclSpec("user::rwx"), parseAclSpec("user::rwx,group:g:r-x"));
        w.outcome("/wh/a", true);
        await w.end({ entriesAdded: 1 });
      }
      const listed = (await s.listRuns()).filter((r) => ids.includes(r.run));
      assert.deepEqual(
        listed.map((r) => `${r.trigger} ${r.status} ${r.entriesAdded}`),
        ["schedule complete 1", "schedule complete 1", "schedule complete 1"],
      );
      const before = (await s.listRuns()).length;
      const removed = await s.pruneRuns(before - 2, new Set([ids[1]!]));
      assert.ok(
        !removed.includes(ids[1]!) && !removed.includes(ids[2]!),
        "kept the pending and the newest run",
      );
      assert.equal(removed.length, 2);
      await assert.rejects(s.readRun(removed[0]!), (e) => isGsError(e, "GS_RUN_UNKNOWN"));
      await l.release();
    });

    it("elects one writer; the next holder gets a newer epoch and the old one's writes are refused", async () => {
      const a = await store();
      const b = await store();
      const la = lease(await a.tryAcquireWriter("daemon"));
      const other = await b.tryAcquireWriter("daemon");
      assert.ok(
        "holder" in other && /grantsync@.*\(daemon\)/.test(other.holder),
        "b is refused, told who leads",
      );
      const lost = new Promise<string>((resolve) => la.onLost(resolve));
      await killLockSession(db, dialect);
      assert.match(await lost, /lock session/);
      assert.equal(la.lost, true);
      await assert.rejects(la.check(), (e) => isGsError(e, "GS_LEADERSHIP_LOST"));
      await assert.rejects(a.saveManaged(STATE), (e) => isGsError(e, "GS_LEADERSHIP_LOST"));
      const lb = lease(await b.tryAcquireWriter("daemon"));
      assert.ok(lb.epoch > la.epoch);
      await b.saveManaged(STATE);
      await lb.release();
    });

    it("fences a holder whose lock survived but whose epoch moved on", async () => {
      const a = await store();
      const la = lease(await a.tryAcquireWriter("apply"));
      await db.exec(`UPDATE gs_leader SET epoch = epoch + 1 WHERE id = 1`);
      await assert.rejects(
        a.saveManaged(STATE),
        (e) => isGsError(e, "GS_LEADERSHIP_LOST") && /epoch moved/.test(e.message),
      );
      await assert.rejects(
        la.check(),
        (e) => isGsError(e, "GS_LEADERSHIP_LOST") && /newer epoch/.test(e.message),
      );
      assert.equal(la.lost, true);
    });
  });
}
