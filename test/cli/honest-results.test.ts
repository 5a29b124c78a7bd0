// apply reports what it could not do: a path the kernel refuses to change (an immutable file) makes
// it exit 1 with `Apply incomplete`, never `No changes`; counts add up; --json prints one document.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { grantsync, grantsyncJson } from "../helpers/cli.ts";
import { DEFAULT_POLICY, makeWarehouse, type Warehouse } from "../helpers/warehouse.ts";

interface PlanJson {
  failed: number;
  summary: { changed: number; entriesAdded: number; entriesRemoved: number; entriesChanged: number };
  objects: {
    added: Record<string, number>;
    removed: Record<string, number>;
    changed: Record<string, number>;
  }[];
  problems: { path: string; code: string; message: string }[];
}

const sum = (records: Record<string, number>[]) =>
  records.reduce((n, r) => n + Object.values(r).reduce((a, b) => a + b, 0), 0);

function chattr(flag: "+i" | "-i", path: string): string | undefined {
  const r = spawnSync("chattr", [flag, path], { encoding: "utf8" });
  return r.status === 0 ? undefined : (r.error?.message ?? r.stderr.trim());
}

describe("honest apply results", () => {
  let wh: Warehouse;
  let immutable: string;
  let noChattr: string | undefined;
  before(() => {
    wh = makeWarehouse();
    immutable = wh.p("sales.db/customers/part-0.csv");
    const refused = chattr("+i", immutable);
    noChattr =
      refused &&
      `chattr +i is not supported on ${wh.dir} (${refused}); needs ext4/xfs/btrfs and CAP_LINUX_IMMUTABLE`;
  });
  after(() => {
    if (!noChattr) chattr("-i", immutable);
    wh.cleanup();
  });

  it("exits 1 on an immutable file, says Apply incomplete with the hint, and never No changes", (t) => {
    if (noChattr) return t.skip(noChattr);
    const r = grantsync(["apply", "--config", wh.config, "--yes"]);
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /^Apply incomplete: 1 path failed$/m);
    assert.ok(r.stderr.includes(immutable), r.stderr);
    assert.match(r.stderr, /hint: .*CAP_FOWNER.*chattr \+i/);
    assert.doesNotMatch(r.stdout + r.stderr, /No changes/);

    const again = grantsync(["apply", "--config", wh.config, "--yes"]);
    assert.equal(again.code, 1, again.stdout + again.stderr);
    assert.doesNotMatch(again.stdout + again.stderr, /No changes/);
    assert.match(again.stdout, /Plan: 0 paths changed .*1 path not in line\./);
  });

  it("reports the failure in the one JSON document --json prints", (t) => {
    if (noChattr) return t.skip(noChattr);
    const r = grantsyncJson<PlanJson>(["apply", "--config", wh.config, "--yes"]);
    assert.equal(r.code, 1);
    assert.equal(r.json.failed, 1);
    assert.deepEqual(
      r.json.problems.map((p) => p.path),
      [immutable],
    );
  });

  it("counts a widened permission as changed, and the summary is the sum of the objects", () => {
    if (!noChattr) chattr("-i", immutable);
    const first = grantsync(["apply", "--config", wh.config, "--yes"]);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    wh.writePolicy(DEFAULT_POLICY.replace("db=sales->action=select", "db=sales->action=all"));
    const plan = grantsyncJson<PlanJson>(["plan", "--config", wh.config]);
    assert.equal(plan.code, 0, plan.stderr);
    const s = plan.json.summary;
    assert.equal(s.entriesAdded, 0);
    assert.equal(s.entriesRemoved, 0);
    assert.ok(s.entriesChanged > 0);
    assert.equal(sum(plan.json.objects.map((o) => o.added)), s.entriesAdded);
    assert.equal(sum(plan.json.objects.map((o) => o.removed)), s.entriesRemoved);
    assert.equal(sum(plan.json.objects.map((o) => o.changed)), s.entriesChanged);
    const text = grantsync(["plan", "--config", wh.config]);
    assert.match(text.stdout, /~group:staff:r-x→rwx\/r--→rw-/);
    assert.match(text.stdout, new RegExp(`\\(0 entries added, 0 removed, ${s.entriesChanged} changed\\)`));
    assert.match(text.stdout, /\+ added, - removed, ~ permission changed; r-x\/r-- is directories\/files/);
  });

  it("prints exactly one JSON document when the policy has errors", () => {
    wh.writePolicy("[roles]\nbroken = server=server1->db=sales->select\n");
    const r = grantsync(["plan", "--config", wh.config, "--json"]);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout) as {
      error: { code: string; input: { errors: { code: string; line?: number }[] } };
    };
    assert.equal(doc.error.code, "GS_POLICY_ERRORS");
    assert.equal(doc.error.input.errors.find((e) => e.code === "GS_POLICY_SYNTAX")?.line, 2);
  });
});
