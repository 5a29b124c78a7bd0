import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SentryDbPolicySource } from "../../src/config/types.ts";
import type { Grant } from "../../src/policy/model.ts";
import { loadSentryDbPolicy, sentryDbFingerprint } from "../../src/policy/sentry-db/source.ts";
import { createDb, type Dialect, type TestDb } from "./fixtures.ts";

/** The Sentry 2.2 store tables we read, as in sentry-{postgres,mysql}-2.2.0.sql. */
function sentryDdl(dialect: Dialect): string[] {
  const pg = dialect === "postgres";
  const vc = (n: number) =>
    pg ? `character varying(${n})` : `VARCHAR(${n}) CHARACTER SET utf8 COLLATE utf8_bin`;
  const tail = pg ? "" : " ENGINE=InnoDB DEFAULT CHARSET=utf8";
  const entity = (t: string, id: string, name: string) =>
    `CREATE TABLE "${t}" ("${id}" BIGINT NOT NULL PRIMARY KEY, "${name}" ${vc(128)} NOT NULL UNIQUE, "CREATE_TIME" BIGINT NOT NULL)${tail}`;
  const map = (t: string, a: string, b: string) =>
    `CREATE TABLE "${t}" ("${a}" BIGINT NOT NULL, "${b}" BIGINT NOT NULL, "GRANTOR_PRINCIPAL" ${vc(128)}, PRIMARY KEY ("${a}", "${b}"))${tail}`;
  return [
    `CREATE TABLE "SENTRY_DB_PRIVILEGE" ("DB_PRIVILEGE_ID" BIGINT NOT NULL PRIMARY KEY, "PRIVILEGE_SCOPE" ${vc(32)} NOT NULL,
      "SERVER_NAME" ${vc(128)} NOT NULL, "DB_NAME" ${vc(128)} DEFAULT '__NULL__', "TABLE_NAME" ${vc(128)} DEFAULT '__NULL__',
      "COLUMN_NAME" ${vc(128)} DEFAULT '__NULL__', "URI" ${vc(4000)} DEFAULT '__NULL__', "ACTION" ${vc(128)} NOT NULL,
      "CREATE_TIME" BIGINT NOT NULL, "WITH_GRANT_OPTION" CHAR(1) NOT NULL)${tail}`,
    entity("SENTRY_ROLE", "ROLE_ID", "ROLE_NAME"),
    entity("SENTRY_GROUP", "GROUP_ID", "GROUP_NAME"),
    entity("SENTRY_USER", "USER_ID", "USER_NAME"),
    map("SENTRY_ROLE_DB_PRIVILEGE_MAP", "ROLE_ID", "DB_PRIVILEGE_ID"),
    map("SENTRY_ROLE_GROUP_MAP", "ROLE_ID", "GROUP_ID"),
    map("SENTRY_ROLE_USER_MAP", "ROLE_ID", "USER_ID"),
    map("SENTRY_USER_DB_PRIVILEGE_MAP", "USER_ID", "DB_PRIVILEGE_ID"),
  ];
}

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
