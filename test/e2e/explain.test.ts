// `grantsync explain` and `validate` through the real CLI on a warehouse in a temp dir.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Explanation } from "../../src/compile/explain.ts";
import { grantsync, grantsyncJson, setfacl } from "../helpers/cli.ts";
import { makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

describe("grantsync explain", () => {
  let wh: Warehouse;
  before(() => {
    wh = makeWarehouse();
  });
  after(() => wh.cleanup());
  const explain = (rel: string) => {
    const r = grantsyncJson<Explanation & { type?: string }>([
      "explain",
      "-c",
      wh.config,
      rel.startsWith("/") ? rel : wh.p(rel),
    ]);
    assert.equal(r.code, 0, r.stderr);
    return r.json;
  };

  it("shows a table directory's object and the grants behind each entry", () => {
    const x = explain("sales.db/orders");
    assert.equal(x.type, "dir");
    assert.deepEqual(x.context?.objects, ["sales.orders"]);
    const users = x.entries.find((e) => e.principal === "group:users")!;
    assert.equal(users.dir, "group:users:rwx default:group:users:rwx");
    assert.equal(users.grants[0]!.role, "orders_all");
    assert.match(users.grants[0]!.source, /sentry-provider\.ini:7$/);
    const staff = x.entries.find((e) => e.principal === "group:staff")!;
    assert.equal(staff.grants[0]!.through, "database sales");
  });

  it("shows a file inside a table with file entries", () => {
    const x = explain("sales.db/orders/dt=2024-01-01/part-0.csv");
    assert.equal(x.type, "file");
    assert.deepEqual(
      x.entries.map((e) => e.file),
      ["group:staff:r--", "group:users:rw-"],
    );
  });

  it("maps a partition outside the table directory to its table", () => {
    const x = explain("archive/orders/dt=2023-12-31/part-0.csv");
    assert.deepEqual(x.context?.objects, ["sales.orders"]);
    assert.equal(x.context?.locations[0]?.kind, "partition");
  });

  it("gives a database directory only the database's grants", () => {
    const x = explain("sales.db");
    assert.deepEqual(x.context?.objects, ["sales"]);
    assert.deepEqual(
      x.entries.map((e) => e.principal),
      ["group:staff"],
    );
  });

  it("shows the ACL the path carries now beside the desired entries", () => {
    setfacl(["-m", "g:staff:r--", wh.p("sales.db/customers/part-0.csv")]);
    const x = explain("sales.db/customers/part-0.csv") as Explanation & { acl?: string[] };
    assert.deepEqual(x.acl, ["user::rw-", "group::r--", "group:staff:r--", "mask::r--", "other::---"]);
    const human = grantsync(["explain", "-c", wh.config, wh.p("sales.db/customers/part-0.csv")]);
    assert.match(human.stdout, /ACL on the path now:\n {4}user::rw-\n {4}group::r--\n {4}group:staff:r--/);
  });

  it("says a path outside every root is not managed", () => {
    const x = explain("/etc/passwd");
    assert.equal(x.managed, false);
    assert.match(x.reason!, /outside every configured root/);
    const human = grantsync(["explain", "-c", wh.config, "/etc/passwd"]);
    assert.match(human.stdout, /not managed: outside every configured root/);
  });
});

describe("grantsync validate", () => {
  it("accepts the example files in config/ once their root and state dir exist", () => {
    const dir = mkdtempSync(join(tmpdir(), "gs-example-"));
    try {
      mkdirSync(join(dir, "warehouse"));
      for (const f of ["grantsync.ini", "sentry-provider.ini", "locations.ini"]) {
        const text = readFileSync(join("config", f), "utf8")
          .replaceAll("/srv/warehouse", join(dir, "warehouse"))
          .replaceAll("/var/lib/grantsync", join(dir, "state"));
        writeFileSync(join(dir, f), text);
      }
      const r = grantsync(["validate", "--config", join(dir, "grantsync.ini")]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /valid: 5 grants/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses the example config as shipped where its root /srv/warehouse does not exist", {
    skip: existsSync("/srv/warehouse"),
  }, () => {
    const r = grantsync(["validate", "--config", "config/grantsync.ini"]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /GS_CONFIG_ENVIRONMENT \[target\] roots: \/srv\/warehouse does not exist/);
    assert.match(r.stdout, /^1 error; nothing would be changed$/m);
  });

  it("lists every error with FILE:LINE and exits 1", () => {
    const wh = makeWarehouse({
      policy:
        "[groups]\nstaff = r\n[roles]\nr = server=server1->db=sales->action=select, \\\n    server=*->db=x\nq = db=sales->table=t->select\n",
    });
    try {
      const r = grantsync(["validate", "--config", wh.config]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, new RegExp(`${wh.policy}:5: GS_POLICY_SERVER_WILDCARD`));
      assert.match(r.stdout, new RegExp(`${wh.policy}:6: GS_POLICY_`));
      const plan = grantsync(["plan", "--config", wh.config]);
      assert.equal(plan.code, 1);
      assert.match(plan.stderr, /GS_POLICY_ERRORS/);
    } finally {
      wh.cleanup();
    }
  });

  it("checks a policy file on its own", () => {
    const r = grantsyncJson<{ valid: boolean; grants: number }>([
      "validate",
      "--policy",
      "config/sentry-provider.ini",
      "--server",
      "server1",
    ]);
    assert.equal(r.code, 0);
    assert.equal(r.json.valid, true);
  });
});
