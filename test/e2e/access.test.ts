// `grantsync access` through the real CLI, for a real user created for the test, checked against
// what the kernel actually lets that user do.

import assert from "node:assert/strict";
import { chmodSync, symlinkSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { AccessReport } from "../../src/report/access.ts";
import type { AccessMatrix } from "../../src/report/matrix.ts";
import { grantsync, grantsyncJson, setfacl } from "../helpers/cli.ts";
import { makeTestUser, runAs, type TestUser } from "../helpers/users.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

describe("grantsync access", () => {
  let wh: Warehouse;
  let u: TestUser;
  const t1File = () => wh.p("sales.db/customers/part-0.csv");
  const t2File = () => wh.p("sales.db/orders/dt=2024-01-01/part-0.csv");
  const access = (path: string, ...extra: string[]) =>
    grantsyncJson<AccessReport>(["access", "-c", wh.config, path, "--user", u.user, ...extra]);

  before(() => {
    u = makeTestUser("acc");
    wh = makeWarehouse({
      policy: `[groups]\n${u.group} = t1_reader\n[roles]\nt1_reader = server=server1->db=sales->table=customers->action=select\n`,
    });
    // Directories others may search but not list, as warehouses usually are (mkdtemp makes 0700).
    for (const d of [wh.dir, wh.root, wh.p("sales.db")]) chmodSync(d, 0o711);
  });
  after(() => {
    wh.cleanup();
    u.cleanup();
  });

  it("says a grantee cannot read yet, and exits 2, before the grants are applied", () => {
    const r = access(t1File());
    assert.equal(r.code, 2, r.stderr);
    assert.deepEqual([r.json.read, r.json.expected], [false, { read: true, write: false }]);
    assert.equal(r.json.matches, false);
    assert.equal(r.json.decidedBy.class, "other");
  });

  it("reads a file of the granted table, through its group, as the kernel agrees", () => {
    assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
    const r = access(t1File());
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      [r.json.read, r.json.write, r.json.execute, r.json.traverse],
      [true, false, false, true],
    );
    assert.deepEqual(r.json.expected, { read: true, write: false });
    assert.deepEqual([r.json.decidedBy.class, r.json.decidedBy.entries], ["group", [`group:${u.group}:r--`]]);
    assert.equal(r.json.grants[0]?.role, "t1_reader");
    assert.match(r.json.grants[0]!.source, /sentry-provider\.ini:4$/);
    assert.ok(r.json.groups.includes(u.group));
    assert.equal(runAs(u, ["cat", t1File()]), 0);
    assert.notEqual(runAs(u, ["sh", "-c", `echo x >> '${t1File()}'`]), 0);
  });

  it("cannot read a file of a table the group has no grant on", () => {
    const r = access(t2File());
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.json.read, r.json.write], [false, false]);
    assert.deepEqual(r.json.expected, { read: false, write: false });
    assert.deepEqual(r.json.grants, []);
    assert.notEqual(runAs(u, ["cat", t2File()]), 0);
  });

  it("names the directory that stops traversal, and exits 2 when the grants say read", () => {
    chmodSync(wh.p("sales.db"), 0o700);
    try {
      const r = access(t1File());
      assert.equal(r.code, 2);
      assert.deepEqual([r.json.read, r.json.traverse, r.json.blockedAt], [false, false, wh.p("sales.db")]);
      assert.notEqual(runAs(u, ["cat", t1File()]), 0);
      const human = grantsync(["access", "-c", wh.config, t1File(), "--user", u.user]);
      assert.match(human.stdout, new RegExp(`traverse no \\(stopped at ${wh.p("sales.db")}\\)`));
      assert.match(human.stdout, /differs from the grants/);
    } finally {
      chmodSync(wh.p("sales.db"), 0o711);
    }
  });

  it("evaluates a group's members with --group, and root as the superuser", () => {
    const g = grantsyncJson<AccessReport>(["access", "-c", wh.config, t1File(), "--group", u.group]);
    assert.deepEqual([g.code, g.json.user, g.json.read], [0, null, true]);
    const root = grantsyncJson<AccessReport>(["access", "-c", wh.config, t2File(), "--user", "root"]);
    assert.deepEqual(
      [root.json.superuser, root.json.read, root.json.write, root.json.execute],
      [true, true, true, false],
    );
  });

  it("shows principals × objects, desired against actual, with drift marked", () => {
    const key = `group:${u.group}`;
    const m = grantsyncJson<AccessMatrix>(["access", "-c", wh.config, "--matrix"]);
    assert.equal(m.code, 0, m.stderr);
    assert.deepEqual(
      m.json.rows.map((r) => r.object),
      ["sales", "sales.customers", "sales.orders"],
    );
    const t1 = m.json.rows.find((r) => r.object === "sales.customers")!;
    assert.deepEqual(t1.cells[key], {
      desired: { read: true, write: false },
      actual: { read: true, write: false },
      drift: false,
    });
    setfacl(["-m", `g:${u.group}:-wx`, wh.p("sales.db/orders")]);
    const drift = grantsyncJson<AccessMatrix>([
      "access",
      "-c",
      wh.config,
      "--matrix",
      "--object",
      "sales.o*",
    ]);
    assert.deepEqual(
      drift.json.rows.map((r) => [r.object, r.drift]),
      [["sales.orders", 1]],
    );
    assert.deepEqual(drift.json.rows[0]!.cells[key]!.actual, { read: false, write: true });
    const text = grantsync(["access", "-c", wh.config, "--matrix", "--principal", u.group]);
    assert.match(text.stdout, /sales\.orders\s+!--→-w/);
  });

  it("pages the matrix and writes it as CSV", () => {
    const p2 = grantsyncJson<AccessMatrix>([
      "access",
      "-c",
      wh.config,
      "--matrix",
      "--page-size",
      "2",
      "--page",
      "2",
    ]);
    assert.deepEqual([p2.json.page, p2.json.pages, p2.json.objects], [2, 2, 3]);
    assert.deepEqual(
      p2.json.rows.map((r) => r.object),
      ["sales.orders"],
    );
    const csv = grantsync(["access", "-c", wh.config, "--matrix", "--csv", "--object", "sales.customers"]);
    const lines = csv.stdout.trim().split("\n");
    assert.equal(
      lines[0],
      "object,kind,path,principal,desired_read,desired_write,actual_read,actual_write,drift",
    );
    assert.ok(
      lines.includes(
        `sales.customers,table,${wh.p("sales.db/customers")},group:${u.group},true,false,true,false,false`,
      ),
    );
  });

  it("refuses to follow a symlink on the way, as the walk does", () => {
    symlinkSync(wh.p("sales.db/customers"), wh.p("link"));
    const r = grantsyncJson<{ error: { code: string } }>([
      "access",
      "-c",
      wh.config,
      wh.p("link/part-0.csv"),
      "--user",
      u.user,
    ]);
    assert.deepEqual([r.code, r.json.error.code], [1, "GS_PATH_UNSAFE"]);
  });

  it("fails with exit 1 for an unknown user", () => {
    const bad = grantsyncJson<{ error: { code: string } }>([
      "access",
      "-c",
      wh.config,
      t1File(),
      "--user",
      "no-such-user-gs19",
    ]);
    assert.deepEqual([bad.code, bad.json.error.code], [1, "GS_PRINCIPAL_UNKNOWN"]);
  });
});
