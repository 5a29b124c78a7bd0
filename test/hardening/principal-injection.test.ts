// Group names written to inject ACL entries (`x:rwx,user:mallory:rwx,group:y`), stored in a Sentry
// store on PostgreSQL and applied over WebHDFS (the emulator), with and without default ACLs.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { formatEntry } from "../../src/acl/spec.ts";
import type { EmulatorNamespace } from "../../src/emulator/namespace.ts";
import { startEmulator } from "../../src/emulator/server.ts";
import type { Diagnostic } from "../../src/errors.ts";
import { grantsyncAsync } from "../helpers/cli.ts";
import { createDb, loadMetastore, METASTORE_TREE, type TestDb } from "../helpers/metastore.ts";

const INJECTED = ["x:rwx,user:mallory:rwx,group:y", "w:rwx,other:"];

/** Every path under `dir` with its permission bits and ACL entries, for before/after comparison. */
function snapshot(fs: EmulatorNamespace, dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (path: string) => {
    const status = fs.getFileStatus(path);
    out.set(path, `${status.permission} ${fs.getAcl(path).map(formatEntry).join(",")}`);
    if (status.type === "DIRECTORY") for (const c of fs.listStatus(path)) visit(`${path}/${c.pathSuffix}`);
  };
  visit(dir);
  return out;
}

describe("principal names that inject entries (Sentry store on PostgreSQL → WebHDFS)", () => {
  let db: TestDb;
  let t: string;
  before(async () => {
    t = mkdtempSync(join(tmpdir(), "gs-inject-"));
    db = await createDb("postgres");
    await loadMetastore(db, t);
    await db.exec(
      `INSERT INTO "SENTRY_DB_PRIVILEGE" VALUES (6, 'DATABASE', 'server1', 'sales', '__NULL__', '__NULL__', '__NULL__', '*', 1700000000000, 'N')`,
    );
    await db.exec(`INSERT INTO "SENTRY_ROLE" VALUES (5, 'injected', 1700000000000)`);
    await db.exec(`INSERT INTO "SENTRY_ROLE_DB_PRIVILEGE_MAP" VALUES (5, 6, 'admin')`);
    for (const [i, name] of INJECTED.entries()) {
      await db.exec(`INSERT INTO "SENTRY_GROUP" VALUES (?, ?, 1700000000000)`, [10 + i, name]);
      await db.exec(`INSERT INTO "SENTRY_ROLE_GROUP_MAP" VALUES (5, ?, 'admin')`, [10 + i]);
    }
  });
  after(async () => {
    await db.drop();
    rmSync(t, { recursive: true, force: true });
  });

  for (const defaultAcls of [true, false]) {
    it(`writes no entry for them and changes no other:: (default_acls = ${defaultAcls})`, async () => {
      const emulator = await startEmulator({ port: 0 });
      try {
        for (const f of METASTORE_TREE) {
          emulator.fs.mkdirs(join(t, f, ".."));
          emulator.fs.create(join(t, f), { data: "x\n" });
        }
        const cfg = join(t, `inject-${defaultAcls}.ini`);
        writeFileSync(
          cfg,
          `[policy]\ntype = sentry-db\nurl = ${db.url}\nserver = server1\n[catalog]\ntype = hms\nurl = ${db.url}\n` +
            `[target]\ntype = webhdfs\nroots = ${t}\n[compile]\ndefault_acls = ${defaultAcls}\n` +
            `[state]\ndir = state-${defaultAcls}\n[webhdfs]\nnamenodes = ${emulator.url}\nuser = hdfs\n`,
        );
        const before = snapshot(emulator.fs, t);

        const validate = await grantsyncAsync(["validate", "-c", cfg, "--json"]);
        const warnings = (JSON.parse(validate.stdout) as { warnings: Diagnostic[] }).warnings;
        const invalid = warnings.filter((w) => w.code === "GS_PRINCIPAL_INVALID");
        assert.deepEqual(
          invalid.map((w) => w.file),
          ["SENTRY_ROLE_GROUP_MAP[ROLE_ID=5,GROUP_ID=11]", "SENTRY_ROLE_GROUP_MAP[ROLE_ID=5,GROUP_ID=10]"],
        );
        for (const name of INJECTED) assert.ok(invalid.some((w) => w.message.includes(JSON.stringify(name))));

        const apply = await grantsyncAsync(["apply", "-c", cfg, "--yes"]);
        assert.equal(apply.code, 0, apply.stdout + apply.stderr);
        assert.match(apply.stdout + apply.stderr, /GS_PRINCIPAL_INVALID/);

        const after = snapshot(emulator.fs, t);
        const changed = [...after].filter(([p, v]) => before.get(p) !== v);
        assert.ok(changed.length > 0, "the valid grants are still applied");
        for (const [path, value] of after) {
          assert.doesNotMatch(value, /mallory|group:[xwy]:/, path);
          // The group digit of the mode is the mask, which valid grants may widen; other's is not.
          assert.equal(
            value.split(" ")[0]!.at(-1),
            before.get(path)!.split(" ")[0]!.at(-1),
            `mode of ${path}`,
          );
          const others = (v: string) => v.split(/[ ,]/).filter((e) => /^(default:)?other:/.test(e));
          const [access, ...defaults] = others(value);
          assert.equal(access, others(before.get(path)!)[0], `other:: of ${path}`);
          // A new default ACL copies its base entries from the access ACL, and nothing else.
          for (const d of defaults) assert.equal(d, `default:${access}`, `default:other:: of ${path}`);
        }
      } finally {
        await emulator.close();
      }
    });
  }
});
