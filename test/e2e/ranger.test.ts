// Ranger policies from an admin export and from the REST API (a local stand-in with Basic auth),
// applied to a real POSIX tree and checked as real users: a user deny keeps him out, his group stays in.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Explanation } from "../../src/compile/explain.ts";
import { getfacl, grantsync, grantsyncAsync, grantsyncJson } from "../helpers/cli.ts";
import { type RangerAdmin, startRangerAdmin } from "../helpers/ranger-admin.ts";
import { type PolicySpec, rangerExport, rangerPolicy } from "../policy/ranger/fixtures.ts";

// Debian's www-data (uid 33, primary group www-data) is the user; nobody with gid 33 stands for another member.
const WWW = 33;
const NOBODY = 65534;

const POLICIES: PolicySpec[] = [
  {
    id: 1,
    name: "sales readers",
    resources: { database: ["sales"], table: ["*"], column: ["*"] },
    allow: [{ accesses: ["select"], groups: ["www-data"] }],
  },
  {
    id: 2,
    name: "loaders",
    resources: { database: ["sales"], table: ["orders"] },
    allow: [{ accesses: ["update"], groups: ["staff"] }],
  },
  {
    id: 3,
    name: "not staging",
    resources: { database: ["sales"], table: { values: ["tmp_*"], isExcludes: true } },
    allow: [{ accesses: ["select"], groups: ["users"] }],
  },
  {
    id: 4,
    name: "some columns",
    resources: { database: ["sales"], table: ["customers"], column: ["id", "name"] },
    allow: [{ accesses: ["select"], groups: ["backup"] }],
  },
  {
    id: 5,
    name: "mask",
    policyType: 1,
    resources: { database: ["sales"], table: ["customers"], column: ["*"] },
    allow: [{ accesses: ["select"], groups: ["list"] }],
  },
  {
    id: 6,
    name: "off",
    isEnabled: false,
    resources: { database: ["sales"], table: ["*"] },
    allow: [{ accesses: ["all"], groups: ["irc"] }],
  },
  {
    id: 7,
    name: "no orders for bob",
    resources: { database: ["sales"], table: ["orders"] },
    deny: [{ accesses: ["select"], users: ["www-data"] }],
  },
  {
    id: 8,
    name: "elsewhere",
    service: "other_hive",
    resources: { database: ["*"], table: ["*"] },
    allow: [{ accesses: ["all"], groups: ["man"] }],
  },
];

function readsAs(uid: number, gid: number, file: string): boolean {
  const r = spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${gid}`, "--clear-groups", "cat", file], {
    encoding: "utf8",
  });
  return r.status === 0;
}

describe("Ranger policies end to end", () => {
  let t: string;
  let admin: RangerAdmin;
  const p = (rel: string) => join(t, "wh", rel);
  const config = (name: string, policy: string) => {
    const file = join(t, `${name}.ini`);
    writeFileSync(
      file,
      `[policy]\ntype = ranger\nservice = cm_hive\n${policy}\n[catalog]\ntype = file\nfile = locations.ini\n` +
        `[target]\ntype = posix\nroots = ${join(t, "wh")}\n[state]\ndir = state-${name}\n`,
    );
    return file;
  };

  before(async () => {
    t = mkdtempSync(join(tmpdir(), "gs-ranger-"));
    chmodSync(t, 0o755);
    for (const table of ["orders", "customers", "tmp_load"]) {
      mkdirSync(p(`sales.db/${table}`), { recursive: true });
      writeFileSync(p(`sales.db/${table}/part-0`), "x\n", { mode: 0o640 });
    }
    writeFileSync(
      join(t, "locations.ini"),
      `[databases]\nsales = ${p("sales.db")}\n[tables]\n` +
        ["orders", "customers", "tmp_load"].map((x) => `sales.${x} = ${p(`sales.db/${x}`)}`).join("\n"),
    );
    writeFileSync(join(t, "export.json"), rangerExport(POLICIES));
    writeFileSync(join(t, "ranger.password"), "s3cret\n");
    writeFileSync(join(t, "wrong.password"), "guess\n");
    admin = await startRangerAdmin("admin", "s3cret");
    admin.serve(POLICIES.map(rangerPolicy));
  });
  after(async () => {
    await admin.close();
    rmSync(t, { recursive: true, force: true });
  });

  it("applies an admin export: wildcards, update, excludes and a user deny; the rest gives nothing", () => {
    const cfg = config("export", "file = export.json");
    const r = grantsync(["apply", "-c", cfg, "--yes"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(getfacl(p("sales.db/orders/part-0")), [
      "user::rw-",
      "user:www-data:---",
      "group::r--",
      "group:www-data:r--",
      "group:staff:-w-",
      "group:users:r--",
      "mask::rw-",
      "other::---",
    ]);
    assert.ok(getfacl(p("sales.db/orders")).includes("group:staff:-wx"));
    assert.deepEqual(getfacl(p("sales.db/customers/part-0")), [
      "user::rw-",
      "group::r--",
      "group:www-data:r--",
      "group:users:r--",
      "mask::r--",
      "other::---",
    ]);
    assert.deepEqual(getfacl(p("sales.db/tmp_load/part-0")), [
      "user::rw-",
      "group::r--",
      "group:www-data:r--",
      "mask::r--",
      "other::---",
    ]);
    for (const name of ["some columns", "mask", "off", "elsewhere"])
      assert.match(r.stderr, new RegExp(`"${name}"`));
  });

  it("keeps the denied user out although his group may read", () => {
    assert.equal(readsAs(WWW, WWW, p("sales.db/orders/part-0")), false);
    assert.equal(readsAs(NOBODY, WWW, p("sales.db/orders/part-0")), true);
    assert.equal(readsAs(WWW, WWW, p("sales.db/customers/part-0")), true);
  });

  it("explain names the Ranger policy item behind an entry", () => {
    const x = grantsyncJson<Explanation>([
      "explain",
      "-c",
      join(t, "export.ini"),
      p("sales.db/orders/part-0"),
    ]);
    assert.equal(x.code, 0, x.stderr);
    const bob = x.json.entries.find((e) => e.principal === "user:www-data");
    assert.equal(bob?.file, "user:www-data:---");
    assert.equal(bob?.grants[0]?.source, 'ranger policy 7 "no orders for bob" denyPolicyItems[0]');
  });

  it("the same policies from the REST API, paged, give the same plan: nothing to change", async () => {
    const cfg = config(
      "rest",
      `url = ${admin.url}\nusername = admin\npassword_file = ranger.password\npage_size = 3`,
    );
    const r = await grantsyncAsync(["plan", "-c", cfg, "--detailed-exitcode"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(admin.requests.some((q) => q.includes("startIndex=6&pageSize=3")));
  });

  it("a wrong password exits 1 and changes nothing", async () => {
    const before = getfacl(p("sales.db/orders/part-0"));
    const cfg = config("badpw", `url = ${admin.url}\nusername = admin\npassword_file = wrong.password`);
    const r = await grantsyncAsync(["apply", "-c", cfg, "--yes"]);
    assert.equal(r.code, 1);
    assert.match(r.stderr + r.stdout, /GS_RANGER_AUTH/);
    assert.doesNotMatch(r.stderr + r.stdout, /guess/);
    assert.deepEqual(getfacl(p("sales.db/orders/part-0")), before);
  });
});
