import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SentryDbPolicySource } from "../../src/config/types.ts";
import type { Grant } from "../../src/policy/model.ts";
import { loadSentryDbPolicy, sentryDbFingerprint } from "../../src/policy/sentry-db/source.ts";
import { createDb, sentryDdl, type TestDb } from "./fixtures.ts";

const N = "__NULL__";
// id, scope, server, db, table, column, uri, action
const PRIVILEGES: [number, string, string, string, string, string, string, string][] = [
  [1, "DATABASE", "server1", "Sales", N, N, N, "SELECT"],
  [2, "TABLE", "server1", "sales", "orders", N, N, "*"],
  [3, "URI", "server1", N, N, N, "hdfs://nn:8020/Data/Raw", "all"],
  [4, "SERVER", "Server1", N, N, N, N, "*"],
  [5, "TABLE", "server1", "sales", "clicks", N, N, "owner"],
  [6, "DATABASE", "server2", "other", N, N, N, "select"],
  [7, "COLUMN", "server1", "sales", "orders", "Amount", N, "select"],
  [8, "TABLE", "server1", "sales", "t", N, N, "refresh"],
];

async function loadSentry(db: TestDb): Promise<void> {
  for (const sql of sentryDdl(db.dialect)) await db.exec(sql);
  for (const p of PRIVILEGES) {
    await db.exec(`INSERT INTO "SENTRY_DB_PRIVILEGE" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'N')`, [
      ...p,
      1700000000000 + p[0],
    ]);
  }
  const rows: [string, unknown[][]][] = [
    [
      "SENTRY_ROLE",
      [
        [1, "analyst"],
        [2, "etl"],
        [3, "owner_role"],
        [4, "orphan"],
      ],
    ],
    [
      "SENTRY_GROUP",
      [
        [1, "Analysts"],
        [2, "etl_grp"],
      ],
    ],
    [
      "SENTRY_USER",
      [
        [1, "alice"],
        [2, "bob"],
      ],
    ],
  ];
  for (const [t, list] of rows) {
    for (const r of list) await db.exec(`INSERT INTO "${t}" VALUES (?, ?, 1700000000000)`, r);
  }
  const maps: [string, number[][]][] = [
    [
      "SENTRY_ROLE_GROUP_MAP",
      [
        [1, 1],
        [2, 2],
      ],
    ],
    ["SENTRY_ROLE_USER_MAP", [[3, 1]]],
    [
      "SENTRY_ROLE_DB_PRIVILEGE_MAP",
      [
        [1, 1],
        [1, 7],
        [2, 2],
        [2, 3],
        [2, 4],
        [3, 5],
        [1, 6],
        [2, 8],
        [4, 1],
      ],
    ],
    ["SENTRY_USER_DB_PRIVILEGE_MAP", [[2, 5]]],
  ];
  for (const [t, list] of maps) {
    for (const r of list) await db.exec(`INSERT INTO "${t}" VALUES (?, ?, 'admin')`, r);
  }
}

const line = (g: Grant) =>
  `${g.principal.kind}:${g.principal.name} role=${g.role} ${g.privilege.text} [${g.privilege.source.row}] via ${g.via.file}[${g.via.row}]`;

for (const dialect of ["postgres", "mysql"] as const) {
  describe(`loadSentryDbPolicy on ${dialect}, Sentry 2.2 schema`, () => {
    let db: TestDb;
    let cfg: SentryDbPolicySource;
    before(async () => {
      db = await createDb(dialect);
      await loadSentry(db);
      cfg = { type: "sentry-db", url: db.url, server: "server1" };
    });
    after(async () => {
      await db.drop();
    });

    it("expands role privileges to the groups and users holding the role, naming rows", async () => {
      const r = await loadSentryDbPolicy(cfg);
      assert.deepEqual(r.errors, []);
      assert.deepEqual(r.policy?.grants.map(line), [
        "group:Analysts role=analyst server=server1->db=sales->action=select [DB_PRIVILEGE_ID=1] via SENTRY_ROLE_GROUP_MAP[ROLE_ID=1,GROUP_ID=1]",
        "group:etl_grp role=etl server=server1->db=sales->table=orders->action=all [DB_PRIVILEGE_ID=2] via SENTRY_ROLE_GROUP_MAP[ROLE_ID=2,GROUP_ID=2]",
        "group:etl_grp role=etl server=server1->uri=hdfs://nn:8020/Data/Raw->action=all [DB_PRIVILEGE_ID=3] via SENTRY_ROLE_GROUP_MAP[ROLE_ID=2,GROUP_ID=2]",
        "group:etl_grp role=etl server=server1->action=all [DB_PRIVILEGE_ID=4] via SENTRY_ROLE_GROUP_MAP[ROLE_ID=2,GROUP_ID=2]",
        "user:alice role=owner_role server=server1->db=sales->table=clicks->action=owner [DB_PRIVILEGE_ID=5] via SENTRY_ROLE_USER_MAP[ROLE_ID=3,USER_ID=1]",
        "group:Analysts role=analyst server=server1->db=sales->table=orders->column=amount->action=select [DB_PRIVILEGE_ID=7] via SENTRY_ROLE_GROUP_MAP[ROLE_ID=1,GROUP_ID=1]",
        "user:bob role= server=server1->db=sales->table=clicks->action=owner [DB_PRIVILEGE_ID=5] via SENTRY_USER_DB_PRIVILEGE_MAP[USER_ID=2,DB_PRIVILEGE_ID=5]",
      ]);
    });

    it("turns __NULL__ into absent fields and keeps the URI's case", async () => {
      const r = await loadSentryDbPolicy(cfg);
      const uri = r.policy?.grants.find((g) => g.privilege.uri)?.privilege;
      assert.deepEqual(uri, {
        server: "server1",
        uri: "hdfs://nn:8020/Data/Raw",
        action: "all",
        text: "server=server1->uri=hdfs://nn:8020/Data/Raw->action=all",
        source: { file: "SENTRY_DB_PRIVILEGE", row: "DB_PRIVILEGE_ID=3" },
      });
    });

    it("warns about other servers' privileges and unknown actions, and ignores them", async () => {
      const r = await loadSentryDbPolicy(cfg);
      assert.deepEqual(
        r.warnings.map((w) => `${w.severity} ${w.file}`),
        ["warning SENTRY_DB_PRIVILEGE[DB_PRIVILEGE_ID=6]", "warning SENTRY_DB_PRIVILEGE[DB_PRIVILEGE_ID=8]"],
      );
      assert.match(r.warnings[0]?.message ?? "", /server2/);
      assert.match(r.warnings[1]?.message ?? "", /refresh/);
    });

    it("has a fingerprint that stays put until a grant or mapping changes", async () => {
      const f1 = await sentryDbFingerprint(cfg);
      assert.equal(await sentryDbFingerprint(cfg), f1);
      await db.exec(`INSERT INTO "SENTRY_ROLE_GROUP_MAP" VALUES (1, 2, 'admin')`);
      const f2 = await sentryDbFingerprint(cfg);
      assert.notEqual(f2, f1);
      // Same row count and ids, but etl's URI privilege moves to analyst.
      await db.exec(
        `DELETE FROM "SENTRY_ROLE_DB_PRIVILEGE_MAP" WHERE "ROLE_ID" = 2 AND "DB_PRIVILEGE_ID" = 3`,
      );
      await db.exec(
        `DELETE FROM "SENTRY_ROLE_DB_PRIVILEGE_MAP" WHERE "ROLE_ID" = 1 AND "DB_PRIVILEGE_ID" = 7`,
      );
      await db.exec(`INSERT INTO "SENTRY_ROLE_DB_PRIVILEGE_MAP" VALUES (1, 3, 'admin')`);
      await db.exec(`INSERT INTO "SENTRY_ROLE_DB_PRIVILEGE_MAP" VALUES (2, 7, 'admin')`);
      assert.notEqual(await sentryDbFingerprint(cfg), f2);
    });

    it("reports an unreachable store as GS_DB_CONNECT without the password", async () => {
      const bad = { ...cfg, url: db.url.replace(/:\d+\//, ":1/"), password: "sentry-S3cret" };
      const r = await loadSentryDbPolicy(bad);
      assert.equal(r.policy, undefined);
      assert.equal(r.errors[0]?.code, "GS_DB_CONNECT");
      assert.ok(!JSON.stringify(r).includes("sentry-S3cret"));
      await assert.rejects(sentryDbFingerprint(bad), /GS_DB_CONNECT|connect/);
    });
  });
}
