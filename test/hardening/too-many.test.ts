// More principals on one path than HDFS allows (32 entries per scope, access and default counted
// apart as the NameNode counts them since HDFS-7582): the path is reported with every principal involved, nothing of it
// is written, and the rest of the run goes on.

import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { formatEntry } from "../../src/acl/spec.ts";
import { type Emulator, startEmulator } from "../../src/emulator/server.ts";
import { applyChanges, computePlan } from "../../src/reconcile/run.ts";
import type { Target } from "../../src/targets/target.ts";
import { type HdfsSessionFiles, hdfsSessionFiles } from "../helpers/webhdfs-session.ts";

const groups = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const BIG = groups(33, "big"); // 33 groups: too many everywhere
const EDGE = groups(28, "edge"); // 3 base + 28 + mask = 32 in each scope: allowed, directory too
const TABLES = ["big", "edge", "ok"];

const POLICY = `[groups]
${BIG.map((g) => `${g} = big_r`).join("\n")}
${EDGE.map((g) => `${g} = edge_r`).join("\n")}
okgroup = ok_r
[roles]
big_r = server=server1->db=sales->table=big->action=select
edge_r = server=server1->db=sales->table=edge->action=select
ok_r = server=server1->db=sales->table=ok->action=select
`;

const named = (acl: { type: string; name: string }[]) => acl.filter((e) => e.name !== "");

describe("paths needing more ACL entries than HDFS allows", { timeout: 30_000 }, () => {
  let emu: Emulator;
  let files: HdfsSessionFiles;

  before(async () => {
    emu = await startEmulator({ port: 0 });
    const locations = ["[databases]", "sales = /w/sales.db", "[tables]"];
    emu.fs.mkdirs("/w/sales.db");
    for (const t of TABLES) {
      emu.fs.mkdirs(`/w/sales.db/${t}`);
      for (const f of ["f0", "f1"]) emu.fs.create(`/w/sales.db/${t}/${f}`, { data: "" });
      locations.push(`sales.${t} = /w/sales.db/${t}`);
    }
    files = hdfsSessionFiles({
      namenodes: [emu.url],
      policy: POLICY,
      locations: `${locations.join("\n")}\n`,
    });
  });
  after(async () => {
    await emu.close();
    files.cleanup();
  });

  it("reports each such path once with its principals and applies everything else", async () => {
    const session = await files.open();
    try {
      const plan = await computePlan(session);
      const tooMany = plan.problems.filter((p) => p.code === "GS_ACL_TOO_MANY");
      assert.deepEqual(tooMany.map((p) => p.path).sort(), [
        "/w/sales.db/big",
        "/w/sales.db/big/f0",
        "/w/sales.db/big/f1",
      ]);
      const big = tooMany.find((p) => p.path === "/w/sales.db/big/f0")!;
      assert.deepEqual(big.principals, BIG.map((g) => `group:${g}`).sort());
      assert.match(big.message, /the access ACL would have 37 entries; the target allows 32 per scope/);

      const r = await applyChanges(session);
      assert.equal(r.failed, 0);
      assert.equal(r.plan.problems.filter((p) => p.code === "GS_ACL_TOO_MANY").length, 3);
      for (const p of ["/w/sales.db/big", "/w/sales.db/big/f0"])
        assert.deepEqual(named(emu.fs.getAcl(p)), [], `${p} is left alone`);
      assert.equal(named(emu.fs.getAcl("/w/sales.db/edge/f0")).length, 28, "32 entries are allowed");
      const edgeDir = emu.fs.getAcl("/w/sales.db/edge");
      assert.equal(edgeDir.filter((e) => e.scope === "access").length, 32, "32 access entries");
      assert.equal(edgeDir.filter((e) => e.scope === "default").length, 32, "and 32 default entries");
      for (const p of ["/w/sales.db/ok", "/w/sales.db/ok/f1"])
        assert.ok(emu.fs.getAcl(p).map(formatEntry).includes("group:okgroup:r-x"), p);
    } finally {
      await session.target.close();
    }
  });

  it("counts entries as the target does, not by the length of the list", async () => {
    files.writePolicy(POLICY.replace("okgroup = ok_r", "okgroup = ok_r\nokgroup2 = ok_r"));
    const session = await files.open();
    const inner = session.target;
    // A filesystem that counts every ACL as 33 entries: every path that would change is too big.
    const counting: Target = {
      kind: inner.kind,
      fileExecuteDefault: inner.fileExecuteDefault,
      maxEntries: 32,
      entryCount: () => ({ count: 33 }),
      walk: (root, options) => inner.walk(root, options),
      node: (path) => inner.node(path),
      unknownPrincipals: (principals) => inner.unknownPrincipals(principals),
      close: () => inner.close(),
    };
    try {
      const plan = await computePlan({ ...session, target: counting });
      const paths = plan.problems.filter((p) => p.code === "GS_ACL_TOO_MANY").map((p) => p.path);
      for (const p of ["/w/sales.db/ok", "/w/sales.db/ok/f0", "/w/sales.db/ok/f1"])
        assert.ok(paths.includes(p), p);
      assert.equal(plan.summary.changed, 0);
    } finally {
      files.writePolicy(POLICY);
      await inner.close();
    }
  });
});
