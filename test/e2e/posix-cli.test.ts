// The POSIX target end to end through the real CLI, checked with the real getfacl: grants applied,
// someone else's entry kept, revocation exact, plan idempotent, undo, circuit breaker, saved plans.

import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { getfacl, grantsync, grantsyncJson, setfacl } from "../helpers/cli.ts";
import { DEFAULT_POLICY, makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

const DIR_BASE = ["user::rwx", "group::r-x", "other::r-x"];

describe("grantsync on a POSIX tree", () => {
  let wh: Warehouse;
  let firstRun = "";
  before(() => {
    wh = makeWarehouse({ extraConfig: "[safety]\nmax_removals_percent = 90\n" });
    setfacl(["-m", "u:nobody:r--", wh.p("sales.db/customers/part-0.csv")]);
  });
  after(() => wh.cleanup());

  it("plans the grants without changing anything", () => {
    const r = grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stdout, /sales\.orders: 5 paths/);
    assert.match(r.stdout, /\+group:users:rwx/);
    assert.deepEqual(getfacl(wh.p("sales.db/orders")), DIR_BASE);
  });

  it("gives SELECT on the db read on every table and ALL on the table read+write, with default entries on directories", () => {
    const r = grantsyncJson<{ run: string; summary: { changed: number } }>([
      "apply",
      "-c",
      wh.config,
      "--yes",
    ]);
    assert.equal(r.code, 0, r.stderr);
    firstRun = r.json.run;
    assert.match(firstRun, /^\d{8}T\d{6}\.\d{3}Z-/);
    const orders = [
      "user::rwx",
      "group::r-x",
      "group:staff:r-x",
      "group:users:rwx",
      "mask::rwx",
      "other::r-x",
      "default:user::rwx",
      "default:group::r-x",
      "default:group:staff:r-x",
      "default:group:users:rwx",
      "default:mask::rwx",
      "default:other::r-x",
    ];
    assert.deepEqual(getfacl(wh.p("sales.db/orders")), orders);
    assert.deepEqual(getfacl(wh.p("sales.db/orders/dt=2024-01-01")), orders);
    assert.deepEqual(
      getfacl(wh.p("archive/orders/dt=2023-12-31")),
      orders,
      "partition outside the table directory",
    );
    const orderFile = [
      "user::rw-",
      "group::r--",
      "group:staff:r--",
      "group:users:rw-",
      "mask::rw-",
      "other::---",
    ];
    assert.deepEqual(getfacl(wh.p("archive/orders/dt=2023-12-31/part-0.csv")), orderFile);
    assert.deepEqual(getfacl(wh.p("sales.db/orders/dt=2024-01-01/part-0.csv")), orderFile);
    assert.deepEqual(getfacl(wh.p("sales.db/_tmp/notes.txt")), [
      "user::rw-",
      "group::r--",
      "group:staff:r--",
      "mask::r--",
      "other::---",
    ]);
    assert.deepEqual(getfacl(wh.p("archive")), DIR_BASE, "a directory outside every location is not touched");
  });

  it("keeps an entry someone else set with setfacl", () => {
    assert.deepEqual(getfacl(wh.p("sales.db/customers/part-0.csv")), [
      "user::rw-",
      "user:nobody:r--",
      "group::r--",
      "group:staff:r--",
      "mask::r--",
      "other::---",
    ]);
  });

  it("finds nothing left to do on a second plan", () => {
    const r = grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /No changes/);
  });

  it("removes exactly our entries when a grant is revoked, and nobody else's", () => {
    wh.writePolicy(DEFAULT_POLICY.replace("staff = sales_reader\n", ""));
    const plan = grantsync(["plan", "-c", wh.config]);
    assert.match(plan.stdout, /-group:staff:r-x/);
    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(getfacl(wh.p("sales.db/customers/part-0.csv")), [
      "user::rw-",
      "user:nobody:r--",
      "group::r--",
      "mask::r--",
      "other::---",
    ]);
    assert.deepEqual(getfacl(wh.p("sales.db/customers")), DIR_BASE);
    assert.deepEqual(getfacl(wh.p("sales.db/orders/dt=2024-01-01/part-0.csv")), [
      "user::rw-",
      "group::r--",
      "group:users:rw-",
      "mask::rw-",
      "other::---",
    ]);
    assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 0);
  });

  it("undo restores the ACLs a run changed", () => {
    const r = grantsync(["undo", "-c", wh.config, firstRun]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // The revocation run changed most paths since: those are left alone and reported.
    assert.match(r.stdout, /changed since/);
    const runs = grantsyncJson<{ run: string; kind: string }[]>(["runs", "-c", wh.config]);
    assert.equal(runs.json.filter((x) => x.kind === "apply").length, 2);
  });
});

describe("undo right after an apply", () => {
  it("puts every ACL back as it was", () => {
    const wh = makeWarehouse();
    try {
      const applied = grantsyncJson<{ run: string }>(["apply", "-c", wh.config, "--yes"]);
      assert.equal(applied.code, 0);
      assert.notDeepEqual(getfacl(wh.p("sales.db/orders")), DIR_BASE);
      const r = grantsync(["undo", "-c", wh.config, applied.json.run]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(getfacl(wh.p("sales.db/orders")), DIR_BASE);
      assert.deepEqual(getfacl(wh.p("sales.db/orders/dt=2024-01-01/part-0.csv")), [
        "user::rw-",
        "group::r--",
        "other::---",
      ]);
    } finally {
      wh.cleanup();
    }
  });
});

describe("the circuit breaker", () => {
  it("refuses a mass revocation without --force and changes nothing", () => {
    const wh = makeWarehouse({ extraConfig: "[safety]\nmin_removals = 1\n" });
    try {
      assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
      const before = getfacl(wh.p("sales.db/orders"));
      wh.writePolicy(
        "[groups]\nstaff = nothing\n[roles]\nnothing = server=server1->db=other->action=select\n",
      );
      const r = grantsync(["apply", "-c", wh.config, "--yes"]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /GS_CIRCUIT_BREAKER/);
      assert.deepEqual(getfacl(wh.p("sales.db/orders")), before);
      const forced = grantsync(["apply", "-c", wh.config, "--yes", "--force"]);
      assert.equal(forced.code, 0, forced.stderr);
      assert.deepEqual(getfacl(wh.p("sales.db/orders")), DIR_BASE);
    } finally {
      wh.cleanup();
    }
  });
});

describe("saved plans", () => {
  it("applies a saved plan exactly", () => {
    const wh = makeWarehouse();
    try {
      const out = `${wh.dir}/plan.json`;
      assert.equal(grantsync(["plan", "-c", wh.config, "--out", out]).code, 0);
      const r = grantsyncJson<{ summary: { changed: number } }>(["apply", "-c", wh.config, "--plan", out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.json.summary.changed, 10);
      assert.equal(grantsync(["plan", "-c", wh.config, "--detailed-exitcode"]).code, 0);
    } finally {
      wh.cleanup();
    }
  });

  it("refuses a stale saved plan and changes nothing", () => {
    const wh = makeWarehouse();
    try {
      const out = `${wh.dir}/plan.json`;
      assert.equal(grantsync(["plan", "-c", wh.config, "--out", out]).code, 0);
      setfacl(["-m", "u:nobody:r-x", wh.p("sales.db/orders")]);
      const r = grantsync(["apply", "-c", wh.config, "--plan", out]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /GS_PLAN_STALE/);
      assert.deepEqual(getfacl(wh.p("sales.db/customers")), DIR_BASE);
    } finally {
      wh.cleanup();
    }
  });
});

describe("principals unknown to the host", () => {
  const policy =
    "[groups]\nstaff = r\nno_such_group_gs = r\n[roles]\nr = server=server1->db=sales->action=select\n";

  it("are reported in the plan and their entries skipped", () => {
    const wh = makeWarehouse({ policy });
    try {
      const r = grantsyncJson<{ problems: { code: string; principals?: string[] }[] }>([
        "apply",
        "-c",
        wh.config,
        "--yes",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const p = r.json.problems.find((x) => x.code === "GS_PRINCIPAL_UNKNOWN");
      assert.deepEqual(p?.principals, ["group:no_such_group_gs"]);
      assert.ok(getfacl(wh.p("sales.db")).includes("group:staff:r-x"));
    } finally {
      wh.cleanup();
    }
  });

  it("stop the run when [target] unknown_principal = error", () => {
    const wh = makeWarehouse({ policy });
    try {
      const cfg = readFileSync(wh.config, "utf8").replace(
        "type = posix",
        "type = posix\nunknown_principal = error",
      );
      writeFileSync(wh.config, cfg);
      const r = grantsync(["plan", "-c", wh.config]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /GS_PRINCIPAL_UNKNOWN.*group:no_such_group_gs/);
    } finally {
      wh.cleanup();
    }
  });
});

describe("someone else's entry that already grants what we grant", () => {
  it("is left in place when the grant is revoked", () => {
    const wh = makeWarehouse();
    try {
      const file = wh.p("sales.db/customers/part-0.csv");
      setfacl(["-m", "g:staff:r--", file]);
      const before = getfacl(file);
      assert.equal(grantsync(["apply", "-c", wh.config, "--yes"]).code, 0);
      assert.deepEqual(getfacl(file), before, "nothing to write: the entry already grants r--");
      wh.writePolicy(DEFAULT_POLICY.replace("staff = sales_reader\n", ""));
      const r = grantsync(["apply", "-c", wh.config, "--yes", "--force"]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(getfacl(file), before, "their entry survives the revocation");
    } finally {
      wh.cleanup();
    }
  });
});
