// Table LOCATIONs that try to leave the configured roots (`/`, `/etc`, `..` segments, `//`,
// trailing slashes, another cluster, a file: URI naming a host, escapes hidden in %-encoding or a
// NUL): none is written, and validate and plan report each once. A remembered location left outside
// by a narrowed root is reported and not walked.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { isGsError } from "../../src/errors.ts";
import { PosixTarget } from "../../src/targets/posix/target.ts";
import { getfacl, grantsync, grantsyncJson } from "../helpers/cli.ts";
import { makeScratch, type Scratch, stateOf } from "../helpers/hardening.ts";

const ESCAPES: Record<string, string> = {
  slash: "/",
  etc: "/etc",
  etc_trailing: "/etc/",
  double_slash: "//etc",
  dotdot: "@ROOT@/sales.db/../../outside",
  dotdot_root: "@ROOT@/../outside",
  dotdot_trailing: "@ROOT@/sales.db/t_ok/../../../outside/",
  encoded_dotdot: "file://@ROOT@/sales.db/%2e%2e/%2E%2E/outside",
  other_cluster: "hdfs://other-cluster@ROOT@/sales.db/t_ok",
  file_host: "file://otherhost@ROOT@/sales.db/t_ok",
  file_etc: "file:///etc",
  nul: "file://@ROOT@/private%00",
};

/** Where a location's bytes would lead if taken literally: every one of them must stay untouched. */
const WATCHED = ["/", "/etc"];

function aclAndStat(p: string): string {
  const st = execFileSync("stat", ["-c", "%a %u %g %Z", p], { encoding: "utf8" });
  return `${p} ${st.trim()} ${getfacl(p).join(",")}`;
}

describe("LOCATIONs outside the roots", { timeout: 60_000 }, () => {
  let wh: Scratch;
  let outside: string;
  let outsideBefore: string;
  let privateBefore: string;
  let watchedBefore: string[];

  before(() => {
    const tables = Object.entries(ESCAPES).map(([name, uri]) => `sales.${name} = ${uri}`);
    wh = makeScratch({
      policy: `[groups]
staff = reader
[roles]
reader = server=server1->db=sales->action=all
`,
      locations: `[databases]
sales = @ROOT@/sales.db
[tables]
sales.t_ok = @ROOT@//sales.db//t_ok/
${tables.join("\n")}
`,
      dirs: ["sales.db/t_ok", "private"],
    });
    writeFileSync(wh.p("sales.db/t_ok/part-0"), "");
    outside = join(wh.dir, "outside");
    mkdirSync(outside);
    writeFileSync(join(outside, "secret"), "s");
    outsideBefore = stateOf(outside);
    privateBefore = stateOf(wh.p("private"));
    watchedBefore = WATCHED.map(aclAndStat);
  });
  after(() => wh.cleanup());

  const uriOf = (name: string) => ESCAPES[name]!.replaceAll("@ROOT@", wh.root);

  it("validate lists every escaping location once, with its reason", () => {
    const r = grantsyncJson<{
      valid: boolean;
      ignoredLocations: { uri: string; object: string; reason: string }[];
    }>(["validate", "-c", wh.config]);
    assert.equal(r.code, 0, r.stderr);
    const byUri = new Map<string, number>();
    for (const l of r.json.ignoredLocations) byUri.set(l.uri, (byUri.get(l.uri) ?? 0) + 1);
    for (const name of Object.keys(ESCAPES))
      assert.equal(byUri.get(uriOf(name)), 1, `${name}: ${uriOf(name)}`);
    assert.equal(r.json.ignoredLocations.length, Object.keys(ESCAPES).length);
  });

  it("plan reports each once and plans only paths under the root", () => {
    const text = grantsync(["plan", "-c", wh.config]);
    assert.equal(text.code, 0, text.stderr);
    for (const name of Object.keys(ESCAPES)) {
      const lines = text.stderr.split("\n").filter((l) => l.includes(`not managed: sales.${name} at `));
      assert.equal(lines.length, 1, `${name}:\n${text.stderr}`);
    }
    const json = grantsyncJson<{ changes: { path: string }[] }>(["plan", "-c", wh.config]);
    assert.ok(json.json.changes.length > 0);
    for (const c of json.json.changes) assert.ok(c.path.startsWith(`${wh.p("sales.db")}`), c.path);
  });

  it("apply writes the table inside the root and nothing the escaping LOCATIONs name", () => {
    const r = grantsync(["apply", "-c", wh.config, "--yes"]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.ok(
      getfacl(wh.p("sales.db/t_ok")).includes("group:staff:rwx"),
      "the // and trailing / location is managed",
    );
    assert.equal(stateOf(outside), outsideBefore);
    assert.equal(
      stateOf(wh.p("private")),
      privateBefore,
      "a NUL does not cut a location short onto another path",
    );
    assert.deepEqual(WATCHED.map(aclAndStat), watchedBefore);
  });

  it("reports a remembered location that a narrowed root leaves outside, and does not walk it", () => {
    const config = readFileSync(wh.config, "utf8");
    const before = stateOf(wh.p("sales.db"));
    try {
      wh.write("config", config.replace(`roots = ${wh.root}`, `roots = ${wh.p("private")}`));
      const plan = grantsyncJson<{ changes: unknown[]; problems: { path: string; code: string }[] }>([
        "plan",
        "-c",
        wh.config,
      ]);
      assert.equal(plan.code, 0, plan.stderr);
      const outsideRoots = plan.json.problems.filter((p) => p.code === "GS_PATH_OUTSIDE_ROOTS");
      assert.deepEqual(
        outsideRoots.map((p) => p.path).sort(),
        [wh.p("sales.db"), wh.p("sales.db/t_ok")].sort(),
      );
      assert.deepEqual(plan.json.changes, []);
      const r = grantsync(["apply", "-c", wh.config, "--yes"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(stateOf(wh.p("sales.db")), before);
    } finally {
      wh.write("config", config);
    }
  });

  it("the POSIX target refuses a path with a NUL, such as one remembered by an older state", async () => {
    const target = new PosixTarget({ roots: [wh.root] });
    await assert.rejects(target.node(`${wh.p("private")}\0`), (e) => isGsError(e, "GS_PATH_UNSAFE"));
    const skipped: string[] = [];
    await assert.rejects(
      target.walk(`${wh.p("private")}\0`, {
        visit: () => assert.fail("visited"),
        skip: (s) => skipped.push(s.path),
      }),
      (e) => isGsError(e, "GS_PATH_UNSAFE"),
    );
  });
});
